package eu.tessera.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TestClock;
import eu.tessera.server.testsupport.TestMail;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import eu.tessera.server.testsupport.UserTokens;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Suspension and the end-time lifecycle: a suspended account's refresh tokens stop working and its tokens
 * introspect inactive; an expired account goes pending suspension, suspended, removed, with mails.
 */
@TesseraIntegrationTest
class AccountLifecycleIT {

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TestClock clock;
    @Autowired
    AccountLifecycle lifecycle;
    TesseraHttp http;
    String aliceId;
    final TestMail mail = TestMail.get();

    @BeforeEach
    void setUp() {
        http = TesseraHttp.to(properties.issuer());
        aliceId = jdbc.queryForObject("select id from account where username = 'alice'", String.class);
    }

    @AfterEach
    void restore() {
        clock.reset();
        jdbc.update("update account set active = true, lifecycle_state = 'ACTIVE', end_time = null where id = ?",
                aliceId);
    }

    private String admin() {
        return "Bearer " + http.token(TestClients.ADMIN_ID, TestClients.ADMIN_SECRET, "grant_type",
                "client_credentials", "scope", "iam:admin.read iam:admin.write").json().get("access_token");
    }

    @Test
    void suspendedAccountsLoseRefreshAndIntrospection() {
        Map<String, Object> tokens = UserTokens.alice(properties.issuer(), "openid offline_access");
        String basic = TesseraHttp.basic(TestClients.DEMO_ID, TestClients.DEMO_SECRET);
        TesseraHttp.Response suspended = http.sendJson("POST", "/iam/account/" + aliceId + "/suspend",
                "{\"reason\":\"left the <b>experiment</b>\"}", "Authorization", admin());
        assertThat(suspended.status()).isEqualTo(200);
        assertThat(suspended.body()).contains("\"active\":false", "\"state\":\"SUSPENDED\"");
        assertThat(http.postForm("/introspect", TesseraHttp.form("token", (String) tokens.get("access_token")),
                "Authorization", basic).body()).isEqualTo("{\"active\":false}");
        TesseraHttp.Response refresh = http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET, "grant_type",
                "refresh_token", "refresh_token", (String) tokens.get("refresh_token"));
        assertThat(refresh.status()).isEqualTo(400);
        assertThat(refresh.body()).contains("invalid_grant");
        assertThat(TestMail.body(mail.awaitContaining("alice@example.org", "left the <b>experiment</b>")))
                .contains("was suspended");

        assertThat(http.sendJson("POST", "/iam/account/" + aliceId + "/restore", null, "Authorization", admin())
                .body()).contains("\"active\":true", "\"state\":\"ACTIVE\"");
        assertThat(http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET, "grant_type", "refresh_token",
                "refresh_token", (String) tokens.get("refresh_token")).status()).isEqualTo(200);
        assertThat(http.get("/iam/audit?type=account.*&target=" + aliceId, "Authorization", admin()).body())
                .contains("account.suspended", "account.restored");
    }

    @Test
    void endTimeLeadsToPendingSuspensionSuspensionAndRemoval() {
        String username = "life" + UUID.randomUUID().toString().substring(0, 8);
        String email = username + "@example.org";
        String id = UUID.randomUUID().toString();
        Instant now = clock.instant();
        jdbc.update("insert into account (id, username, email, given_name, active, created_at, updated_at) values "
                + "(?, ?, ?, 'Lia', true, ?, ?)", id, username, email, Timestamp.from(now), Timestamp.from(now));
        assertThat(http.sendJson("PUT", "/iam/account/" + id + "/end-time", "{\"endTime\":\"" + now.plusSeconds(60)
                + "\"}", "Authorization", admin()).status()).isEqualTo(200);
        assertThat(http.sendJson("PUT", "/iam/account/" + id + "/end-time", "{\"endTime\":\"soon\"}",
                "Authorization", admin()).status()).isEqualTo(400);

        clock.advance(Duration.ofMinutes(2));
        lifecycle.run();
        assertThat(lifecycle.state(id)).isEqualTo(AccountLifecycle.State.PENDING_SUSPENSION);
        assertThat(TestMail.body(mail.await(email, 1).get(0))).contains("reached its end time");
        // an admin extends the end time: active again
        assertThat(http.sendJson("PUT", "/iam/account/" + id + "/end-time", "{\"endTime\":\""
                + clock.instant().plus(Duration.ofDays(1)) + "\"}", "Authorization", admin()).body())
                .contains("\"state\":\"ACTIVE\"");
        clock.advance(Duration.ofDays(2));
        lifecycle.run();
        assertThat(lifecycle.state(id)).isEqualTo(AccountLifecycle.State.PENDING_SUSPENSION);
        clock.advance(properties.lifecycle().suspensionGrace().plusMinutes(1));
        lifecycle.run();
        assertThat(lifecycle.state(id)).isEqualTo(AccountLifecycle.State.SUSPENDED);
        assertThat(jdbc.queryForObject("select active from account where id = ?", Boolean.class, id)).isFalse();
        clock.advance(properties.lifecycle().removalGrace().plusMinutes(1));
        lifecycle.run();
        assertThat(jdbc.queryForObject("select count(*) from account where id = ?", Integer.class, id)).isZero();
        assertThat(mail.await(email, 4).stream().map(TestMail::body).toList()).satisfiesExactly(
                body -> assertThat(body).contains("reached its end time"),
                body -> assertThat(body).contains("reached its end time"),
                body -> assertThat(body).contains("was suspended"),
                body -> assertThat(body).contains("has been removed"));
    }

    @Test
    void expiredMembershipsAreRemovedAndServiceAccountsGetNoMail() {
        String escape = jdbc.queryForObject("select id from vo_group where path = '/escape/atlas'", String.class);
        Instant now = clock.instant();
        jdbc.update("insert into membership (account_id, group_id, optional, end_time, created_at) values "
                + "(?, ?, false, ?, ?)", aliceId, escape, Timestamp.from(now.plusSeconds(30)), Timestamp.from(now));
        String service = UUID.randomUUID().toString();
        jdbc.update("insert into account (id, username, email, service_account, active, end_time, created_at, "
                + "updated_at) values (?, ?, 'robot@example.org', true, true, ?, ?, ?)", service,
                "robot" + service.substring(0, 8), Timestamp.from(now.plusSeconds(30)), Timestamp.from(now),
                Timestamp.from(now));
        clock.advance(Duration.ofMinutes(1));
        lifecycle.run();
        assertThat(jdbc.queryForObject("select count(*) from membership where account_id = ? and group_id = ?",
                Integer.class, aliceId, escape)).isZero();
        assertThat(lifecycle.state(service)).isEqualTo(AccountLifecycle.State.PENDING_SUSPENSION);
        assertThat(mail.to("robot@example.org")).isEmpty();
        jdbc.update("delete from account where id = ?", service);
    }
}
