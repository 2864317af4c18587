#!/usr/bin/env bash
# Device-flow polling at scale (not a test), issue 16: N pending devices (default 1000), each polled every 5 s as
# RFC 8628 3.5 asks (the interval Tessera announces), i.e. N/5 token requests a second answered
# authorization_pending. Prints the server's CPU over the run (utime+stime from /proc) as a share of one core, beside
# the same server idle for the same time.
# Usage: bench/device-poll.sh [devices] [seconds]     (default 1000 60; installs Debian wrk when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
devices=${1:-1000}
seconds=${2:-60}
command -v wrk > /dev/null || { apt-get update -q > /dev/null && apt-get install -y -q wrk > /dev/null; }
mvn -B -q -DskipTests install
work=$(mktemp -d)
port=18085
source bench/lib.sh
trap 'stop_server; rm -rf "$work"' EXIT
SERVER_HEAP=128m TESSERA_ADMIN_CLIENT_ID=bench-admin TESSERA_ADMIN_CLIENT_SECRET=bench-admin-secret \
  start_server $port
url=http://127.0.0.1:$port
hz=$(getconf CLK_TCK)
register_client "$url" '{"client_name":"cli","token_endpoint_auth_method":"none","grant_types":["urn:ietf:params:oauth:grant-type:device_code","refresh_token"],"scope":"openid offline_access"}'
client=$CLIENT_ID
for _ in $(seq 1 "$devices"); do
  curl -sf -d "client_id=$client" -d scope=openid "$url/devicecode" | sed 's/.*"device_code":"\([^"]*\)".*/\1/'
  echo
done > "$work/codes"
[ "$(wc -l < "$work/codes")" -eq "$devices" ]
# RFC 8628 3.2: without an interval in the answer, clients poll every 5 s
interval=$(curl -sf -d "client_id=$client" -d scope=openid "$url/devicecode" | grep -o '"interval":[0-9]*' | cut -d: -f2 \
           || true)
interval=${interval:-5}
connections=$(( devices / interval ))
cat > "$work/poll.lua" <<LUA
local codes = {}
for line in io.lines("$work/codes") do codes[#codes + 1] = line end
local next = 0
local threads = 0
function setup(thread)
  thread:set("offset", threads * math.floor($devices / 2))
  threads = threads + 1
end
function request()
  next = next + 1
  local code = codes[((next + (offset or 0)) % #codes) + 1]
  return wrk.format("POST", "/token", {["Content-Type"] = "application/x-www-form-urlencoded"},
    "grant_type=urn:ietf:params:oauth:grant-type:device_code&client_id=$client&device_code=" .. code)
end
function delay() return 1000 end
LUA
# JIT warm-up: the same polling for a minute first, not measured (C2 compiles for about that long)
wrk -t2 -c"$connections" -d60s -s "$work/poll.lua" "$url" > /dev/null
sleep 5
before=$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")
sleep "$seconds"
idle=$(( $(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat") - before ))
before=$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")
before_sys=$(awk '{print $15}' "/proc/$SERVER_PID/stat")
thread_cpu "$SERVER_PID" > "$work/threads.before"
out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$work/poll.lua" "$url")
busy=$(( $(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat") - before ))
sys=$(( $(awk '{print $15}' "/proc/$SERVER_PID/stat") - before_sys ))
thread_cpu "$SERVER_PID" > "$work/threads.after"
requests=$(awk '/requests in/ {print $1}' <<< "$out")
answers=$(curl -s -d "grant_type=urn:ietf:params:oauth:grant-type:device_code&client_id=$client&device_code=$(head -1 "$work/codes")" "$url/token")
echo "$devices pending devices polled every ${interval}s ($connections connections, one request a second each): $requests polls in ${seconds}s ($(awk -v r="$requests" -v s="$seconds" 'BEGIN {printf "%.0f", r / s}')/s), p50 $(awk '$1=="50%" {print $2}' <<< "$out"), p99 $(awk '$1=="99%" {print $2}' <<< "$out"); a poll answers: $answers"
awk -v b="$busy" -v k="$sys" -v i="$idle" -v hz="$hz" -v s="$seconds" -v r="$requests" 'BEGIN {
  printf "server CPU while polled: %.1f%% of one core (%.2f ms per poll, of it %.0f%% in the kernel); idle for the same time: %.1f%% of one core\n",
    100 * b / hz / s, 1000 * b / hz / r, 100 * k / b, 100 * i / hz / s }'
echo "server CPU by thread while polled: $(thread_cpu_delta "$work/threads.before" "$work/threads.after")"
# The floor under the same conditions: as many requests to the same endpoint by the same client that fail at once
# (an unsupported grant type: Tomcat, the security filter chain, the client lookup and a JSON error, no device code)
cat > "$work/floor.lua" <<LUA
function request()
  return wrk.format("POST", "/token", {["Content-Type"] = "application/x-www-form-urlencoded"},
    "grant_type=bench_floor&client_id=$client")
end
function delay() return 1000 end
LUA
wrk -t2 -c"$connections" -d30s -s "$work/floor.lua" "$url" > /dev/null
before=$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")
out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$work/floor.lua" "$url")
floor=$(( $(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat") - before ))
floor_requests=$(awk '/requests in/ {print $1}' <<< "$out")
floor_answer=$(curl -s -d "grant_type=bench_floor&client_id=$client" "$url/token")
awk -v f="$floor" -v hz="$hz" -v s="$seconds" -v r="$floor_requests" -v a="$floor_answer" 'BEGIN {
  printf "floor: the same rate of token requests refused at once (%s): %.1f%% of one core (%.2f ms per request)\n",
    a, 100 * f / hz / s, 1000 * f / hz / r }'
