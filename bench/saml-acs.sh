#!/usr/bin/env bash
# SAML assertion consumer benchmark (not a test): validates signed Responses with encrypted assertions on one thread,
# beside the RSA operations each one costs (the baseline, in the same run).
# Usage: bench/saml-acs.sh [responses], default 1000
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests install
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
java -cp "$cp" eu.tessera.bench.SamlResponseBench "${1:-1000}"
