package eu.tessera.server.oauth2.client;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.oauth2.DiscoveryMetadata;
import eu.tessera.server.testsupport.BrowserFlows;
import eu.tessera.server.testsupport.TestAccounts;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Discovery says what works: every client authentication method it lists works through every grant Tessera serves
 * (client credentials, device, refresh, token exchange) and at introspection and revocation where it lists them;
 * what Tessera does not do (mutual TLS, JWT client assertions, certificate-bound tokens, DPoP) is not listed.
 */
@TesseraIntegrationTest
class ClientAuthenticationMethodsIT {

    private static final String DEVICE = "urn:ietf:params:oauth:grant-type:device_code";
    private static final String EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";

    @Autowired
    TesseraProperties properties;

    @Test
    @SuppressWarnings("unchecked")
    void discoveryWhenReadThenEveryIssuedScopeAndOnlyWorkingMethodsListed() {
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        for (String path : List.of("/.well-known/openid-configuration", "/.well-known/oauth-authorization-server")) {
            Map<String, Object> metadata = http.get(path).json();
            // every issued scope, then the capability sets (none are configured here)
            assertThat((List<Object>) metadata.get("scopes_supported")).as(path).startsWith(
                    DiscoveryMetadata.SCOPES.toArray()).endsWith("wlcg.capabilityset");
            assertThat((List<Object>) metadata.get("scopes_supported")).contains("openid", "offline_access", "profile",
                    "email", "wlcg.groups", "eduperson_entitlement", "storage.read:/", "storage.create:/",
                    "compute.read");
            assertThat(metadata.get("token_endpoint_auth_methods_supported")).as(path)
                    .isEqualTo(List.of("client_secret_basic", "client_secret_post", "none"));
            assertThat(metadata.get("introspection_endpoint_auth_methods_supported")).as(path)
                    .isEqualTo(List.of("client_secret_basic", "client_secret_post"));
            assertThat(metadata.get("revocation_endpoint_auth_methods_supported")).as(path)
                    .isEqualTo(List.of("client_secret_basic", "client_secret_post"));
            assertThat(metadata).as(path).doesNotContainKeys("tls_client_certificate_bound_access_tokens",
                    "dpop_signing_alg_values_supported");
        }
    }

    private Map<String, Object> register(String json) {
        // with an admin token: client_credentials needs one
        TesseraHttp.Response response = TesseraHttp.to(properties.issuer()).sendJson("POST", "/register", json,
                "Authorization", "Bearer " + TestClients.adminToken(properties.issuer(), "iam:admin.write"));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json();
    }

    /** Device authorization, approval by alice, one poll: the token response. */
    private Map<String, Object> deviceTokens(List<String> clientAuth, String... headers) {
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        List<String> pairs = new ArrayList<>(clientAuth);
        pairs.addAll(List.of("scope", "openid offline_access wlcg.groups"));
        TesseraHttp.Response device = http.postForm("/devicecode", TesseraHttp.form(pairs.toArray(String[]::new)),
                headers);
        assertThat(device.status()).as(device.body()).isEqualTo(200);
        assertThat(BrowserFlows.verifyDevice(TesseraHttp.browser(properties.issuer()),
                (String) device.json().get("user_code"), TestAccounts.ALICE, TestAccounts.ALICE_PASSWORD, true))
                .contains("approved");
        pairs = new ArrayList<>(clientAuth);
        pairs.addAll(List.of("grant_type", DEVICE, "device_code", (String) device.json().get("device_code")));
        TesseraHttp.Response tokens = http.postForm("/token", TesseraHttp.form(pairs.toArray(String[]::new)),
                headers);
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        assertThat(tokens.json()).containsKeys("access_token", "refresh_token", "id_token");
        return tokens.json();
    }

