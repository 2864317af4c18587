#!/usr/bin/env bash
# SAML metadata benchmark (not a test): reads an eduGAIN-size signed aggregate (default 5000 IdPs, about 46 MB) the
# way Tessera reads a metadata source, with the hardened parse alone as the baseline in the same run, in a JVM
# limited to 512 MB of heap. Targets (issue 6): under 10 s and under 200 MB retained.
# Usage: bench/saml.sh [idps]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests install
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
java -Xmx512m -cp "$cp" eu.tessera.bench.SamlMetadataBench "${1:-5000}"
