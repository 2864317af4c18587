# Shared by the benchmark scripts (sourced after `cd` to the repository root, with $root and $work set).

# start_server PORT [server arguments...]: starts the built jar in $work (H2 database under $work/data, log in
# $work/server.log), waits until it is healthy and sets SERVER_PID (scripts call stop_server on exit). Environment
# variables set on the call (TESSERA_...=... start_server ...) configure it; SERVER_HEAP sets -Xmx (512m),
# SERVER_JAVA_OPTS adds JVM options (e.g. a JFR recording).
start_server() {
  local port=$1
  shift
  ( cd "$work" && exec java -Xmx"${SERVER_HEAP:-512m}" ${SERVER_JAVA_OPTS:-} -jar "$root/server/target/tessera-server.jar" \
      --server.port="$port" --tessera.issuer="http://127.0.0.1:$port" --logging.level.root=warn "$@" \
      > "$work/server.log" 2>&1 ) &
  SERVER_PID=$!
  for _ in $(seq 1 90); do
    curl -sf "http://127.0.0.1:$port/actuator/health" > /dev/null && return 0
    sleep 1
  done
  echo "the server did not start:"
  cat "$work/server.log"
  return 1
}

# stop_server: stops the server start_server started (if it runs).
stop_server() {
  if [ -n "${SERVER_PID:-}" ]; then
    kill "$SERVER_PID" 2> /dev/null || true
    wait "$SERVER_PID" 2> /dev/null || true
    SERVER_PID=
  fi
}

# register_client URL JSON: registers a client on the server started with TESSERA_ADMIN_CLIENT_ID=bench-admin and
# TESSERA_ADMIN_CLIENT_SECRET=bench-admin-secret (dynamic registration with an iam:admin.write token); sets CLIENT_ID
# and CLIENT_SECRET (empty for a public client).
register_client() {
  local admin answer
  admin=$(curl -sf -u bench-admin:bench-admin-secret -d grant_type=client_credentials -d scope=iam:admin.write \
          "$1/token" | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
  answer=$(curl -sf -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' "$1/register" -d "$2")
  CLIENT_ID=$(sed 's/.*"client_id":"\([^"]*\)".*/\1/' <<< "$answer")
  CLIENT_SECRET=$(grep -o '"client_secret":"[^"]*"' <<< "$answer" | cut -d'"' -f4 || true)
}

# One wrk measurement.
# wrk_level LABEL CONNECTIONS SECONDS LUA_SCRIPT URL -> prints "LABEL, N connections, Ss: R requests/s, p50, p99,
# errors" and sets WRK_RATE to the requests/s.
wrk_level() {
  local label=$1 connections=$2 seconds=$3 script=$4 target=$5 out non2xx sockerr
  out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$script" "$target")
  WRK_RATE=$(awk '/Requests\/sec/ {print $2}' <<< "$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<< "$out")
  sockerr=$(awk -F'[ ,]+' '/Socket errors/ {print $4+$6+$8+$10}' <<< "$out")
  echo "$label, $connections connections, ${seconds}s: $WRK_RATE requests/s, p50 $(awk '$1=="50%" {print $2}' <<< "$out"), p99 $(awk '$1=="99%" {print $2}' <<< "$out"), errors $(( ${non2xx:-0} + ${sockerr:-0} ))"
}

# issuance_script FILE CLIENT_ID SECRET: writes the wrk script both token benchmarks drive client_credentials with.
issuance_script() {
  cat > "$1" <<LUA
wrk.method = "POST"
wrk.body = "grant_type=client_credentials&scope=storage.read:/escape"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic $(printf '%s:%s' "$2" "$3" | base64 -w0)"
LUA
}


# thread_cpu PID: "name ticks" per thread group of the process (utime+stime; digits in thread names dropped, so
# http-nio-..-exec-1..16 add up). thread_cpu_delta BEFORE AFTER prints the top groups between two such snapshots.
thread_cpu() {
  local t
  for t in /proc/"$1"/task/*; do
    awk '{ match($0, /\(.*\)/); name = substr($0, RSTART + 1, RLENGTH - 2); rest = substr($0, RSTART + RLENGTH + 1)
           split(rest, f, " "); gsub(/[0-9]+/, "", name); gsub(/ /, "_", name); print name, f[12] + f[13] }' "$t/stat" \
      2> /dev/null
  done | awk '{ s[$1] += $2 } END { for (k in s) print k, s[k] }'
}
thread_cpu_delta() {
  awk 'NR == FNR { before[$1] = $2; next } { d = $2 - before[$1]; total += d; if (d > 0) print d, $1 }
       END { print total, "TOTAL" }' "$1" "$2" | sort -rn | head -8 | awk '{ printf "%s %s ticks; ", $2, $1 } END { print "" }'
}
