#!/bin/bash
# Headless sway 1.7 (pixman) + waybar tray (SNI watcher+host) + mako. sway refuses uid 0, so it runs as nobody;
# the session bus also admits root so the (root) test runner can use it. Writes $R/env. Stop: kill $(cat $R/sway.pid)
R=${R:-$(mktemp -d /tmp/desk-sway.XXXXXX)}; rm -rf $R; mkdir -p $R/home $R/run; chmod 700 $R/run; chown nobody:nogroup $R/home $R/run
cat > $R/sway.conf <<EOT
output HEADLESS-1 mode 1280x800 bg #204a87 solid_color
xwayland enable
exec waybar -c $R/waybar.json -s $R/waybar.css
exec mako --default-timeout 0
exec 'xhost +si:localuser:root; echo \$DISPLAY > $R/run/display'
EOT
echo '{"layer":"top","position":"top","height":34,"modules-center":["clock"],"modules-right":["tray"],"tray":{"icon-size":22,"spacing":8}}' > $R/waybar.json
echo '* {font-family: DejaVu Sans; font-size: 13px;} window#waybar {background:#303030; color:#fff;}' > $R/waybar.css
cat > $R/bus.conf <<EOT
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><include>/usr/share/dbus-1/session.conf</include><policy context="default"><allow user="root"/></policy></busconfig>
EOT

setpriv --reuid=nobody --regid=nogroup --clear-groups env -i PATH=/usr/bin:/bin HOME=$R/home XDG_RUNTIME_DIR=$R/run \
  WLR_BACKENDS=headless WLR_LIBINPUT_NO_DEVICES=1 WLR_RENDERER=pixman WLR_HEADLESS_OUTPUTS=1 \
  dbus-run-session --config-file=$R/bus.conf -- sh -c "echo \$\$ > $R/run/sway.pid; echo \$DBUS_SESSION_BUS_ADDRESS > $R/run/bus; exec sway -c $R/sway.conf" > $R/sway.log 2>&1 &
until [ -s $R/run/bus ] && [ -S $R/run/wayland-1 ]; do sleep 0.05; done; cp $R/run/sway.pid $R/sway.pid
export DBUS_SESSION_BUS_ADDRESS=$(cat $R/run/bus)
has() { gdbus call --session -d org.freedesktop.DBus -o /org/freedesktop/DBus -m org.freedesktop.DBus.NameHasOwner $1 2>/dev/null | grep -q true; }
for i in $(seq 300); do has org.kde.StatusNotifierWatcher && has org.freedesktop.Notifications && [ -s $R/run/display ] && break; sleep 0.1; done
echo "export DBUS_SESSION_BUS_ADDRESS=$DBUS_SESSION_BUS_ADDRESS XDG_RUNTIME_DIR=$R/run WAYLAND_DISPLAY=wayland-1 DISPLAY=$(cat $R/run/display)" > $R/env
echo "sway ready"; cat $R/env
