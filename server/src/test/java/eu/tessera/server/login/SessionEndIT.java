package eu.tessera.server.login;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.BrowserFlows;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Browser sessions end when their account is suspended, removed or loses the admin role (the tests run with
 * {@code client-cache-ttl=0s}, so at the next request; in production within that bound).
 */
@TesseraIntegrationTest
class SessionEndIT {

    private static final String PASSWORD = "session-end-password";

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PasswordEncoder encoder;

    private final String id = UUID.randomUUID().toString();
    private final String username = "sess" + id.substring(0, 8);

    @AfterEach
    void cleanUp() {
        jdbc.update("delete from vo_group where name like 'sess-%'");
        jdbc.update("delete from account where id = ?", id);
    }

    private TesseraHttp signedInAdmin() {
        jdbc.update("insert into account (id, username, email, password_hash, admin, active, created_at, updated_at) "
                + "values (?, ?, ?, ?, true, true, current_timestamp, current_timestamp)", id, username,
                username + "@example.org", encoder.encode(PASSWORD));
        TesseraHttp browser = TesseraHttp.browser(properties.issuer());
        assertThat(BrowserFlows.login(browser, username, PASSWORD).location()).doesNotContain("error");
        assertThat(browser.get("/admin").status()).isEqualTo(200);
        return browser;
    }

    private boolean groupCreated(TesseraHttp browser, String page, String name) {
        browser.postForm("/admin/groups", TesseraHttp.form("action", "create", "name", name, "_csrf",
                BrowserFlows.csrf(page)));
        return jdbc.queryForObject("select count(*) from vo_group where name = ?", Integer.class, name) > 0;
    }

    @Test
    void adminSuspendedThenTheOpenSessionEndsAndCanNoLongerChangeAnything() {
        TesseraHttp browser = signedInAdmin();
        String page = browser.get("/admin/groups").body();
        assertThat(groupCreated(browser, page, "sess-before")).isTrue();

        String token = "Bearer " + TestClients.adminToken(properties.issuer(), "iam:admin.write");
        assertThat(TesseraHttp.to(properties.issuer()).sendJson("POST", "/iam/account/" + id + "/suspend", "{}",
                "Authorization", token).status()).isEqualTo(200);

        assertThat(groupCreated(browser, page, "sess-after")).isFalse();
        assertThat(browser.get("/admin").location()).endsWith("/login");   // the session is gone
        assertThat(jdbc.queryForObject("select count(*) from spring_session where principal_name = ?", Integer.class,
                id)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from audit_event where event_type = 'session.ended' and "
                + "target = ?", Integer.class, id)).isOne();
        assertThat(TesseraHttp.browser(properties.issuer()).get("/login?ended").body())
                .contains("Your session was ended");
    }

    @Test
    void adminRoleRemovedOrAccountDeletedThenTheSessionEnds() {
        TesseraHttp browser = signedInAdmin();
        jdbc.update("update account set admin = false where id = ?", id);
        TesseraHttp.Response next = browser.get("/admin", "Accept", "text/html");
        assertThat(next.location()).endsWith("/login?ended");
        assertThat(browser.get("/account").location()).endsWith("/login");

        jdbc.update("update account set admin = true where id = ?", id);
        TesseraHttp again = TesseraHttp.browser(properties.issuer());
        assertThat(BrowserFlows.login(again, username, PASSWORD).location()).doesNotContain("error");
        jdbc.update("delete from account where id = ?", id);
        assertThat(again.get("/account", "Accept", "application/json").status()).isEqualTo(401);
    }
}
