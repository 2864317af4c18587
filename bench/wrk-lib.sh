# Shared by the benchmark scripts (sourced): one wrk measurement.
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
