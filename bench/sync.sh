#!/usr/bin/env bash
# Account sync benchmark (not a test): the initial reconciliation of N accounts (default 10000) against the Rucio
# STAND-IN (Rucio cannot run here; the stand-in follows its REST API). Baseline in the same run: the raw rate of
# GET /accounts/{a} calls against the stand-in with the sync's HTTP client and concurrency (4).
# Steps: Tessera on a fresh H2 database, sync disabled; N accounts in /escape (bench AccountsBench); their change
# events dropped, so only the reconciliation provisions them; Tessera restarted with sync to the stand-in
# (userpass); then timed with curl: the initial reconciliation (creates every Rucio account: account, owner
# attribute, OIDC identity), a second one (nothing to do: reads only), and a dry run.
# Usage: bench/sync.sh [accounts]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
n=${1:-10000}
mvn -B -q -DskipTests install
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
work=$(mktemp -d)
port=18083
rport=18084
url=http://127.0.0.1:$port
db="jdbc:h2:file:$work/data/tessera;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=TRUE"
pids=()
source bench/lib.sh
cleanup() { stop_server; for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
java -cp "$cp" eu.tessera.bench.SyncBench standin $rport > "$work/standin.log" 2>&1 &
pids+=($!)
export SERVER_HEAP=1g
server_env() { TESSERA_DEMO_ENABLED=true TESSERA_ADMIN_PASSWORD=bench-admin-password TESSERA_ADMIN_CLIENT_ID=bench-admin \
  TESSERA_ADMIN_CLIENT_SECRET=bench-admin-secret SPRING_DATASOURCE_URL="$db" start_server $port "$@"; }
server_env
java -cp "$cp" eu.tessera.bench.AccountsBench "$db" "$n"
java -cp "$cp" eu.tessera.bench.SyncBench clear-events "$db"
stop_server
server_env --tessera.sync.enabled=true --tessera.sync.reconcile-interval=0s \
  --tessera.sync.targets[0].name=rucio --tessera.sync.targets[0].type=RUCIO \
  --tessera.sync.targets[0].url=http://127.0.0.1:$rport --tessera.sync.targets[0].groups=/escape \
  --tessera.sync.targets[0].auth=USERPASS --tessera.sync.targets[0].rucio-account=root \
  --tessera.sync.targets[0].username=tessera-sync --tessera.sync.targets[0].password=bench-rucio-password
java -cp "$cp" eu.tessera.bench.SyncBench baseline http://127.0.0.1:$rport
token=$(curl -sf -u bench-admin:bench-admin-secret -d grant_type=client_credentials -d 'scope=iam:admin.write' \
        "$url/token" | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
reconcile() { # label, dryRun
  local t
  t=$(curl -sf -o "$work/report.json" -w '%{time_total}' -X POST -H "Authorization: Bearer $token" \
      "$url/iam/sync/rucio/reconcile?dryRun=$2")
  printf '%-44s %8.1f s  %s\n' "$1" "$t" "$(sed 's/"operations":\[[^]]*\],//' "$work/report.json" | cut -c1-300)"
}
reconcile "initial reconciliation ($n accounts)" false
reconcile "second reconciliation (nothing to do)" false
reconcile "dry run" true
sleep 10; tail -1 "$work/standin.log"
