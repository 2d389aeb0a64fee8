#!/usr/bin/env bash
# Icinga 2 as the peer of MonitoringBenchmark: passive check results posted to its REST API.
#
#   kernel/benchmarks/icinga2.sh setup [run-dir]   install if missing, write and validate the config
#   kernel/benchmarks/icinga2.sh start [run-dir]   start the daemon as nagios, wait until the API answers
#   kernel/benchmarks/icinga2.sh stop  [run-dir]   stop it (TERM, then KILL after 30 s) and wait
#
# The run directory defaults to /tmp/hanse-icinga2. Setup takes from the environment ICINGA2_PORT (5665),
# the API port, bound to 127.0.0.1 only, and ICINGA2_HOSTS (1000), how many hosts bench-h0000... it defines,
# each with one passive service bench-svc (max_check_attempts 3, active checks off).
#
# By hand, as root on Debian 12 (package icinga2 2.13.6):
#   DEBIAN_FRONTEND=noninteractive apt-get install -y icinga2    # setup does this when icinga2 is missing
#   kernel/benchmarks/icinga2.sh setup /tmp/icinga-run && kernel/benchmarks/icinga2.sh start /tmp/icinga-run
#   printf 'user = "%s"\n' "$(cat /tmp/icinga-run/api-credentials)" | curl -K - --cacert /tmp/icinga-run/ca.crt \
#        --connect-to "$(hostname --fqdn):5665:127.0.0.1:5665" -H 'Accept: application/json' \
#        -d '{"type":"Service","service":"bench-h0042!bench-svc","exit_status":1,"plugin_output":"LOAD WARNING"}' \
#        "https://$(hostname --fqdn):5665/v1/actions/process-check-result"
#   kernel/benchmarks/icinga2.sh stop /tmp/icinga-run
# (curl reads the password from stdin, so that it never shows in ps. The node's certificate names the host,
# hence --connect-to; the benchmark connects to 127.0.0.1 and trusts that CA there.)
#
# Outside the run directory, setup changes only what Debian's own procedure does: the package, and
# `icinga2 api setup` once (a CA and this node's certificate in /var/lib/icinga2, the api feature and an
# ApiUser "root" in /etc/icinga2, none of which the benchmark's config includes). The config written here
# includes only the ITL; the daemon keeps its pid, state and cache files where the package's daemon does
# (/run/icinga2, /var/lib/icinga2, /var/cache/icinga2: Icinga 2.13 takes no -D override for them), so one
# instance runs at a time, and not beside the package's own service. The API user's password is new on
# every setup and is written only to <run-dir>/api-credentials (user:password, mode 600, root) and to the
# config itself (mode 600, nagios).
set -euo pipefail

command="${1:-}"
run="${2:-/tmp/hanse-icinga2}"
case "$command" in
    setup | start | stop) ;;
    *) echo "usage: $0 setup|start|stop [run-dir]" >&2; exit 2 ;;
esac
if [ "$(id -u)" != 0 ]; then
    echo "$0: run as root: it installs icinga2 and starts it as the nagios user" >&2
    exit 2
fi
run="$(realpath -m "$run")"
node="$(hostname --fqdn)"

as_nagios() {
    setpriv --reuid=nagios --regid=nagios --init-groups -- "$@"
}

setup() {
    local port="${ICINGA2_PORT:-5665}" hosts="${ICINGA2_HOSTS:-1000}"
    if ! command -v icinga2 > /dev/null; then
        if ! DEBIAN_FRONTEND=noninteractive apt-get install -y icinga2; then
            apt-get update
            DEBIAN_FRONTEND=noninteractive apt-get install -y icinga2
        fi
    fi
    if [ ! -f "/var/lib/icinga2/certs/$node.crt" ]; then
        icinga2 api setup --cn "$node"
    fi
    if [ -f "$run/daemon.pid" ] && daemon "$(cat "$run/daemon.pid")"; then
        echo "$0: icinga2 still runs from $run; stop it first" >&2
        exit 1
    fi
    # It chowns the run directory to nagios: never a directory that holds anything but a former run.
    if [ -d "$run" ] && [ -n "$(ls -A "$run")" ] && ! grep -qs '^// Written by kernel/benchmarks/icinga2.sh' \
            "$run/icinga2.conf"; then
        echo "$0: $run is neither empty nor a former run directory" >&2
        exit 1
    fi
    rm -rf "$run/conf.d" "$run/log" "$run/api-credentials"
    mkdir -p "$run/conf.d" "$run/log"
    local password
    password="$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32)"
    (umask 077 && printf 'bench:%s\n' "$password" > "$run/api-credentials")
    echo "$port" > "$run/port"
    echo "$node" > "$run/node"
    cp "/var/lib/icinga2/certs/ca.crt" "$run/ca.crt"

    cat > "$run/icinga2.conf" << CONF
// Written by kernel/benchmarks/icinga2.sh: the ITL and the benchmark's objects, nothing from /etc/icinga2.
const NodeName = "$node"
include <itl>
include "$run/conf.d/*.conf"
CONF
    cat > "$run/conf.d/features.conf" << CONF
object Endpoint NodeName { }
object Zone NodeName { endpoints = [ NodeName ] }
object ApiListener "api" {
  bind_host = "127.0.0.1"
  bind_port = $port
}
object CheckerComponent "checker" { }
// The Debian package's mainlog is a FileLogger at severity information: one line per API request.
object FileLogger "bench-log" {
  severity = "information"
  path = "$run/log/icinga2.log"
}
CONF
    (umask 077 && cat > "$run/conf.d/api-user.conf" << CONF
// It posts results, reads back the services' last results (the benchmark checks that they landed)
// and the status (start waits for it).
object ApiUser "bench" {
  password = "$password"
  permissions = [ "actions/process-check-result", "objects/query/Service", "status/query" ]
}
CONF
    )
    {
        cat << 'CONF'
template Host "bench-host" {
  check_command = "dummy"
  enable_active_checks = false
  address = "127.0.0.1"
  vars.bench = true
}
// Passive only; three attempts, so that a warning is soft twice before it is hard.
apply Service "bench-svc" {
  check_command = "passive"
  enable_active_checks = false
  max_check_attempts = 3
  assign where host.vars.bench
}
CONF
        for ((i = 0; i < hosts; i++)); do
            printf 'object Host "bench-h%04d" { import "bench-host" }\n' "$i"
        done
    } > "$run/conf.d/hosts.conf"
    chown -R nagios:nagios "$run"
    chown root:root "$run/api-credentials"
    chmod 750 "$run"
    as_nagios icinga2 daemon -C -c "$run/icinga2.conf" > "$run/log/validate.log" 2>&1 || {
        tail -n 20 "$run/log/validate.log" >&2
        echo "$0: the config in $run is not valid" >&2
        exit 1
    }
    echo "icinga2 configured in $run: $hosts hosts, API on 127.0.0.1:$port"
}

