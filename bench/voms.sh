#!/usr/bin/env bash
# VOMS AC issuance benchmark (not a test). Builds Tessera, writes a test PKI, starts the server from the built
# jar on a fresh H2 database with the VOMS AA enabled (TLS listener on 127.0.0.1:18443; 127.0.0.1 trusted as a
# TLS-terminating proxy on the main port), links the bench user's certificate, then measures in one run:
#   - /generate-ac on the main port with trusted-proxy certificate headers (wrk, as behind nginx);
#   - /generate-ac through Tessera's own TLS listener, one request per connection, with and without TLS
#     session resumption (Java driver; a full handshake costs RSA signatures on both sides);
#   - with the server stopped: raw SHA256withRSA signatures/s of the AA's RSA-2048 key and ACs/s of the
#     attribute authority as a library (chain validation, FQANs, encoding), all cores.
# Usage: bench/voms.sh [seconds] [connections...]   (default 20 s at 16 and 64; installs Debian wrk if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${1:-20}
shift || true
levels=${*:-16 64}
command -v wrk > /dev/null || { apt-get update -q > /dev/null && apt-get install -y -q wrk > /dev/null; }
mvn -B -q -DskipTests install
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
work=$(mktemp -d)
pki=$work/pki
java -cp "$cp" eu.tessera.bench.VomsAcBench pki "$pki"
port=18081
voms=18443
source bench/lib.sh
trap 'stop_server; rm -rf "$work"' EXIT
TESSERA_DEMO_ENABLED=true TESSERA_ADMIN_CLIENT_ID=bench-admin TESSERA_ADMIN_CLIENT_SECRET=bench-admin-secret \
  TESSERA_VOMS_ENABLED=true TESSERA_VOMS_VO=escape TESSERA_VOMS_HOST=localhost TESSERA_VOMS_PORT=$voms \
  TESSERA_VOMS_BIND_ADDRESS=127.0.0.1 TESSERA_VOMS_CERTIFICATE=$pki/aa.pem TESSERA_VOMS_PRIVATE_KEY=$pki/aa.key \
  TESSERA_VOMS_CA_DIRECTORY=$pki/certificates TESSERA_VOMS_TRUSTED_PROXIES=127.0.0.1 start_server $port
url=http://127.0.0.1:$port
admin=$(curl -sf -u bench-admin:bench-admin-secret -d grant_type=client_credentials \
        -d 'scope=iam:admin.read iam:admin.write' "$url/token" | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
alice=$(curl -sf -H "Authorization: Bearer $admin" "$url/iam/account/find/byusername?username=alice" \
        | sed 's/.*"id":"\([^"]*\)".*/\1/')
pem=$(sed ':a;N;$!ba;s/\n/\\n/g' "$pki/user.pem")
curl -sf -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
     -d "{\"pem\":\"$pem\",\"label\":\"bench\"}" "$url/iam/account/$alice/certificates" > /dev/null
cat > "$work/voms.lua" <<LUA
wrk.method = "GET"
wrk.headers["X-SSL-Client-Verify"] = "SUCCESS"
wrk.headers["X-SSL-Client-Cert"] = "$(cat "$pki/user.escaped")"
LUA
path="/generate-ac?fqans=/escape/Role=data-manager&lifetime=3600"
curl -sf -H "X-SSL-Client-Verify: SUCCESS" -H "X-SSL-Client-Cert: $(cat "$pki/user.escaped")" "$url$path" \
  | grep -q '<ac>'
wrk -t2 -c16 -d10s -s "$work/voms.lua" "$url$path" > /dev/null   # warm-up (JIT)
: > "$work/rates"
for c in $levels; do
  wrk_level "REST /generate-ac (trusted proxy headers)" "$c" "$seconds" "$work/voms.lua" "$url$path"
  echo "rest-$c $WRK_RATE" >> "$work/rates"
done
for resume in true false; do
  out=$(java -cp "$cp" eu.tessera.bench.VomsAcBench tls "$pki" $voms "$seconds" 16 $resume)
  echo "TLS listener, 16 clients, one request per connection, resumption $resume: $out"
  echo "tls-$resume $(awk '{print $2}' <<< "$out")" >> "$work/rates"
done
stop_server
library=$(java -cp "$cp" eu.tessera.bench.VomsAcBench library "$pki" 10)
raw=$(awk '/raw_signatures/ {print $2}' <<< "$library")
lib=$(awk '/library_acs/ {print $2}' <<< "$library")
echo "raw SHA256withRSA (AA key, RSA 2048, all cores, server stopped): $raw signatures/s"
echo "attribute authority as a library (validate chain, FQANs, encode, sign): $lib ACs/s"
echo "library $lib" >> "$work/rates"
while read -r name rate; do
  awk -v n="$name" -v r="$rate" -v b="$raw" 'BEGIN {printf "%s / raw signing: %.0f%%\n", n, 100 * r / b}'
done < "$work/rates"
