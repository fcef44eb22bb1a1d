#!/usr/bin/env bash
# Runs Avahi inside the current network namespace for the serverless tests, never in the root one:
# a private D-Bus system bus and avahi-daemon (its pid file and socket on a tmpfs of this mount
# namespace, only IPv4 on the given interface), then the command given, with
# DBUS_SYSTEM_BUS_ADDRESS pointing at that bus. Usage (as root, under `ip netns exec NS unshare -m`):
#   avahi-in-netns.sh DIR INTERFACE HOSTNAME -- avahi-publish -s ...
set -euo pipefail
dir=$1 iface=$2 host=$3
shift 3
[ "${1:-}" = "--" ] && shift
mkdir -p "$dir" /run/avahi-daemon
mount -t tmpfs tmpfs /run/avahi-daemon
cat > "$dir/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$dir/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_type="method_return"/>
    <allow send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="signal"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
  </policy>
</busconfig>
CONF
cat > "$dir/avahi.conf" <<CONF
[server]
host-name=$host
use-ipv4=yes
use-ipv6=no
allow-interfaces=$iface
enable-dbus=yes
ratelimit-interval-usec=0
[wide-area]
enable-wide-area=no
[publish]
publish-hinfo=no
publish-workstation=no
CONF
bus=$(dbus-daemon --config-file="$dir/bus.conf" --fork --nopidfile --print-pid)
export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$dir/bus"
avahi-daemon --no-drop-root --no-chroot --no-rlimits -f "$dir/avahi.conf" > "$dir/avahi.log" 2>&1 &
daemon=$!
# Avahi says goodbye on the link as it stops; its clients end with it.
stop() {
  kill ${child:-} "$daemon" 2> /dev/null || true
  wait "$daemon" 2> /dev/null || true
  kill "$bus" 2> /dev/null || true
}
trap 'stop; exit 0' TERM INT
trap stop EXIT
for _ in $(seq 100); do
  avahi-browse -a -t -p > /dev/null 2>&1 && break
  sleep 0.1
done
"$@" &
child=$!
wait "$child"
