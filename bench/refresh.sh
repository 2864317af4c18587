#!/usr/bin/env bash
# Refresh grant at scale (not a test), issue 16: Tessera on a real PostgreSQL (the tests' embedded one: fsync off)
# holding 100,000 accounts in 5-50 groups each and 1,000,000 live refresh-token families (RefreshScaleBench fills
# them), driven with wrk at 16 connections, every request a different refresh token (rotation, reuse detection,
# scope policies, groups: the whole grant). Prints the rate, p50/p99 and the CPU per token of the server and of
# PostgreSQL (utime+stime from /proc over the run), the same for families of users with 1 and with 50 groups, and
# the raw RS256 signing rate of this machine (server stopped) as the baseline.
# Usage: bench/refresh.sh [accounts] [families] [seconds]     (default 100000 1000000 30; installs Debian wrk)
# BENCH_JFR=/path/file.jfr records a JFR profile of the server during the first (all users) run.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
accounts=${1:-100000}
families=${2:-1000000}
seconds=${3:-30}
command -v wrk > /dev/null || { apt-get update -q > /dev/null && apt-get install -y -q wrk > /dev/null; }
mvn -B -q -DskipTests install
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
work=$(mktemp -d)
port=18086
url=http://127.0.0.1:$port
source bench/lib.sh
mkfifo "$work/pg-in"
java -cp "$cp" eu.tessera.bench.RefreshScaleBench postgres < "$work/pg-in" > "$work/pg-url" 2> "$work/pg.log" &
pg_pid=$!
exec 3> "$work/pg-in"   # PostgreSQL runs until this closes
trap 'stop_server; exec 3>&-; wait $pg_pid 2> /dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do [ -s "$work/pg-url" ] && break; sleep 1; done
jdbc=$(head -1 "$work/pg-url")
[ -n "$jdbc" ] || { cat "$work/pg.log"; exit 1; }
SERVER_HEAP=${SERVER_HEAP:-128m} SPRING_DATASOURCE_URL="${jdbc%%\?*}" SPRING_DATASOURCE_USERNAME=postgres \
  TESSERA_ADMIN_CLIENT_ID=bench-admin TESSERA_ADMIN_CLIENT_SECRET=bench-admin-secret start_server $port
register_client "$url" '{"client_name":"agent","grant_types":["authorization_code","refresh_token"],"redirect_uris":["http://127.0.0.1:9/cb"],"scope":"openid offline_access wlcg.groups storage.read:/escape storage.create:/escape/user"}'
client_id=$CLIENT_ID
client_secret=$CLIENT_SECRET
# what oidc-agent keeps for a storage user: offline access, the groups, read and a personal write path
scopes="offline_access wlcg.groups storage.read:/escape storage.create:/escape/user"
java -cp "$cp" eu.tessera.bench.RefreshScaleBench fill "$jdbc" "$client_id" "$accounts" "$families" "$scopes"
basic=$(printf '%s:%s' "$client_id" "$client_secret" | base64 -w0)

# family n belongs to account n % accounts; accounts 0-1999 have 1 group, 2000-3999 have 50 (RefreshScaleBench).
# refresh_lua FILE FIRST_ACCOUNT WIDTH SKIP: request k (threads interleaved) refreshes the family of account
# FIRST + k % WIDTH, the (SKIP + k / WIDTH)-th of that account's families, so no two requests share a token.
refresh_lua() {
  cat > "$1" <<LUA
local threads = 0
function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end
function init()
  k = id
end
function request()
  local a = $2 + k % $3
  local n = a + $accounts * ($4 + math.floor(k / $3))
  k = k + 2
  return wrk.format("POST", "/token", {["Content-Type"] = "application/x-www-form-urlencoded",
    ["Authorization"] = "Basic $basic"}, "grant_type=refresh_token&refresh_token=bench-rt-" .. n)
end
LUA
}
per_account=$(( families / accounts ))
refresh_lua "$work/warm.lua" 4000 $(( accounts - 4000 )) 0
refresh_lua "$work/mixed.lua" 4000 $(( accounts - 4000 )) $(( per_account / 2 ))
refresh_lua "$work/one.lua" 0 2000 0
refresh_lua "$work/fifty.lua" 2000 2000 0
answer=$(curl -sf -H "Authorization: Basic $basic" -d grant_type=refresh_token \
         -d "refresh_token=bench-rt-$(( 2000 + accounts * (per_account - 1) ))" "$url/token")
