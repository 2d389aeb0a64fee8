#!/usr/bin/env bash
# Measures one agent's own footprint while it runs 50 checks a minute against the built
# distribution (H2, free ports, removed afterwards): its JVM's RSS and CPU, and its checks' CPU.
#   ./mvnw -q package -DskipTests && kernel/benchmarks/agent-footprint.sh [seconds]
set -euo pipefail
seconds=${1:-180}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
home=""
agent_pid=""
cleanup() {
    [ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null || true
    [ -n "$home" ] && "$home/bin/stop" >/dev/null 2>&1 || true
    sleep 3; [ -n "$home" ] && pkill -9 -f "karaf.home=$home" || true
    rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

tar xzf "$root"/assembly/target/hanse-*.tar.gz -C "$work"
home=$(echo "$work"/hanse-*)
port=$(free_port)
sed -i "s/^org.osgi.service.http.port = .*/org.osgi.service.http.port = $port/" "$home/etc/org.ops4j.pax.web.cfg"
sed -i "s/^sshPort = .*/sshPort = $(free_port)/" "$home/etc/org.apache.karaf.shell.cfg"
sed -i "s/^basicAuth = .*/basicAuth = true/" "$home/etc/io.hanse.security.cfg"
password="Footprint-$RANDOM-$RANDOM-x"
HANSE_ADMIN_PASSWORD=$password "$home/bin/start"
api="http://127.0.0.1:$port/api/v1"
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$api/health")" = 200 ]; do sleep 1; done
auth=(-u "admin:$password" -H 'Content-Type: application/json')
curl -sf "${auth[@]}" -XPOST "$api/systems" -d '{"slug":"host"}' >/dev/null
token=$(curl -sf "${auth[@]}" -XPOST "$api/agents/enrollments" -d '{"agent":"host","systems":["host"]}' \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

plugins=/usr/lib/nagios/plugins
{
    echo "server = http://127.0.0.1:$port"
    echo "state.dir = $work/agent"
    echo "facts.system = host"
    for i in $(seq 1 50); do
        case $((i % 5)) in
            0) command="$plugins/check_load -w 50,40,30 -c 100,80,60" ;;
            1) command="$plugins/check_disk -w 1% -c 1% -p /" ;;
            2) command="$plugins/check_procs -w 100000 -c 200000" ;;
            3) command="$plugins/check_users -w 100 -c 200" ;;
            *) command="$plugins/check_dummy 0 fine" ;;
        esac
        printf 'check.c%d.command = %s\ncheck.c%d.interval = 60s\ncheck.c%d.system = host\n' "$i" "$command" "$i" "$i"
    done
} > "$work/agent.conf"
launcher="$root/agent/target/hanse-agent/bin/hanse-agent"
echo "$token" | "$launcher" enroll --config "$work/agent.conf" --token - >/dev/null
"$launcher" run --config "$work/agent.conf" 2>"$work/agent.log" &
agent_pid=$!
sleep 5
jvm=$(pgrep -f "hanse-agent.jar run --config $work/agent.conf" | head -1)
ticks() { awk '{print $14+$15, $16+$17}' "/proc/$jvm/stat"; }
read -r own0 children0 < <(ticks)
max=0; sum=0; n=0
end=$((SECONDS + seconds))
while [ $SECONDS -lt $end ]; do
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$jvm/status")
    sum=$((sum + rss)); n=$((n + 1)); [ "$rss" -gt "$max" ] && max=$rss
    sleep 5
done
read -r own1 children1 < <(ticks)
hz=$(getconf CLK_TCK)
results=$(curl -s "${auth[@]}" "$api/timeline/events?system=host&type=monitoring.result&limit=1000" \
    | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["events"]))')
python3 - "$seconds" "$own0" "$own1" "$children0" "$children1" "$hz" "$sum" "$n" "$max" "$results" <<'PY'
import sys
s, o0, o1, c0, c1, hz, total, n, peak, results = map(float, sys.argv[1:])
print(f"agent, 50 checks a minute, {s:.0f} s: RSS mean {total/n/1024:.1f} MiB, max {peak/1024:.1f} MiB;"
      f" CPU {100*(o1-o0)/hz/s:.2f} % of one core (its JVM), {100*(c1-c0)/hz/s:.2f} % (its checks);"
      f" {results:.0f} results on the timeline")
PY
