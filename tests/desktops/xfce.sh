#!/bin/bash
# Xvfb + private session bus + xfce4-panel 4.18 with the built-in "Status Tray" (systray) plugin = XEmbed tray + SNI watcher/host,
# + xfce4-notifyd. Writes $R/env. Stop: kill $(cat $R/pids)
R=${R:-$(mktemp -d /tmp/desk-xfce.XXXXXX)}; rm -rf $R; X=$R/home/.config/xfce4/xfconf/xfce-perchannel-xml; mkdir -p $X $R/run; chmod 700 $R/run
cat > $X/xfce4-panel.xml <<'EOT'
<?xml version="1.0" encoding="UTF-8"?>
<channel name="xfce4-panel" version="1.0">
  <property name="configver" type="int" value="2"/>
  <property name="panels" type="array"><value type="int" value="1"/>
    <property name="panel-1" type="empty">
      <property name="position" type="string" value="p=6;x=0;y=0"/><property name="length" type="uint" value="100"/>
      <property name="position-locked" type="bool" value="true"/><property name="size" type="uint" value="32"/>
      <property name="plugin-ids" type="array"><value type="int" value="1"/><value type="int" value="2"/><value type="int" value="3"/></property>
    </property>
  </property>
  <property name="plugins" type="empty">
    <property name="plugin-1" type="string" value="clock"/>
    <property name="plugin-2" type="string" value="separator"><property name="expand" type="bool" value="true"/><property name="style" type="uint" value="0"/></property>
    <property name="plugin-3" type="string" value="systray"><property name="icon-size" type="uint" value="22"/><property name="square-icons" type="bool" value="true"/></property>
  </property>
</channel>
EOT
export HOME=$R/home XDG_RUNTIME_DIR=$R/run XDG_CONFIG_HOME=$R/home/.config XDG_CACHE_HOME=$R/home/.cache; unset WAYLAND_DISPLAY

Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>$R/run/dpy 2>$R/xvfb.log & echo $! > $R/pids
until [ -s $R/run/dpy ]; do sleep 0.05; done; export DISPLAY=:$(cat $R/run/dpy)
dbus-run-session -- sh -c "echo \$\$ >> $R/pids; echo \$DBUS_SESSION_BUS_ADDRESS > $R/run/bus
  /usr/lib/x86_64-linux-gnu/xfce4/notifyd/xfce4-notifyd & exec xfce4-panel --disable-wm-check" > $R/panel.log 2>&1 &
until [ -s $R/run/bus ]; do sleep 0.05; done; export DBUS_SESSION_BUS_ADDRESS=$(cat $R/run/bus)
has() { gdbus call --session -d org.freedesktop.DBus -o /org/freedesktop/DBus -m org.freedesktop.DBus.NameHasOwner $1 2>/dev/null | grep -q true; }
for i in $(seq 300); do has org.kde.StatusNotifierWatcher && has org.freedesktop.Notifications && break; sleep 0.1; done
echo "export DBUS_SESSION_BUS_ADDRESS=$DBUS_SESSION_BUS_ADDRESS XDG_RUNTIME_DIR=$R/run DISPLAY=$DISPLAY" > $R/env
echo "xfce ready"; cat $R/env
