#!/usr/bin/env bash
# Drives Debian's oidc-agent (oidc-agent-cli 4.2.6) as a PUBLIC client of a running Tessera, for OidcAgentIT:
# the client (token_endpoint_auth_method none, device and refresh grants) is registered by the test; oidc-gen
# uses it as a preregistered public client (--pub, read from pubclients.config in the agent's directory), runs
# the device flow (the test approves the code shown) and stores the refresh token; oidc-token then gets fresh
# access tokens from the agent by the refresh grant. oidc-agent authenticates a public client with
# "Authorization: Basic base64(<client_id>:)" and the client_id in the body.
# Output lines the test reads: the device instructions, then "TOKEN <jwt>" and "NARROW_TOKEN <jwt>".
set -euo pipefail
issuer=$1
client_id=$2
scopes="openid offline_access wlcg.groups storage.read:/escape"
export OIDC_CONFIG_DIR
OIDC_CONFIG_DIR=$(mktemp -d)
echo "$client_id@$issuer@$scopes" > "$OIDC_CONFIG_DIR/pubclients.config"
eval "$(oidc-agent --no-autoload)" > /dev/null
trap 'kill "$OIDCD_PID" 2> /dev/null || true; rm -rf "$OIDC_CONFIG_DIR"' EXIT
# the agent daemonises before its socket listens: wait until it answers (else "Could not connect to oidc-agent")
for _ in $(seq 100); do oidc-agent --status > /dev/null 2>&1 && break; sleep 0.1; done
stdbuf -oL -eL oidc-gen --iss="$issuer" --pub --flow=device --scope="$scopes" \
  --no-url-call --no-save --prompt=none --confirm-default tessera-public 2>&1 | grep --line-buffered -v $'\e\\['
echo "TOKEN $(oidc-token tessera-public)"
echo "NARROW_TOKEN $(oidc-token -s storage.read:/escape/cms tessera-public)"
