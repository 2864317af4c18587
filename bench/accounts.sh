#!/usr/bin/env bash
# Account paging benchmark (not a test): starts Tessera on a fresh H2 database (AUTO_SERVER so the filler can
# connect), adds N accounts (default 100000) each in /escape, then times, 5 requests each, with curl:
# SCIM pages at the start, middle and end (count=100), a SCIM filter, the admin accounts page at the start,
# middle and end (50 per page) and an admin search. Prints milliseconds per request (mean of 5, warm).
# Usage: bench/accounts.sh [accounts]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
n=${1:-100000}
mvn -B -q -DskipTests install
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
work=$(mktemp -d)
port=18082
url=http://127.0.0.1:$port
db="jdbc:h2:file:$work/data/tessera;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=TRUE"
source bench/lib.sh
trap 'stop_server; rm -rf "$work"' EXIT
TESSERA_DEMO_ENABLED=true TESSERA_ADMIN_PASSWORD=bench-admin-password TESSERA_ADMIN_CLIENT_ID=bench-admin \
  TESSERA_ADMIN_CLIENT_SECRET=bench-admin-secret SPRING_DATASOURCE_URL="$db" start_server $port
java -cp "$cp" eu.tessera.bench.AccountsBench "$db" "$n"
token=$(curl -sf -u bench-admin:bench-admin-secret -d grant_type=client_credentials -d 'scope=scim:read' \
        "$url/token" | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
jar=$work/cookies
csrf=$(curl -sf -c "$jar" -b "$jar" "$url/login" | sed -n 's/.*name="_csrf"[^>]*value="\([^"]*\)".*/\1/p' | head -1)
curl -sf -c "$jar" -b "$jar" -o /dev/null -d "username=admin&password=bench-admin-password&_csrf=$csrf" "$url/login"
time_ms() { # label, curl args...
  local label=$1; shift
  curl -sf -o /dev/null "$@"   # warm-up
  local total=0
  for _ in 1 2 3 4 5; do
    t=$(curl -sf -o /dev/null -w '%{time_total}' "$@")
    total=$(awk -v a="$total" -v b="$t" 'BEGIN {print a + b}')
  done
  awk -v l="$label" -v t="$total" 'BEGIN {printf "%-58s %7.1f ms\n", l, t * 1000 / 5}'
}
echo "accounts: $(curl -sf -H "Authorization: Bearer $token" "$url/scim/Users?count=0" | sed 's/.*"totalResults":\([0-9]*\).*/\1/')"
time_ms "SCIM /scim/Users startIndex=1 count=100" -H "Authorization: Bearer $token" "$url/scim/Users?startIndex=1&count=100"
time_ms "SCIM /scim/Users startIndex=$((n / 2)) count=100" -H "Authorization: Bearer $token" "$url/scim/Users?startIndex=$((n / 2))&count=100"
time_ms "SCIM /scim/Users startIndex=$((n - 100)) count=100" -H "Authorization: Bearer $token" "$url/scim/Users?startIndex=$((n - 100))&count=100"
time_ms "SCIM filter userName sw \"user0999\"" -H "Authorization: Bearer $token" "$url/scim/Users?filter=userName%20sw%20%22user0999%22"
time_ms "admin page /admin/accounts page=1" -b "$jar" "$url/admin/accounts?page=1"
time_ms "admin page /admin/accounts page=$((n / 100))" -b "$jar" "$url/admin/accounts?page=$((n / 100))"
time_ms "admin page /admin/accounts page=$((n / 50))" -b "$jar" "$url/admin/accounts?page=$((n / 50))"
time_ms "admin search q=user0999" -b "$jar" "$url/admin/accounts?q=user0999"
time_ms "admin page /admin/accounts sort=newest page=1" -b "$jar" "$url/admin/accounts?sort=newest&page=1"
time_ms "admin page /admin/accounts sort=name page=$((n / 100))" -b "$jar" "$url/admin/accounts?sort=name&page=$((n / 100))"
time_ms "admin dashboard /" -b "$jar" "$url/"
time_ms "admin group tree /admin/groups" -b "$jar" "$url/admin/groups"
escape=$(curl -sf -b "$jar" "$url/admin/groups" | tr '\n' ' ' | sed -n 's|.*data-path="/escape">[^<]*<details[^>]*>[^<]*<summary><a href="/manage/groups/\([^"]*\)".*|\1|p')
time_ms "group page /escape (all $n members) page=1" -b "$jar" "$url/manage/groups/$escape?page=1"
time_ms "group page /escape page=$((n / 100))" -b "$jar" "$url/manage/groups/$escape?page=$((n / 100))"
time_ms "group page /escape q=user0999" -b "$jar" "$url/manage/groups/$escape?q=user0999"
time_ms "requests inbox /manage/requests" -b "$jar" "$url/manage/requests"
