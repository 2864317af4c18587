package eu.tessera.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.BrowserFlows;
import eu.tessera.server.testsupport.TestAccounts;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import eu.tessera.server.testsupport.UserTokens;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Admin and reader roles: INDIGO IAM's authorities API ({@code /iam/account/{id}/authorities},
 * {@code /iam/me/authorities}, IAM 1.12's shapes), the account page where an admin appoints another, the reader's
 * read-only view, and the last active admin kept.
 */
@TesseraIntegrationTest
class AccountRolesIT {

    private static final String PASSWORD = "roles-it-password";

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PasswordEncoder encoder;
    private final List<String> created = new java.util.ArrayList<>();

    @AfterEach
    void cleanUp() {
        created.forEach(id -> jdbc.update("delete from account where id = ?", id));
        jdbc.update("delete from vo_group where name like 'roles-%'");
    }

    private String person(String prefix) {
        String id = TestAccounts.insert(jdbc, encoder, prefix, PASSWORD);
        created.add(id);
        return id;
    }

    private String username(String id) {
        return TestAccounts.username(jdbc, id);
    }

    private String admin(String scope) {
        return "Bearer " + TestClients.adminToken(properties.issuer(), scope);
    }

    private TesseraHttp signedIn(String username, String password) {
        return TestAccounts.signedIn(properties.issuer(), username, password);
    }

    @Test
    @SuppressWarnings("unchecked")
    void authoritiesApiInIamShapesWithIamErrors() {
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        String id = person("api");
        String write = admin("iam:admin.read iam:admin.write");
        TesseraHttp.Response read = http.get("/iam/account/" + id + "/authorities", "Authorization", write);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).containsOnlyKeys("authorities");
        assertThat((List<Object>) read.json().get("authorities")).containsExactly("ROLE_USER");

