#!/usr/bin/env bash
# Memory and CPU footprint (not a test), issue 16. For each JVM/server setting below, starts the built jar on a
# fresh H2 database, lets it settle, reads its resident memory (RSS) at idle, then drives client_credentials issuance
# at 64 connections for the given time with wrk and reads RSS again; the CPU per token is the server process's
# utime+stime over the load divided by the tokens issued. The raw RS256 signing rate of the same key type is
# measured in the same run (server stopped) as the baseline.
# Usage: bench/footprint.sh [seconds]      (default 60; installs Debian wrk when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${1:-60}
command -v wrk > /dev/null || { apt-get update -q > /dev/null && apt-get install -y -q wrk > /dev/null; }
mvn -B -q -DskipTests install
work=$(mktemp -d)
port=18081
secret=bench-demo-secret
hz=$(getconf CLK_TCK)
source bench/lib.sh
trap 'kill $pid 2> /dev/null || true; rm -rf "$work"' EXIT

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

# label | environment | JVM options | server arguments; FOOTPRINT_VARIANTS (lines in that form) replaces the list.
# In a variant's environment, FOOTPRINT_JAVA (a java binary) and FOOTPRINT_JAR (an extracted jar) choose another JVM
# and jar, e.g. Java 25 with the image's ahead-of-time cache (bench/README.md)
variants=(
  "JVM defaults (no options)|||"
  "shipped defaults (bin/run, image, Kubernetes)|$(sed -n 's/^TESSERA_ENV_DEFAULTS="\(.*\)"$/\1/p' bin/run)|$(sed -n 's/^TESSERA_JAVA_DEFAULTS="\(.*\)"$/\1/p' bin/run)|"
)
if [ -n "${FOOTPRINT_VARIANTS:-}" ]; then
  mapfile -t variants <<< "$FOOTPRINT_VARIANTS"
fi
for variant in "${variants[@]}"; do
  IFS='|' read -r label environment jvm args <<< "$variant"
  rm -rf "$work/data"
  ( cd "$work" && export $environment TESSERA_DEMO_ENABLED=true TESSERA_DEMO_CLIENT_SECRET=$secret && exec "${FOOTPRINT_JAVA:-java}" $jvm \
      -jar "${FOOTPRINT_JAR:-$root/server/target/tessera-server.jar}" --server.port=$port \
      --tessera.issuer="http://127.0.0.1:$port" --logging.level.root=warn $args > "$work/server.log" 2>&1 ) &
  pid=$!
  for _ in $(seq 1 90); do
    curl -sf "http://127.0.0.1:$port/actuator/health/readiness" > /dev/null && break
    sleep 1
  done
  issuance_script "$work/issue.lua" demo-client "$secret"
  sleep 20
  idle=$(rss_mb $pid)
  wrk -t2 -c16 -d10s -s "$work/issue.lua" "http://127.0.0.1:$port/token" > /dev/null   # JIT warm-up
  sleep 5
  warm_idle=$(rss_mb $pid)
  before=$(cpu_ticks $pid)
  out=$(wrk -t2 -c64 -d"${seconds}s" --latency -s "$work/issue.lua" "http://127.0.0.1:$port/token")
  after=$(cpu_ticks $pid)
  loaded=$(rss_mb $pid)
  requests=$(awk '/requests in/ {print $1}' <<< "$out")
  rate=$(awk '/Requests\/sec/ {print $2}' <<< "$out")
  p50=$(awk '$1=="50%" {print $2}' <<< "$out")
  p99=$(awk '$1=="99%" {print $2}' <<< "$out")
  cpu=$(awk -v t=$((after - before)) -v hz=$hz -v n="$requests" 'BEGIN {printf "%.2f", 1000 * t / hz / n}')
  # open loop at half the rate just measured (requests due on a fixed schedule; latency from when each was due)
  half=$(awk -v r="$rate" 'BEGIN {printf "%d", r / 2}')
  open=$(java -cp "$root/bench/target/classes" eu.tessera.bench.OpenLoopBench "http://127.0.0.1:$port/token" \
         demo-client "$secret" "$half" 30)
  echo "$label [$environment $jvm $args]: RSS idle ${idle} MB (after warm-up ${warm_idle} MB), after ${seconds}s at 64 connections ${loaded} MB; $rate tokens/s, p50 $p50, p99 $p99, CPU ${cpu} ms/token; $open"
  kill $pid; wait $pid 2> /dev/null || true
done
baseline=$(java -cp bench/target/classes eu.tessera.bench.TokenIssuanceBench 10)
sign=$(awk '/raw_signatures/ {print $2}' <<< "$baseline")
echo "raw RS256 (RSA 2048, all cores, server stopped): $sign signatures/s = $(awk -v s="$sign" -v n="$(nproc)" 'BEGIN {printf "%.2f", n * 1000 / s}') ms CPU per signature"