grep -q '"refresh_token"' <<< "$answer"
claims=$(sed 's/.*"access_token":"[^.]*\.\([^.]*\)\..*/\1/' <<< "$answer" | tr '_-' '/+' | base64 -d 2> /dev/null || true)
echo "a refreshed token of a 50-group user carries $(grep -o '"/escape[^"]*"' <<< "$claims" | wc -l) groups"

pg_cpu() { # utime+stime (ticks) of every PostgreSQL process of the embedded server
  local total=0 p
  for p in /proc/[0-9]*; do
    if readlink "$p/exe" 2> /dev/null | grep -q embedded-pg; then
      total=$(( total + $(awk '{print $14 + $15}' "$p/stat" 2> /dev/null || echo 0) ))
    fi
  done
  echo "$total"
}
server_cpu() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"; }
hz=$(getconf CLK_TCK)
measure() { # key label lua seconds
  local s0 p0 out requests errors s p
  s0=$(server_cpu); p0=$(pg_cpu)
  out=$(wrk -t2 -c16 -d"$4s" --latency -s "$3" "$url/token")
  s=$(( $(server_cpu) - s0 )); p=$(( $(pg_cpu) - p0 ))
  requests=$(awk '/requests in/ {print $1}' <<< "$out")
  errors=$(awk '/Non-2xx/ {n = $5} END {print n + 0}' <<< "$out")
  awk -v l="$2" -v r="$requests" -v t="$4" -v s="$s" -v p="$p" -v hz="$hz" -v e="$errors" \
      -v p50="$(awk '$1=="50%" {print $2}' <<< "$out")" -v p99="$(awk '$1=="99%" {print $2}' <<< "$out")" 'BEGIN {
    printf "%s, 16 connections, %ss: %.0f tokens/s, p50 %s, p99 %s, errors %d; CPU per token: server %.2f ms, PostgreSQL %.2f ms\n",
      l, t, r / t, p50, p99, e, 1000 * s / hz / r, 1000 * p / hz / r }'
  echo "$1 $requests $4 $s $p" >> "$work/runs"
}
# JIT warm-up: C2 compiles the grant's hot methods for about a minute (JFR jdk.Compilation)
wrk -t2 -c16 -d60s -s "$work/warm.lua" "$url/token" > /dev/null
[ -z "${BENCH_JFR:-}" ] || jcmd "$SERVER_PID" JFR.start name=bench settings=${BENCH_JFR_SETTINGS:-profile} filename="$BENCH_JFR" > /dev/null
measure mixed "refresh, all users (5-50 groups)" "$work/mixed.lua" "$seconds"
[ -z "${BENCH_JFR:-}" ] || jcmd "$SERVER_PID" JFR.stop name=bench > /dev/null
measure one "refresh, users with 1 group" "$work/one.lua" 10
measure fifty "refresh, users with 50 groups" "$work/fifty.lua" 10
stop_server
baseline=$(java -cp bench/target/classes eu.tessera.bench.TokenIssuanceBench 10)
sign=$(awk '/raw_signatures/ {print $2}' <<< "$baseline")
echo "raw RS256 (RSA 2048, all cores, server stopped): $sign signatures/s"
awk -v sign="$sign" -v hz="$hz" '
  { cpu[$1] = 1000 * ($4 + $5) / hz / $2 }
  $1 == "mixed" { printf "refresh rate (all users) / raw signing: %.0f%%\n", 100 * $2 / $3 / sign }
  END { printf "CPU per token (server + PostgreSQL): 1 group %.2f ms, 50 groups %.2f ms: %+.0f%%\n", cpu["one"],
               cpu["fifty"], 100 * (cpu["fifty"] / cpu["one"] - 1) }' "$work/runs"