        // IAM scripts send the authority as a request parameter
        assertThat(http.postForm("/iam/account/" + id + "/authorities", TesseraHttp.form("authority", "ROLE_READER"),
                "Authorization", write).status()).isEqualTo(200);
        assertThat((List<Object>) http.get("/iam/account/" + id + "/authorities", "Authorization", write).json()
                .get("authorities")).containsExactly("ROLE_READER", "ROLE_USER");
        TesseraHttp.Response again = http.postForm("/iam/account/" + id + "/authorities", TesseraHttp.form("authority",
                "ROLE_READER"), "Authorization", write);
        assertThat(again.status()).isEqualTo(400);
        assertThat((String) again.json().get("error")).startsWith("Authority 'ROLE_READER' is already bound to user");
        TesseraHttp.Response invalid = http.postForm("/iam/account/" + id + "/authorities", TesseraHttp.form(
                "authority", "ROLE_ROOT"), "Authorization", write);
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.header("Content-Type")).contains("application/problem+json");
        assertThat((String) invalid.json().get("error")).startsWith("Invalid authority: 'ROLE_ROOT'");
        TesseraHttp.Response unknown = http.get("/iam/account/no-such-id/authorities", "Authorization", write);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json()).containsEntry("error", "No account found for id 'no-such-id'");
        assertThat(http.sendJson("DELETE", "/iam/account/" + id + "/authorities?authority=ROLE_READER", null,
                "Authorization", write).status()).isEqualTo(200);
        assertThat((List<Object>) http.get("/iam/account/" + id + "/authorities", "Authorization", write).json()
                .get("authorities")).containsExactly("ROLE_USER");
        assertThat(jdbc.queryForList("select event_type from audit_event where target = ? and event_type like "
                + "'account.authority%' order by id", String.class, id))
                .containsExactly("account.authority_added", "account.authority_removed");
        // changing roles needs iam:admin.write; reading them iam:admin.read
        assertThat(http.postForm("/iam/account/" + id + "/authorities", TesseraHttp.form("authority", "ROLE_ADMIN"),
                "Authorization", admin("iam:admin.read")).status()).isEqualTo(403);

        // the caller's own: a member's token, and a client's (no account)
        String alice = (String) UserTokens.alice(properties.issuer(), "openid").get("access_token");
        TesseraHttp.Response mine = http.get("/iam/me/authorities", "Authorization", "Bearer " + alice);
        assertThat(mine.status()).isEqualTo(200);
        assertThat((List<Object>) mine.json().get("authorities")).contains("ROLE_USER").doesNotContain("ROLE_ADMIN");
        assertThat(http.get("/iam/me/authorities", "Authorization", write).status()).isEqualTo(404);
    }

    @Test
    void adminAppointsASecondAdminOnTheAccountPageWhoThenActsAsAdminAndTheLastAdminStays() {
        String second = person("second");
        TesseraHttp admin = signedIn("admin", TestAccounts.ADMIN_PASSWORD);
        String list = admin.get("/admin/accounts?q=" + username(second)).body();
        assertThat(list).contains("/admin/accounts/" + second);   // usernames link to the account page
        String page = admin.get("/admin/accounts/" + second).body();
        assertThat(page).contains("Make admin", "ROLE_USER");
        assertThat(admin.postForm("/admin/accounts/" + second + "/roles", TesseraHttp.form("action", "grant",
                "authority", "ROLE_ADMIN", "_csrf", BrowserFlows.csrf(page))).location())
                .endsWith("/admin/accounts/" + second + "?roles");
        String adminId = jdbc.queryForObject("select id from account where username = 'admin'", String.class);
        assertThat(jdbc.queryForObject("select details from audit_event where event_type = 'account.authority_added' "
                + "and target = ? order by id desc limit 1", String.class, second)).contains("\"actorName\":\"admin\"");

        // the second admin acts, and is named as the actor
        TesseraHttp secondAdmin = signedIn(username(second), PASSWORD);
        String groups = secondAdmin.get("/admin/groups").body();
        String name = "roles-" + second.substring(0, 6);
        assertThat(secondAdmin.postForm("/admin/groups", TesseraHttp.form("action", "create", "name", name,
                "_csrf", BrowserFlows.csrf(groups))).location()).endsWith("/admin/groups?changed");
        assertThat(jdbc.queryForObject("select count(*) from vo_group where name = ?", Integer.class, name)).isOne();

        // two admins: either may lose the role; the last active one may not, nor be suspended
        jdbc.update("update account set admin = false where admin = true and id not in (?, ?)", adminId, second);
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        String write = admin("iam:admin.write");
        assertThat(http.sendJson("DELETE", "/iam/account/" + second + "/authorities?authority=ROLE_ADMIN", null,
                "Authorization", write).status()).isEqualTo(200);
        TesseraHttp.Response last = http.sendJson("DELETE", "/iam/account/" + adminId + "/authorities?authority="
                + "ROLE_ADMIN", null, "Authorization", write);
        assertThat(last.status()).isEqualTo(409);
        assertThat((String) last.json().get("error")).contains("the last active admin");
        TesseraHttp.Response suspend = http.sendJson("POST", "/iam/account/" + adminId + "/suspend", "{}",
                "Authorization", write);
        assertThat(suspend.status()).isEqualTo(409);
        assertThat(jdbc.queryForObject("select admin and active from account where id = ?", Boolean.class, adminId))
                .isTrue();
        // the removed admin's open session ended with the role
        assertThat(secondAdmin.get("/admin/groups").status()).isIn(302, 401);
    }

    @Test
    void readerSeesTheAdministrationPagesButCannotChangeAnything() {
        String reader = person("reader");
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        assertThat(http.postForm("/iam/account/" + reader + "/authorities", TesseraHttp.form("authority",
                "ROLE_READER"), "Authorization", admin("iam:admin.write")).status()).isEqualTo(200);
        TesseraHttp browser = signedIn(username(reader), PASSWORD);
        assertThat(browser.get("/admin/accounts").status()).isEqualTo(200);
        assertThat(browser.get("/admin/audit").status()).isEqualTo(200);
        String page = browser.get("/admin/accounts/" + reader).body();
        assertThat(page).contains("ROLE_READER").doesNotContain("Make admin");
        String groups = browser.get("/admin/groups").body();
        assertThat(groups).contains("group-tree").doesNotContain("New group");
        String home = browser.get("/").body();   // a reader's page with a form: the sign-out one
        assertThat(home).contains("Waiting for a decision", "Latest changes by admins").doesNotContain("Scope policies");
        String name = "roles-r" + reader.substring(0, 6);
        assertThat(browser.postForm("/admin/groups", TesseraHttp.form("action", "create", "name", name, "_csrf",
                BrowserFlows.csrf(home))).status()).isEqualTo(403);
        assertThat(browser.postForm("/admin/accounts/" + reader + "/roles", TesseraHttp.form("action", "grant",
                "authority", "ROLE_ADMIN", "_csrf", BrowserFlows.csrf(home))).status()).isEqualTo(403);
        assertThat(jdbc.queryForObject("select count(*) from vo_group where name = ?", Integer.class, name)).isZero();
        assertThat(jdbc.queryForObject("select admin from account where id = ?", Boolean.class, reader)).isFalse();
    }
}
