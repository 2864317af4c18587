// Interop check with real third-party clients: openid-client (discovery, client_credentials,
// code + PKCE, refresh, userinfo, token exchange, introspection, revocation) and jose (every access token verified against the JWKS).
// The browser part of the code flow (login, consent) is done by the Java test: this script prints
// "AUTHORIZE <url>" and reads the callback URL from standard input. The last line is a JSON summary.
import * as oidc from 'openid-client';
import * as jose from 'jose';
import * as readline from 'node:readline';

const issuer = new URL(process.env.ISSUER);
const clientId = process.env.CLIENT_ID;
const clientSecret = process.env.CLIENT_SECRET;
const redirectUri = process.env.REDIRECT_URI;
const WLCG_ANY = 'https://wlcg.cern.ch/jwt/v1/any';

const lines = readline.createInterface({ input: process.stdin });
const nextLine = () => new Promise((resolve) => lines.once('line', resolve));

const config = await oidc.discovery(issuer, clientId, clientSecret, oidc.ClientSecretBasic(clientSecret),
  { execute: [oidc.allowInsecureRequests] });
const jwks = jose.createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri));
const verify = async (token) => {
  const { payload, protectedHeader } = await jose.jwtVerify(token, jwks, {
    issuer: issuer.href.replace(/\/$/, ''), audience: WLCG_ANY, typ: 'at+jwt',
    requiredClaims: ['sub', 'exp', 'iat', 'jti', 'nbf', 'wlcg.ver', 'client_id'] });
  return { header: protectedHeader, claims: payload };
};
const summary = {};

const cc = await oidc.clientCredentialsGrant(config, { scope: 'storage.read:/escape/cms compute.read' });
summary.clientCredentials = { token_type: cc.token_type, scope: cc.scope, ...(await verify(cc.access_token)) };

const codeVerifier = oidc.randomPKCECodeVerifier();
const state = oidc.randomState();
const nonce = oidc.randomNonce();
const url = oidc.buildAuthorizationUrl(config, {
  redirect_uri: redirectUri, scope: 'openid profile offline_access wlcg.groups', state, nonce,
  code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256' });
console.log('AUTHORIZE ' + url.href);
const callback = await nextLine();
const tokens = await oidc.authorizationCodeGrant(config, new URL(callback),
  { pkceCodeVerifier: codeVerifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
const idClaims = tokens.claims();
summary.code = { ...(await verify(tokens.access_token)), idToken: idClaims, hasRefresh: !!tokens.refresh_token };

const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token);
summary.refresh = { ...(await verify(refreshed.access_token)),
  rotated: !!refreshed.refresh_token && refreshed.refresh_token !== tokens.refresh_token };

summary.userinfo = await oidc.fetchUserInfo(config, refreshed.access_token, idClaims.sub);

// token exchange by a second client (registered by the test for the exchange grant)
const fts = await oidc.discovery(issuer, process.env.FTS_ID, process.env.FTS_SECRET,
  oidc.ClientSecretBasic(process.env.FTS_SECRET), { execute: [oidc.allowInsecureRequests] });
const exchanged = await oidc.genericGrantRequest(fts, 'urn:ietf:params:oauth:grant-type:token-exchange', {
  subject_token: refreshed.access_token, subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
  requested_token_type: 'urn:ietf:params:oauth:token-type:access_token', scope: 'wlcg.groups',
  audience: 'https://se.example.org' });
const exchangedClaims = await jose.jwtVerify(exchanged.access_token, jwks, {
  issuer: issuer.href.replace(/\/$/, ''), audience: 'https://se.example.org', typ: 'at+jwt' });
summary.exchange = { token_type: exchanged.token_type, issued_token_type: exchanged.issued_token_type,
  claims: exchangedClaims.payload };

// device flow with a client registered for it (the test approves the printed user code as the user)
const cli = await oidc.discovery(issuer, process.env.DEVICE_ID, process.env.DEVICE_SECRET,
  oidc.ClientSecretBasic(process.env.DEVICE_SECRET), { execute: [oidc.allowInsecureRequests] });
const device = await oidc.initiateDeviceAuthorization(cli, { scope: 'openid offline_access wlcg.groups' });
console.log('DEVICE ' + device.user_code);
const deviceTokens = await oidc.pollDeviceAuthorizationGrant(cli, device);
summary.device = { ...(await verify(deviceTokens.access_token)), hasRefresh: !!deviceTokens.refresh_token };

// a public client (token_endpoint_auth_method none) in the code flow with PKCE: refresh tokens too (RFC 9700
// section 4.14.2: allowed when rotated with reuse detection), and INDIGO IAM's eduperson_entitlement scope
const spa = await oidc.discovery(issuer, process.env.PUBLIC_ID, undefined, oidc.None(),
  { execute: [oidc.allowInsecureRequests] });
const spaVerifier = oidc.randomPKCECodeVerifier();
const spaState = oidc.randomState();
const spaUrl = oidc.buildAuthorizationUrl(spa, {
  redirect_uri: redirectUri, scope: 'openid offline_access wlcg.groups eduperson_entitlement', state: spaState,
  code_challenge: await oidc.calculatePKCECodeChallenge(spaVerifier), code_challenge_method: 'S256' });
console.log('AUTHORIZE ' + spaUrl.href);
const spaCallback = await nextLine();
const spaTokens = await oidc.authorizationCodeGrant(spa, new URL(spaCallback),
  { pkceCodeVerifier: spaVerifier, expectedState: spaState });
summary.publicCode = { ...(await verify(spaTokens.access_token)), scope: spaTokens.scope,
  hasRefresh: !!spaTokens.refresh_token };
const spaRefreshed = await oidc.refreshTokenGrant(spa, spaTokens.refresh_token);
summary.publicRefresh = { ...(await verify(spaRefreshed.access_token)),
  rotated: !!spaRefreshed.refresh_token && spaRefreshed.refresh_token !== spaTokens.refresh_token };

summary.introspection = await oidc.tokenIntrospection(config, refreshed.access_token);
await oidc.tokenRevocation(config, refreshed.access_token);
summary.afterRevocation = await oidc.tokenIntrospection(config, refreshed.access_token);
console.log(JSON.stringify(summary));
lines.close();
