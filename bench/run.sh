#!/usr/bin/env bash
# Token-issuance benchmark (not a test). Starts Tessera from the built jar on a fresh H2 database on
# 127.0.0.1, warms it up, drives client_credentials over HTTP with wrk at each concurrency level
# (default 16 and 64 connections, 30 s each) and, in the same run, measures the raw RS256 signing rate
# of the same key type and size on this machine. Prints tokens/s, p50, p99, errors and the ratio.
# Usage: bench/run.sh [seconds] [connections...]     (installs Debian wrk when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${1:-30}
shift || true
levels=${*:-16 64}
command -v wrk > /dev/null || { apt-get update -q > /dev/null && apt-get install -y -q wrk > /dev/null; }
mvn -B -q -DskipTests install
work=$(mktemp -d)
port=18080
secret=bench-demo-secret
( cd "$work" && TESSERA_DEMO_ENABLED=true TESSERA_DEMO_CLIENT_SECRET=$secret \
  exec java -Xmx512m -jar "$root/server/target/tessera-server.jar" --server.port=$port \
    --tessera.issuer=http://127.0.0.1:$port --logging.level.root=warn > "$work/server.log" 2>&1 ) &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 60); do
  curl -sf "http://127.0.0.1:$port/actuator/health" > /dev/null && break
  sleep 1
done
cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = "grant_type=client_credentials&scope=storage.read:/escape"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic $(printf 'demo-client:%s' "$secret" | base64 -w0)"
LUA
url=http://127.0.0.1:$port/token
curl -sf -u "demo-client:$secret" -d grant_type=client_credentials "$url" | grep -q access_token
wrk -t2 -c16 -d10s -s "$work/post.lua" "$url" > /dev/null   # warm-up (JIT)
for c in $levels; do
  out=$(wrk -t2 -c"$c" -d"${seconds}s" --latency -s "$work/post.lua" "$url")
  rate=$(awk '/Requests\/sec/ {print $2}' <<< "$out")
  p50=$(awk '$1=="50%" {print $2}' <<< "$out")
  p99=$(awk '$1=="99%" {print $2}' <<< "$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<< "$out")
  sockerr=$(awk -F'[ ,]+' '/Socket errors/ {print $4+$6+$8+$10}' <<< "$out")
  echo "client_credentials, $c connections, ${seconds}s: $rate tokens/s, p50 $p50, p99 $p99, errors $(( ${non2xx:-0} + ${sockerr:-0} ))"
  echo "$rate" >> "$work/rates"
done
kill $server; wait $server 2>/dev/null || true
raw=$(java -cp bench/target/classes eu.tessera.bench.TokenIssuanceBench 10 | awk '{print $2}')
echo "raw RS256 signing (RSA 2048, all cores, server stopped): $raw signatures/s"
while read -r rate; do
  awk -v r="$rate" -v b="$raw" 'BEGIN {printf "issuance / raw signing: %.0f%%\n", 100 * r / b}'
done < "$work/rates"
