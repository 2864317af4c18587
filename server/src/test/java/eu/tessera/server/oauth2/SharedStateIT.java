package eu.tessera.server.oauth2;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What another instance writes to the shared database takes effect here within the documented bound
 * (5 seconds): a revocation (deny-list) and an exchange-policy change. The other instance is simulated by
 * writing the rows directly, as it would.
 */
@TesseraIntegrationTest
class SharedStateIT {

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;

    private static boolean within(long millis, BooleanSupplier condition) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(250);
        }
        return condition.getAsBoolean();
    }

    @Test
    void revocationByAnotherInstanceWhenWrittenThenInactiveHereWithinSeconds() throws Exception {
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        String token = (String) http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET, "grant_type",
                "client_credentials").json().get("access_token");
        String jti = SignedJWT.parse(token).getJWTClaimsSet().getJWTID();
        jdbc.update("insert into revoked_token (jti, expires_at) values (?, ?)", jti,
                Timestamp.from(Instant.now().plusSeconds(3600)));
        assertThat(within(7000, () -> Boolean.FALSE.equals(http.postForm("/introspect",
                TesseraHttp.form("token", token), "Authorization",
                TesseraHttp.basic(TestClients.ADMIN_ID, TestClients.ADMIN_SECRET)).json().get("active")))).isTrue();
    }

    @Test
    void exchangePolicyByAnotherInstanceWhenWrittenThenEnforcedHereWithinSeconds() throws Exception {
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        String admin = (String) http.token(TestClients.ADMIN_ID, TestClients.ADMIN_SECRET, "grant_type",
                "client_credentials", "scope", "iam:admin.write").json().get("access_token");
        Map<String, Object> fts = http.sendJson("POST", "/register",
                "{\"grant_types\":[\"urn:ietf:params:oauth:grant-type:token-exchange\"],\"scope\":\"compute.read\"}",
                "Authorization", "Bearer " + admin).json();
        String subject = (String) http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET, "grant_type",
                "client_credentials", "scope", "compute.read").json().get("access_token");
        BooleanSupplier refused = () -> "unauthorized_client".equals(http.token((String) fts.get("client_id"),
                (String) fts.get("client_secret"), "grant_type", "urn:ietf:params:oauth:grant-type:token-exchange",
                "subject_token", subject, "subject_token_type", "urn:ietf:params:oauth:token-type:access_token")
                .json().get("error"));
        assertThat(refused.getAsBoolean()).isFalse();
        jdbc.update("insert into exchange_policy (description, rule, origin_type, destination_type, destination_param,"
                + " created_at) values ('other instance', 'DENY', 'ANY', 'BY_ID', ?, ?)", fts.get("client_id"),
                Timestamp.from(Instant.now()));
        try {
            assertThat(within(7000, refused)).isTrue();
        } finally {
            jdbc.update("delete from exchange_policy where description = 'other instance'");
        }
    }
}
