// A relying party's view of an issuer that ends with a slash, as INDIGO IAM's always does (https://iam.example/):
// openid-client's discovery (which requires the metadata's issuer to equal the URL it was given) and a
// client_credentials token verified by jose against the JWKS with that exact issuer. Prints one JSON line.
import * as oidc from 'openid-client';
import * as jose from 'jose';

const issuer = process.env.ISSUER;   // with its trailing slash
const config = await oidc.discovery(new URL(issuer), process.env.CLIENT_ID, process.env.CLIENT_SECRET,
  oidc.ClientSecretBasic(process.env.CLIENT_SECRET), { execute: [oidc.allowInsecureRequests] });
const metadata = config.serverMetadata();
const token = await oidc.clientCredentialsGrant(config, { scope: 'iam:admin.read' });
const jwks = jose.createRemoteJWKSet(new URL(metadata.jwks_uri));
const { payload } = await jose.jwtVerify(token.access_token, jwks, { issuer, typ: 'at+jwt' });
console.log(JSON.stringify({ issuer: metadata.issuer, token_endpoint: metadata.token_endpoint,
  jwks_uri: metadata.jwks_uri, iss: payload.iss, sub: payload.sub }));