start() {
    [ -f "$run/icinga2.conf" ] || { echo "$0: no config in $run; run setup first" >&2; exit 1; }
    local port
    port="$(cat "$run/port")"
    if [ -f "$run/daemon.pid" ] && daemon "$(cat "$run/daemon.pid")"; then
        echo "$0: icinga2 already runs from $run (pid $(cat "$run/daemon.pid"))" >&2
        exit 1
    fi
    # Debian's unit creates this before each start; it is not there after a reboot.
    install -d -o nagios -g nagios -m 755 /run/icinga2
    # --close-stdio as Debian's unit does: it logs through the FileLogger only. setsid gives it a session of
    # its own, so that stop can reach the worker process the umbrella process forks.
    setsid setpriv --reuid=nagios --regid=nagios --init-groups -- icinga2 daemon -c "$run/icinga2.conf" \
        --close-stdio -e "$run/log/error.log" < /dev/null > "$run/log/stdout.log" 2>&1 &
    echo $! > "$run/daemon.pid"
    for ((i = 0; i < 120; i++)); do
        if ! kill -0 "$(cat "$run/daemon.pid")" 2> /dev/null; then
            echo "$0: icinga2 exited at start" >&2
            tail -n 20 "$run/log/icinga2.log" "$run/log/error.log" "$run/log/stdout.log" >&2 || true
            exit 1
        fi
        # The password goes to curl through stdin, never on its command line.
        if printf 'user = "%s"\n' "$(cat "$run/api-credentials")" | curl -s -K - -o /dev/null -w '%{http_code}' \
                --cacert "$run/ca.crt" --connect-to "$node:$port:127.0.0.1:$port" --max-time 2 \
                -H 'Accept: application/json' "https://$node:$port/v1/status/IcingaApplication" 2> /dev/null \
                | grep -q '^200$'; then
            if ! daemon "$(cat "$run/daemon.pid")"; then
                echo "$0: the API answers, but $run/daemon.pid names no icinga2 process" >&2
                exit 1
            fi
            echo "icinga2 up on 127.0.0.1:$port, pid $(cat "$run/daemon.pid")"
            return
        fi
        sleep 0.5
    done
    echo "$0: the API did not answer within 60 s" >&2
    stop
    exit 1
}

# Whether the process is a live icinga2, so that a stale pid file never stops anything else.
daemon() {
    [ "$(cat "/proc/$1/comm" 2> /dev/null)" = icinga2 ] && ! grep -qs '^[0-9]* (icinga2) Z' "/proc/$1/stat"
}

stop() {
    [ -f "$run/daemon.pid" ] || { echo "icinga2 is not running from $run"; return; }
    local pid
    pid="$(cat "$run/daemon.pid")"
    if daemon "$pid"; then
        kill -TERM "$pid"
        for ((i = 0; i < 60; i++)); do
            daemon "$pid" || break
            sleep 0.5
        done
    fi
    # What is left of its session (the worker, had the umbrella process gone first) gets KILL.
    local left
    left="$(pgrep -s "$pid" -x icinga2 || true)"
    if [ -n "$left" ]; then
        # shellcheck disable=SC2086 # one pid a word
        kill -KILL $left 2> /dev/null || true
        for ((i = 0; i < 20; i++)); do
            pgrep -s "$pid" -x icinga2 > /dev/null || break
            sleep 0.5
        done
    fi
    if pgrep -s "$pid" -x icinga2 > /dev/null; then
        echo "$0: icinga2 (session $pid) did not stop" >&2
        exit 1
    fi
    rm -f "$run/daemon.pid"
    echo "icinga2 stopped"
}

"$command"
