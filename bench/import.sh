#!/usr/bin/env bash
# Import benchmark (not a test): serves N accounts (default 10000) from the INDIGO IAM STAND-IN of the import tests
# (IamDataset: a 4-level tree, certificates, identities, labels, attributes, AUP signatures), imports them with the
# README's command (`tessera-server.jar import iam`, server not running) into a fresh H2 database, then, as the
# baseline on the same database engine and disk, inserts as many accounts with their membership through plain JDBC
# batches (AccountsBench). Prints the import's time (whole command, and the import itself from the report), its CPU
# time, accounts/s and writes/s, and the raw insert rate.
# Usage: bench/import.sh [accounts]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
n=${1:-10000}
mvn -B -q -DskipTests install
(cd server && mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test \
   -Dmdep.outputFile=target/test-classpath.txt > /dev/null)
work=$(mktemp -d)
port=18086
token="bench-token-$RANDOM$RANDOM"
echo "$token" > "$work/token"
java -cp "server/target/test-classes:server/target/classes:$(cat server/target/test-classpath.txt)" \
  eu.tessera.server.migration.IamStandInMain "$port" "$n" "$token" > "$work/iam.log" 2>&1 &
iam=$!
trap 'kill $iam 2> /dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 60); do grep -q 'stand-in at' "$work/iam.log" && break; sleep 1; done
cd "$work"
start=$(date +%s.%N)
/usr/bin/time -f '%U %S' -o cpu java -Xmx512m -jar "$root/server/target/tessera-server.jar" import iam \
  --url "http://127.0.0.1:$port" --token-file token --report report.json > import.log 2>&1 \
  || { tail -40 import.log; exit 1; }
end=$(date +%s.%N)
grep -A12 '^Import from' import.log | grep -v '^  refused' || true
read -r user sys < cpu
read -r writes accounts phase < <(python3 - <<'PY'
import json, datetime
r = json.load(open("report.json"))
t = lambda s: datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
print(r["writes"], r["counts"]["accounts"].get("created", 0), (t(r["finished"]) - t(r["started"])).total_seconds())
PY
)
awk -v s="$start" -v e="$end" -v p="$phase" -v a="$accounts" -v w="$writes" -v u="$user" -v y="$sys" 'BEGIN {
  printf "import command: %.1f s wall (JVM and Spring start included), %.1f s CPU\n", e - s, u + y
  printf "import itself:  %.1f s for %d accounts: %.0f accounts/s, %d writes: %.0f writes/s\n", p, a, a / p, w, w / p }'
db="jdbc:h2:file:$work/data/tessera;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
java -cp "$root/bench/target/classes:$(cat "$root/bench/target/classpath.txt")" eu.tessera.bench.AccountsBench "$db" "$n"
