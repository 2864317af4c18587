package eu.tessera.server.oauth2.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TestClock;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import eu.tessera.server.testsupport.UserTokens;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

@TesseraIntegrationTest
class IntrospectionRevocationIT {

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TestClock clock;
    TesseraHttp http;

    @BeforeEach
    void setUp() {
        http = TesseraHttp.to(properties.issuer());
    }

    @AfterEach
    void restore() {
        clock.reset();
        jdbc.update("update account set active = true where username = 'alice'");
    }

    private Map<String, Object> introspect(String token) {
        TesseraHttp.Response response = http.postForm("/introspect", TesseraHttp.form("token", token),
                "Authorization", TesseraHttp.basic(TestClients.ADMIN_ID, TestClients.ADMIN_SECRET));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private String clientToken() {
        return (String) http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET, "grant_type", "client_credentials",
                "scope", "storage.read:/escape compute.read", "audience", "https://se.example.org")
                .json().get("access_token");
    }

    @Test
    void introspectWhenClientTokenActiveThenRfc7662Claims() {
        Map<String, Object> claims = introspect(clientToken());
        assertThat(claims).containsEntry("active", true).containsEntry("client_id", TestClients.DEMO_ID)
                .containsEntry("sub", TestClients.DEMO_ID).containsEntry("token_type", "Bearer")
                .containsEntry("iss", properties.issuer()).containsEntry("wlcg.ver", "1.0")
                .containsKeys("exp", "iat", "nbf", "jti");
        assertThat(((String) claims.get("scope")).split(" "))
                .containsExactlyInAnyOrder("storage.read:/escape", "compute.read");
        assertThat(claims.get("aud").toString()).contains("https://se.example.org");
    }

    @Test
    void introspectWhenUserTokenThenUsernameAndGroups() {
        Map<String, Object> tokens = UserTokens.alice(properties.issuer(), "openid offline_access wlcg.groups");
        Map<String, Object> claims = introspect((String) tokens.get("access_token"));
        assertThat(claims).containsEntry("active", true).containsEntry("username", "alice");
        assertThat(claims.get("wlcg.groups")).asList().containsExactly("/escape", "/escape/cms");

        Map<String, Object> refresh = introspect((String) tokens.get("refresh_token"));
        assertThat(refresh).containsEntry("active", true).containsEntry("token_type", "refresh_token")
                .containsEntry("username", "alice").containsEntry("client_id", TestClients.DEMO_ID);
    }

    @Test
    void introspectWhenTokenMalformedExpiredOrForeignThenOnlyActiveFalse() throws Exception {
        assertThat(introspect("not-a-token")).containsExactly(Map.entry("active", false));
        TesseraHttp.Response missing = http.postForm("/introspect", TesseraHttp.form("token", ""),
                "Authorization", TesseraHttp.basic(TestClients.ADMIN_ID, TestClients.ADMIN_SECRET));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json()).containsEntry("error", "invalid_request");

        String token = clientToken();
        clock.advance(Duration.ofHours(2));
        assertThat(introspect(token)).containsExactly(Map.entry("active", false));
        clock.reset();

        RSAKey foreignKey = new RSAKeyGenerator(2048).keyID("foreign").generate();
        SignedJWT foreign = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("foreign")
                .type(new JOSEObjectType("at+jwt")).build(), JWTClaimsSet.parse(SignedJWT.parse(token)
                .getJWTClaimsSet().toJSONObject()));
        foreign.sign(new RSASSASigner(foreignKey));
        assertThat(introspect(foreign.serialize())).containsExactly(Map.entry("active", false));
    }

    @Test
    void introspectWhenAccountSuspendedThenInactive() {
        Map<String, Object> tokens = UserTokens.alice(properties.issuer(), "openid offline_access");
        jdbc.update("update account set active = false where username = 'alice'");
        assertThat(introspect((String) tokens.get("access_token"))).containsExactly(Map.entry("active", false));
        assertThat(introspect((String) tokens.get("refresh_token"))).containsExactly(Map.entry("active", false));
    }

    @Test
    void introspectWhenCallerUnauthenticatedOrNotAllowedThenRefused() {
        TesseraHttp.Response anonymous = http.postForm("/introspect", TesseraHttp.form("token", clientToken()));
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.location()).isNull();

        Map<String, Object> other = http.sendJson("POST", "/register",
                "{\"grant_types\":[\"refresh_token\"],\"scope\":\"openid\"}").json();
        TesseraHttp.Response refused = http.postForm("/introspect", TesseraHttp.form("token", clientToken()),
                "Authorization", TesseraHttp.basic((String) other.get("client_id"), (String) other.get("client_secret")));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json()).containsEntry("error", "unauthorized_client");

        // listed in tessera.introspection.clients
        TesseraHttp.Response listed = http.postForm("/introspect", TesseraHttp.form("token", clientToken()),
                "Authorization", TesseraHttp.basic(TestClients.DEMO_ID, TestClients.DEMO_SECRET));
        assertThat(listed.json()).containsEntry("active", true);
    }

    @Test
    void revokeWhenAccessTokenThenInactiveAndDenyListed() throws Exception {
        String token = clientToken();
        TesseraHttp.Response revoke = http.postForm("/revoke", TesseraHttp.form("token", token),
                "Authorization", TesseraHttp.basic(TestClients.DEMO_ID, TestClients.DEMO_SECRET));
        assertThat(revoke.status()).isEqualTo(200);
        assertThat(introspect(token)).containsExactly(Map.entry("active", false));
        String jti = SignedJWT.parse(token).getJWTClaimsSet().getJWTID();
        assertThat(jdbc.queryForObject("select count(*) from revoked_token where jti = ?", Long.class, jti))
                .isEqualTo(1);
    }

    @Test
    void revokeWhenRefreshTokenThenFamilyRevoked() {
        Map<String, Object> tokens = UserTokens.alice(properties.issuer(), "openid offline_access");
        String refresh = (String) tokens.get("refresh_token");
        String rotated = (String) http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET, "grant_type",
                "refresh_token", "refresh_token", refresh).json().get("refresh_token");
        TesseraHttp.Response revoke = http.postForm("/revoke", TesseraHttp.form("token", rotated,
                "token_type_hint", "refresh_token"),
                "Authorization", TesseraHttp.basic(TestClients.DEMO_ID, TestClients.DEMO_SECRET));
        assertThat(revoke.status()).isEqualTo(200);
        for (String token : new String[] {refresh, rotated}) {
            TesseraHttp.Response use = http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET, "grant_type",
                    "refresh_token", "refresh_token", token);
            assertThat(use.json()).containsEntry("error", "invalid_grant");
        }
        assertThat(introspect(rotated)).containsExactly(Map.entry("active", false));
    }

    @Test
    void revokeWhenTokenUnknownThen200() {
        TesseraHttp.Response revoke = http.postForm("/revoke", TesseraHttp.form("token", "unknown-token"),
                "Authorization", TesseraHttp.basic(TestClients.DEMO_ID, TestClients.DEMO_SECRET));
        assertThat(revoke.status()).isEqualTo(200);
    }
}
