#!/bin/bash
# Headless GNOME Shell 43 (Wayland + Xwayland) + AppIndicator extension, as root, no GPU.
# Writes $R/env (DBUS_SESSION_BUS_ADDRESS, XDG_RUNTIME_DIR, WAYLAND_DISPLAY, DISPLAY, XAUTHORITY).
# Stop: P=$(cat $R/shell.pid); kill $P $(cat $R/pids)   (everything else exits with the buses), then drop mutter's stale locks:
#   for f in /tmp/.X*-lock; do [ "$(tr -d ' \n' <$f)" = $P ] && n=${f#/tmp/.X} && rm -f $f /tmp/.X11-unix/X${n%-lock}; done
R=${R:-$(mktemp -d /tmp/desk-gnome.XXXXXX)}; rm -rf $R; mkdir -p $R/home/.local/share/gnome-shell $R/run; chmod 700 $R/run
touch $R/home/.local/share/gnome-shell/lock-warning-shown   # no "Screen Lock disabled" banner (it would pin the banner slot)
E=$R/home/.local/share/gnome-shell/extensions/ci-helper@local; mkdir -p $E   # leaves the startup overview
echo '{"uuid":"ci-helper@local","name":"ci","description":"ci","shell-version":["43"]}' >$E/metadata.json
echo 'const M=imports.ui.main;function init(){}function enable(){const h=()=>M.overview.hide();if(M.layoutManager._startingUp)M.layoutManager.connect("startup-complete",h);else h();}function disable(){}' >$E/extension.js
export HOME=$R/home XDG_RUNTIME_DIR=$R/run XDG_CONFIG_HOME=$R/home/.config XDG_DATA_HOME=$R/home/.local/share XDG_CACHE_HOME=$R/home/.cache
unset DISPLAY WAYLAND_DISPLAY
# /run/systemd/seats exists but there is no system bus -> gnome-shell dies in loginManager.js; give it an empty private "system" bus
dbus-daemon --session --fork --address=unix:path=$R/run/system_bus_socket --print-pid=3 3>$R/pids
export DBUS_SYSTEM_BUS_ADDRESS=unix:path=$R/run/system_bus_socket

dbus-run-session -- bash -c "echo \$\$ > $R/shell.pid; echo \$DBUS_SESSION_BUS_ADDRESS > $R/bus
  gsettings set org.gnome.shell enabled-extensions \"['ubuntu-appindicators@ubuntu.com','ci-helper@local']\"
  exec gnome-shell --headless --virtual-monitor 1280x800 --wayland" > $R/shell.log 2>&1 &
until [ -s $R/bus ]; do sleep 0.05; done; export DBUS_SESSION_BUS_ADDRESS=$(cat $R/bus)
has() { gdbus call --session -d org.freedesktop.DBus -o /org/freedesktop/DBus -m org.freedesktop.DBus.NameHasOwner $1 2>/dev/null | grep -q true; }
for i in $(seq 300); do has org.gnome.Mutter.IdleMonitor && has org.kde.StatusNotifierWatcher && has org.freedesktop.Notifications && break; sleep 0.1; done
D=$(grep -o 'public X11 display :[0-9]*' $R/shell.log | grep -o ':[0-9]*')
cat > $R/env <<EOT
export DBUS_SESSION_BUS_ADDRESS=$DBUS_SESSION_BUS_ADDRESS XDG_RUNTIME_DIR=$R/run WAYLAND_DISPLAY=wayland-0 DISPLAY=$D XAUTHORITY=$(ls $R/run/.mutter-Xwaylandauth.*)
EOT
echo "GNOME ready"; cat $R/env
