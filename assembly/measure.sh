#!/usr/bin/env bash
# Measures the built distribution: boot-to-ready (first start, then warm restarts) and idle RSS.
#
#   ./mvnw -q package -DskipTests && assembly/measure.sh [restarts]
#
# Ready means GET /api/v1/health answers 200. Each run unpacks a fresh copy on free ports and
# removes it afterwards.
set -euo pipefail

restarts=${1:-3}
idle_seconds=${IDLE_SECONDS:-60}
here=$(cd "$(dirname "$0")" && pwd)
archive=$(ls "$here"/target/hanse-*.tar.gz)
work=$(mktemp -d)
home=""

stop() {
    [ -n "$home" ] || return 0
    "$home/bin/stop" >/dev/null 2>&1 || true
    for _ in $(seq 1 120); do pgrep -f "karaf.home=$home" >/dev/null || return 0; sleep 0.5; done
    pkill -9 -f "karaf.home=$home" || true
}
trap 'stop; rm -rf "$work"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

tar xzf "$archive" -C "$work"
home=$(echo "$work"/hanse-*)
port=$(free_port)
sed -i "s/^org.osgi.service.http.port = .*/org.osgi.service.http.port = $port/" "$home/etc/org.ops4j.pax.web.cfg"
sed -i "s/^sshPort = .*/sshPort = $(free_port)/" "$home/etc/org.apache.karaf.shell.cfg"

boot() {
    local started now
    started=$(date +%s%N)
    "$home/bin/start" 2>/dev/null
    for _ in $(seq 1 1200); do
        if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/health")" = 200 ]; then
            now=$(date +%s%N)
            echo $(( (now - started) / 1000000 ))
            return
        fi
        sleep 0.1
    done
    echo "not ready after 120 s; see $home/data/log/karaf.log" >&2
    exit 1
}

echo "first start (creates the database): $(boot) ms to ready"
for i in $(seq 1 "$restarts"); do
    stop
    echo "restart $i: $(boot) ms to ready"
done
sleep "$idle_seconds"
pid=$(pgrep -f "karaf.home=$home" | head -1)
echo "idle RSS after ${idle_seconds} s: $(( $(awk '/VmRSS/ {print $2}' "/proc/$pid/status") / 1024 )) MiB"
