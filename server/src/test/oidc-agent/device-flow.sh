#!/usr/bin/env bash
# Drives Debian's oidc-agent (oidc-agent-cli 4.2.6) against a running Tessera, for OidcAgentIT:
# oidc-gen registers a client dynamically (anonymously) and runs the device flow (the test approves the
# code shown, as a user in a browser would); oidc-token then gets tokens from the agent, which refreshes.
# Output lines the test reads: the device instructions, then "TOKEN <jwt>", "AUD_TOKEN <jwt>" (--aud) and
# "NARROW_TOKEN <jwt>" (-s, down-scoped by a refresh with a narrower storage path).
set -euo pipefail
issuer=$1
export OIDC_CONFIG_DIR
OIDC_CONFIG_DIR=$(mktemp -d)
eval "$(oidc-agent --no-autoload)" > /dev/null
trap 'kill "$OIDCD_PID" 2> /dev/null || true; rm -rf "$OIDC_CONFIG_DIR"' EXIT
# the agent daemonises before its socket listens: wait until it answers (else "Could not connect to oidc-agent")
for _ in $(seq 100); do oidc-agent --status > /dev/null 2>&1 && break; sleep 0.1; done
stdbuf -oL -eL oidc-gen --iss="$issuer" --flow=device --scope="openid offline_access wlcg.groups storage.read:/escape" \
  --no-url-call --no-save --prompt=none --confirm-default tessera-test 2>&1 | grep --line-buffered -v $'\e\\['
echo "TOKEN $(oidc-token tessera-test)"
echo "AUD_TOKEN $(oidc-token --aud=https://se.example.org tessera-test)"
echo "NARROW_TOKEN $(oidc-token -s storage.read:/escape/cms tessera-test)"