    @Test
    void clientSecretPostWhenUsedForEveryGrantThenTokensAndBasicRefusedForThatClient() {
        Map<String, Object> client = register("""
                {"client_name":"post","token_endpoint_auth_method":"client_secret_post",
                 "grant_types":["client_credentials","%s","refresh_token","%s"],
                 "scope":"openid offline_access wlcg.groups compute.read iam:admin.read"}""".formatted(DEVICE, EXCHANGE));
        String id = (String) client.get("client_id");
        String secret = (String) client.get("client_secret");
        List<String> post = List.of("client_id", id, "client_secret", secret);
        TesseraHttp http = TesseraHttp.to(properties.issuer());

        assertThat(http.postForm("/token", TesseraHttp.form("grant_type", "client_credentials", "scope",
                "compute.read", "client_id", id, "client_secret", secret)).status()).isEqualTo(200);
        Map<String, Object> device = deviceTokens(post);
        TesseraHttp.Response refreshed = http.postForm("/token", TesseraHttp.form("grant_type", "refresh_token",
                "refresh_token", (String) device.get("refresh_token"), "client_id", id, "client_secret", secret));
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        TesseraHttp.Response exchanged = http.postForm("/token", TesseraHttp.form("grant_type", EXCHANGE,
                "subject_token", (String) refreshed.json().get("access_token"), "subject_token_type",
                "urn:ietf:params:oauth:token-type:access_token", "scope", "wlcg.groups", "client_id", id,
                "client_secret", secret));
        assertThat(exchanged.status()).as(exchanged.body()).isEqualTo(200);
        String token = (String) exchanged.json().get("access_token");
        TesseraHttp.Response introspected = http.postForm("/introspect", TesseraHttp.form("token", token,
                "client_id", id, "client_secret", secret));
        assertThat(introspected.status()).as(introspected.body()).isEqualTo(200);
        assertThat(http.postForm("/revoke", TesseraHttp.form("token", token, "client_id", id, "client_secret",
                secret)).status()).isEqualTo(200);
        // registered for client_secret_post: the same secret in Basic is not this client's method
        TesseraHttp.Response basic = http.token(id, secret, "grant_type", "client_credentials");
        assertThat(basic.status()).isEqualTo(401);
        assertThat(basic.json()).containsEntry("error", "invalid_client");
    }

    @Test
    void publicClientWhenDeviceFlowAndRefreshWithClientIdAloneThenTokensAndConfidentialClientsRefused() {
        Map<String, Object> client = register("""
                {"client_name":"public cli","token_endpoint_auth_method":"none",
                 "grant_types":["%s","refresh_token"],"scope":"openid offline_access wlcg.groups"}"""
                .formatted(DEVICE));
        String id = (String) client.get("client_id");
        assertThat(client).doesNotContainKey("client_secret");
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        Map<String, Object> device = deviceTokens(List.of("client_id", id));
        TesseraHttp.Response refreshed = http.postForm("/token", TesseraHttp.form("grant_type", "refresh_token",
                "refresh_token", (String) device.get("refresh_token"), "client_id", id));
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        assertThat(refreshed.json().get("refresh_token")).isNotNull().isNotEqualTo(device.get("refresh_token"));
        // as oidc-agent sends it: Basic with an empty password, and the client_id in the body
        Map<String, Object> agentStyle = deviceTokens(List.of("client_id", id), "Authorization",
                TesseraHttp.basic(id, ""));
        assertThat(agentStyle).containsKey("refresh_token");

        // a public client cannot introspect; its refusals are RFC 6749 JSON
        TesseraHttp.Response introspect = http.postForm("/introspect", TesseraHttp.form("token",
                (String) refreshed.json().get("access_token"), "client_id", id));
        assertThat(introspect.status()).isEqualTo(401);
        assertThat(introspect.json()).containsEntry("error", "invalid_client");
        // a confidential client must authenticate: client_id alone is refused, with a body
        Map<String, Object> confidential = register("""
                {"client_name":"confidential cli","grant_types":["%s","refresh_token"],"scope":"openid"}"""
                .formatted(DEVICE));
        for (TesseraHttp.Response refused : List.of(
                http.postForm("/devicecode", TesseraHttp.form("client_id", (String) confidential.get("client_id"),
                        "scope", "openid")),
                http.postForm("/devicecode", TesseraHttp.form("client_id", "no-such-client", "scope", "openid")),
                http.postForm("/token", TesseraHttp.form("grant_type", "refresh_token", "refresh_token",
                        (String) device.get("refresh_token"), "client_id", (String) confidential.get("client_id"))))) {
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.header("Content-Type")).contains("application/json");
            assertThat(refused.json()).containsEntry("error", "invalid_client");
        }
        TesseraHttp.Response twoIds = http.postForm("/devicecode", TesseraHttp.form("client_id", id, "client_id",
                "other", "scope", "openid"));
        assertThat(twoIds.status()).isEqualTo(400);
        assertThat(twoIds.json()).containsEntry("error", "invalid_request");
    }
}
