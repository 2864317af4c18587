#!/usr/bin/env bash
# Token benchmarks (not a test). Starts Tessera from the built jar on a fresh H2 database on 127.0.0.1,
# warms it up, drives client_credentials issuance, introspection and token exchange over HTTP with wrk at each
# concurrency level (default 16 and 64 connections, 30 s each) and, in the same run, measures the raw RS256
# signing and verification rates of the same key type and size on this machine. Prints requests/s, p50,
# p99, errors and the ratios.
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
source bench/lib.sh
trap 'stop_server; rm -rf "$work"' EXIT
TESSERA_DEMO_ENABLED=true TESSERA_DEMO_CLIENT_SECRET=$secret TESSERA_INTROSPECTION_CLIENTS=demo-client \
  TESSERA_ADMIN_CLIENT_ID=bench-admin TESSERA_ADMIN_CLIENT_SECRET=bench-admin-secret start_server $port
basic=$(printf 'demo-client:%s' "$secret" | base64 -w0)
url=http://127.0.0.1:$port
token=$(curl -sf -u "demo-client:$secret" -d grant_type=client_credentials -d scope=storage.read:/escape \
        "$url/token" | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
issuance_script "$work/issue.lua" demo-client "$secret"
cat > "$work/introspect.lua" <<LUA
wrk.method = "POST"
wrk.body = "token=$token"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic $basic"
LUA
curl -sf -u "demo-client:$secret" -d "token=$token" "$url/introspect" | grep -q '"active":true'
register_client "$url" '{"client_name":"fts","grant_types":["urn:ietf:params:oauth:grant-type:token-exchange"],"scope":"storage.read:/escape"}'
fts_id=$CLIENT_ID
fts_secret=$CLIENT_SECRET
cat > "$work/exchange.lua" <<LUA
wrk.method = "POST"
wrk.body = "grant_type=urn:ietf:params:oauth:grant-type:token-exchange&subject_token_type=urn:ietf:params:oauth:token-type:access_token&scope=storage.read:/escape/cms&subject_token=$token"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic $(printf '%s:%s' "$fts_id" "$fts_secret" | base64 -w0)"
LUA
curl -sf -u "$fts_id:$fts_secret" --data-binary @<(sed -n 's/^wrk.body = "\(.*\)"$/\1/p' "$work/exchange.lua") \
  "$url/token" | grep -q access_token

measure() { # name script path
  wrk -t2 -c16 -d10s -s "$work/$2" "$url$3" > /dev/null   # warm-up (JIT)
  for c in $levels; do
    wrk_level "$1" "$c" "$seconds" "$work/$2" "$url$3"
    echo "$1 $c $WRK_RATE" >> "$work/rates"
  done
}
measure issuance issue.lua /token
measure introspection introspect.lua /introspect
measure exchange exchange.lua /token
stop_server
baseline=$(java -cp bench/target/classes eu.tessera.bench.TokenIssuanceBench 10)
sign=$(awk '/raw_signatures/ {print $2}' <<< "$baseline")
verify=$(awk '/raw_verifications/ {print $2}' <<< "$baseline")
echo "raw RS256 (RSA 2048, all cores, server stopped): $sign signatures/s, $verify verifications/s"
while read -r name c rate; do
  base=$sign; kind=signing
  [ "$name" = introspection ] && base=$verify && kind=verification
  awk -v n="$name" -v c="$c" -v r="$rate" -v b="$base" -v k="$kind" \
      'BEGIN {printf "%s at %s connections / raw %s: %.0f%%\n", n, c, k, 100 * r / b}'
done < "$work/rates"
