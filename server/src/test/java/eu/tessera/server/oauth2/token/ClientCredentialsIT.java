package eu.tessera.server.oauth2.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TokenVerifier;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

@TesseraIntegrationTest
class ClientCredentialsIT {

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;
    TesseraHttp http;

    @BeforeEach
    void setUp() {
        http = TesseraHttp.to(properties.issuer());
    }

    private TesseraHttp.Response token(String... pairs) {
        return http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET, pairs);
    }

    @Test
    void clientCredentialsWhenScopesRegisteredThenWlcgTokenVerifiesAgainstJwks() throws Exception {
        TesseraHttp.Response response = token("grant_type", "client_credentials",
                "scope", "storage.read:/escape compute.read");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Cache-Control")).contains("no-store");
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(response.json()).containsEntry("token_type", "Bearer");

        SignedJWT jwt = TokenVerifier.verify(http, (String) response.json().get("access_token"));
        assertThat(jwt.getHeader().getType().getType()).isEqualTo("at+jwt");
        assertThat(jwt.getHeader().getKeyID()).isNotBlank();
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(properties.issuer());
        assertThat(claims.getSubject()).isEqualTo(TestClients.DEMO_ID);
        assertThat(claims.getStringClaim("client_id")).isEqualTo(TestClients.DEMO_ID);
        assertThat(claims.getStringClaim("wlcg.ver")).isEqualTo("1.0");
        assertThat(claims.getAudience()).containsExactly("https://wlcg.cern.ch/jwt/v1/any");
        assertThat(claims.getStringClaim("scope").split(" "))
                .containsExactlyInAnyOrder("storage.read:/escape", "compute.read");
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getNotBeforeTime()).isBefore(claims.getIssueTime());
        assertThat(claims.getExpirationTime().toInstant()).isAfter(Instant.now().plusSeconds(3000))
                .isBefore(Instant.now().plusSeconds(6 * 3600));
        assertThat(claims.getClaim("wlcg.groups")).isNull();
    }

    @Test
    void clientCredentialsWhenIssuedThenNothingIsWrittenToTheDatabase() {
        long before = rows();
        for (int i = 0; i < 5; i++) {
            assertThat(token("grant_type", "client_credentials", "scope", "compute.read").status()).isEqualTo(200);
        }
        assertThat(rows()).isEqualTo(before);
    }

    private long rows() {
        return jdbc.queryForObject("select (select count(*) from oauth_authorization) + (select count(*) from "
                + "refresh_token) + (select count(*) from revoked_token) + (select count(*) from oauth_client)",
                Long.class);
    }

    @Test
    void clientCredentialsWhenStoragePathNarrowedThenGranted() throws Exception {
        TesseraHttp.Response response = token("grant_type", "client_credentials",
                "scope", "storage.read:/escape/cms/data");
        assertThat(response.status()).isEqualTo(200);
        JWTClaimsSet claims = TokenVerifier.verify(http, (String) response.json().get("access_token")).getJWTClaimsSet();
        assertThat(claims.getStringClaim("scope")).isEqualTo("storage.read:/escape/cms/data");
    }

    @Test
    void clientCredentialsWhenScopeWidensOrTraversesThenInvalidScope() {
        for (String scope : List.of("storage.read:/", "storage.read:/escapeX", "storage.read:/escape/../x",
                "storage.read:/escape/%2e%2e/x", "storage.read:/escape%2fx", "storage.read", "storage.modify:/escape",
                "compute.read:/x", "iam:admin.read")) {
            TesseraHttp.Response response = token("grant_type", "client_credentials", "scope", scope);
            assertThat(response.status()).as(scope).isEqualTo(400);
            assertThat(response.json()).as(scope).containsEntry("error", "invalid_scope");
            assertThat(response.header("Cache-Control")).contains("no-store");
        }
    }

    @Test
    void clientCredentialsWhenAudienceOrResourceRequestedThenAud() throws Exception {
        JWTClaimsSet audience = TokenVerifier.verify(http, (String) token("grant_type", "client_credentials",
                "audience", "https://se.example.org").json().get("access_token")).getJWTClaimsSet();
        assertThat(audience.getAudience()).containsExactly("https://se.example.org");
        JWTClaimsSet resource = TokenVerifier.verify(http, (String) token("grant_type", "client_credentials",
                "resource", "https://fts.example.org", "resource", "https://se.example.org").json()
                .get("access_token")).getJWTClaimsSet();
        assertThat(resource.getAudience()).containsExactly("https://fts.example.org", "https://se.example.org");
    }

    @Test
    void clientCredentialsWhenResourceNotAbsoluteThenInvalidTarget() {
        TesseraHttp.Response response = token("grant_type", "client_credentials", "resource", "relative/path");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json()).containsEntry("error", "invalid_target");
        TesseraHttp.Response fragment = token("grant_type", "client_credentials", "resource", "https://x.org/a#f");
        assertThat(fragment.json()).containsEntry("error", "invalid_target");
    }

    @Test
    void tokenWhenClientSecretWrongThenInvalidClient() {
        TesseraHttp.Response response = http.token(TestClients.DEMO_ID, "wrong", "grant_type", "client_credentials");
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json()).containsEntry("error", "invalid_client");
        TesseraHttp.Response unknown = http.token("no-such-client", "x", "grant_type", "client_credentials");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.json()).containsEntry("error", "invalid_client");
    }

    @Test
    void tokenWhenBasicAndClientSecretInTheBodyThenInvalidRequestAndNoToken() {
        // RFC 6749 section 2.3: one authentication method per request, even when both are right
        for (String path : java.util.List.of("/token", "/introspect", "/revoke")) {
            TesseraHttp.Response both = http.postForm(path, TesseraHttp.form("grant_type", "client_credentials",
                    "token", "x", "client_id", TestClients.ADMIN_ID, "client_secret", TestClients.ADMIN_SECRET),
                    "Authorization", TesseraHttp.basic(TestClients.ADMIN_ID, TestClients.ADMIN_SECRET));
            assertThat(both.status()).as(path).isEqualTo(400);
            assertThat(both.json()).as(path).containsEntry("error", "invalid_request").doesNotContainKey(
                    "access_token");
            assertThat(both.header("Cache-Control")).as(path).contains("no-store");
        }
        // each method alone still works
        assertThat(http.postForm("/token", TesseraHttp.form("grant_type", "client_credentials", "client_id",
                TestClients.ADMIN_ID, "client_secret", TestClients.ADMIN_SECRET)).status()).isEqualTo(200);
        assertThat(http.token(TestClients.ADMIN_ID, TestClients.ADMIN_SECRET, "grant_type", "client_credentials")
                .status()).isEqualTo(200);
    }

    @Test
    void tokenWhenGrantTypeUnknownOrMissingThenRfc6749Error() {
        TesseraHttp.Response unknown = token("grant_type", "password", "username", "a", "password", "b");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json()).containsEntry("error", "unsupported_grant_type");
        TesseraHttp.Response made_up = token("grant_type", "urn:example:nonsense");
        assertThat(made_up.json()).containsEntry("error", "unsupported_grant_type");
        TesseraHttp.Response missing = token("scope", "openid");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("error")).isIn("invalid_request", "unsupported_grant_type");
    }

    @Test
    void tokenWhenParameterDuplicatedThenInvalidRequest() {
        TesseraHttp.Response scope = token("grant_type", "client_credentials", "scope", "compute.read",
                "scope", "openid");
        assertThat(scope.status()).isEqualTo(400);
        assertThat(scope.json()).containsEntry("error", "invalid_request");
        TesseraHttp.Response grant = token("grant_type", "client_credentials", "grant_type", "client_credentials");
        assertThat(grant.status()).isEqualTo(400);
        assertThat(grant.json()).containsEntry("error", "invalid_request");
    }

    @Test
    void tokenWhenParameterIsOneMegabyteThenInvalidRequestNot500() {
        String huge = "a".repeat(1024 * 1024);
        TesseraHttp.Response response = token("grant_type", "client_credentials", "scope", huge);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json()).containsEntry("error", "invalid_request");
        assertThat(response.header("Cache-Control")).contains("no-store");
        TesseraHttp.Response hugeClient = http.postForm("/token", TesseraHttp.form("grant_type",
                "client_credentials", "client_id", huge, "client_secret", "x"));
        assertThat(hugeClient.status()).isEqualTo(400);
        assertThat(hugeClient.body()).doesNotContain("Exception");
    }
}
