#!/usr/bin/env bash
# Builds the benchmarks and what they need, then runs them, from anywhere:
#   kernel/benchmarks/run.sh [status|timeline|ingest|monitoring|federation|all] [append|query]
# The second word runs only that part of the timeline benchmark.
# The ingest benchmark starts the built distribution on PostgreSQL with 1, 8 and 32 simulated agents.
# The federation benchmark starts two distributions on PostgreSQL, peers them and times events from one to the
# other at offered rates (-Drates=2000,5000,… through BENCH_OPTS; JAVA_OPTS would reach the distributions too).
# The monitoring benchmark (not part of "all": it installs Icinga 2 from Debian, so run it as root) loads Icinga 2
# and the distribution with the monitoring plugin, in turn at each level, with the same 1,000 hosts' check results; see
# MonitoringBenchmark and icinga2.sh (-Dicinga=false, -Dbatch=20 … through BENCH_OPTS; -Dbatch is at most 31).
# The timeline benchmark needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust; PGHOST, PGPORT and PGUSER
# override), where it creates a database hanse_bench_<random> and drops it at the end. The ingest, federation and
# monitoring benchmarks need it at 127.0.0.1:5432 too (user postgres, trust; HANSE_TEST_POSTGRES=host:port
# overrides), where they create databases hanse_test_<random> and drop them at the end; the federation and
# monitoring ones count its processes' CPU, so it must run on this machine.
set -euo pipefail
which="${1:-all}"
part="${2:-}"
case "$which:$part" in
    status: | all: | timeline: | timeline:append | timeline:query | ingest: | monitoring: | federation:) ;;
    *) echo "usage: $0 [status|timeline|ingest|monitoring|federation|all] [append|query]" >&2; exit 2 ;;
esac
module="$(cd "$(dirname "$0")" && pwd)"
cd "$module/../.."
if [ "$which" = ingest ] || [ "$which" = monitoring ] || [ "$which" = federation ] || [ "$which" = all ]; then
    # The ingest and monitoring benchmarks run the built distribution and the agent's classes.
    ./mvnw -q -B package -DskipTests -pl kernel/benchmarks,assembly -am
    # The newest archive is the one just built; an earlier version's may still lie beside it.
    archive="$(ls -t assembly/target/hanse-*.tar.gz | head -n 1)"
else
    ./mvnw -q -B -pl kernel/benchmarks -am package -DskipTests
fi
classpath="$module/target/classes:$(cat "$module/target/classpath.txt")"
java_opts=(-Xms2g -Xmx2g -XX:+UseParallelGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$classpath")
if [ "$which" = status ] || [ "$which" = all ]; then
    java "${java_opts[@]}" io.hanse.kernel.core.internal.system.StatusBenchmark
fi
if [ "$which" = timeline ] || [ "$which" = all ]; then
    java "${java_opts[@]}" io.hanse.kernel.benchmarks.TimelineBenchmark ${part:+"$part"}
fi
if [ "$which" = ingest ] || [ "$which" = all ]; then
    java -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$classpath" \
        io.hanse.kernel.benchmarks.IngestBenchmark "$archive"
fi
# The federation and monitoring load generators share the two cores with what they measure, so they
# collect with the serial collector. The federation one compiles with C1 only: it is light, and C2
# would cost more than it saves. The monitoring one signs every request with Ed25519 and takes some
# 30 % less CPU a request with C2, whose compiling is done while the servers are primed.
generator_opts=(-Xmx1g -XX:+UseSerialGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn)
if [ "$which" = federation ]; then
    java "${generator_opts[@]}" -XX:TieredStopAtLevel=1 ${BENCH_OPTS:-} -cp "$classpath" \
        io.hanse.kernel.benchmarks.FederationBenchmark "$archive"
fi
if [ "$which" = monitoring ]; then
    java "${generator_opts[@]}" ${BENCH_OPTS:-} -cp "$classpath" \
        io.hanse.kernel.benchmarks.MonitoringBenchmark "$archive"
fi
