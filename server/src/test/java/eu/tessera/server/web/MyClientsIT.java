package eu.tessera.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.BrowserFlows;
import eu.tessera.server.testsupport.TestAccounts;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** "My clients": a member registers a client for their tool, uses it, sees only theirs, deletes it. */
@TesseraIntegrationTest
class MyClientsIT {

    private static final Pattern CREATED = Pattern.compile("client_id: <code>([^<]+)</code>.*?client_secret: "
            + "<code>([^<]+)</code>", Pattern.DOTALL);

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;

    private TesseraHttp loggedIn(String username, String password) {
        TesseraHttp browser = TesseraHttp.browser(properties.issuer());
        assertThat(BrowserFlows.login(browser, username, password).location()).doesNotContain("error");
        return browser;
    }

    private TesseraHttp.Response register(TesseraHttp browser, String... fields) {
        String page = browser.get("/account/clients").body();
        String[] all = new String[fields.length + 2];
        System.arraycopy(fields, 0, all, 0, fields.length);
        all[fields.length] = "_csrf";
        all[fields.length + 1] = BrowserFlows.csrf(page);
        return browser.postForm("/account/clients", TesseraHttp.form(all));
    }

    @Test
    void memberRegistersUsesListsAndDeletesOwnClient() {
        TesseraHttp alice = loggedIn(TestAccounts.ALICE, TestAccounts.ALICE_PASSWORD);
        TesseraHttp.Response created = register(alice, "name", "<script>alert(1)</script> notebook", "grant",
                "authorization_code", "redirectUris", TestClients.DEMO_REDIRECT, "scope", "openid wlcg.groups");
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.header("Cache-Control")).contains("no-store");
        Matcher matcher = CREATED.matcher(created.body());
        assertThat(matcher.find()).as(created.body()).isTrue();
        String clientId = matcher.group(1);
        String secret = matcher.group(2);
        assertThat(created.body()).contains("&lt;script&gt;alert(1)&lt;/script&gt; notebook")
                .doesNotContain("<script>alert(1)");
        String aliceId = jdbc.queryForObject("select id from account where username = 'alice'", String.class);
        Map<String, Object> row = jdbc.queryForMap("select owner_account_id, secret_hash, grant_types from "
                + "oauth_client where client_id = ?", clientId);
        assertThat(row.get("owner_account_id")).isEqualTo(aliceId);
        assertThat((String) row.get("secret_hash")).doesNotContain(secret);

        // the client works for alice's tool: code flow with consent, token with her groups
        String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
        String redirect = BrowserFlows.authorize(TesseraHttp.browser(properties.issuer()), TesseraHttp.form(
                "response_type", "code", "client_id", clientId, "redirect_uri", TestClients.DEMO_REDIRECT, "scope",
                "openid wlcg.groups", "state", "s", "code_challenge", BrowserFlows.s256(verifier),
                "code_challenge_method", "S256"), TestAccounts.ALICE, TestAccounts.ALICE_PASSWORD);
        String code = TesseraHttp.queryParameter(redirect, "code").orElseThrow(() -> new AssertionError(redirect));
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        Map<String, Object> token = http.token(clientId, secret, "grant_type", "authorization_code", "code", code,
                "redirect_uri", TestClients.DEMO_REDIRECT, "code_verifier", verifier).json();
        assertThat(token.get("access_token")).isNotNull();
        // but no client credentials: user-delegated grants only
        assertThat(http.token(clientId, secret, "grant_type", "client_credentials").json().get("error"))
                .isEqualTo("unauthorized_client");

        // listed for alice, not for the admin; the admin cannot delete it from their "my clients"
        assertThat(alice.get("/account/clients").body()).contains(clientId);
        TesseraHttp admin = loggedIn("admin", TestAccounts.ADMIN_PASSWORD);
        String adminPage = admin.get("/account/clients").body();
        assertThat(adminPage).doesNotContain(clientId);
        assertThat(admin.postForm("/account/clients/" + clientId + "/delete", TesseraHttp.form("_csrf",
                BrowserFlows.csrf(adminPage))).status()).isEqualTo(404);
        assertThat(admin.get("/admin/clients").body()).contains("by alice (my clients)");

        // without CSRF: refused; with it: deleted and audited
        assertThat(alice.postForm("/account/clients/" + clientId + "/delete", "").status()).isEqualTo(403);
        String page = alice.get("/account/clients").body();
        // first a confirmation, nothing deleted yet
        TesseraHttp.Response asked = alice.postForm("/account/clients/" + clientId + "/delete", TesseraHttp.form(
                "_csrf", BrowserFlows.csrf(page)));
        assertThat(asked.status()).isEqualTo(200);
        assertThat(asked.body()).contains("Delete your client " + clientId + "?", "name=\"confirmed\" value=\"yes\"");
        assertThat(jdbc.queryForObject("select count(*) from oauth_client where client_id = ?", Long.class, clientId))
                .isOne();
        assertThat(alice.postForm("/account/clients/" + clientId + "/delete", TesseraHttp.form("confirmed", "yes",
                "_csrf", BrowserFlows.csrf(asked.body()))).location()).endsWith("/account/clients?deleted");
        assertThat(jdbc.queryForObject("select count(*) from oauth_client where client_id = ?", Long.class, clientId))
                .isZero();
        assertThat(jdbc.queryForObject("select count(*) from audit_event where event_type in ('client.registered', "
                + "'client.deleted') and target = ?", Long.class, clientId)).isEqualTo(2);
    }

    @Test
    void adminScopesMissingRedirectOrNoGrantThenClearMessageAndNothingRegistered() {
        TesseraHttp alice = loggedIn(TestAccounts.ALICE, TestAccounts.ALICE_PASSWORD);
        long before = jdbc.queryForObject("select count(*) from oauth_client", Long.class);
        TesseraHttp.Response admin = register(alice, "name", "sneaky", "grant", "authorization_code",
                "redirectUris", TestClients.DEMO_REDIRECT, "scope", "openid iam:admin.write");
        assertThat(admin.status()).isEqualTo(400);
        assertThat(admin.body()).contains("scope iam:admin.write needs a registration with an admin token");
        TesseraHttp.Response noRedirect = register(alice, "name", "web tool", "grant", "authorization_code",
                "scope", "openid");
        assertThat(noRedirect.status()).isEqualTo(400);
        assertThat(noRedirect.body()).contains("authorization_code needs redirect_uris");
        TesseraHttp.Response noGrant = register(alice, "name", "nothing", "scope", "openid");
        assertThat(noGrant.status()).isEqualTo(400);
        assertThat(noGrant.body()).contains("Choose at least one way");
        TesseraHttp.Response device = register(alice, "name", "cli", "grant",
                "urn:ietf:params:oauth:grant-type:device_code", "scope", "openid", "publicClient", "true");
        assertThat(device.status()).isEqualTo(200);
        assertThat(device.body()).contains("A public client: no secret");
        assertThat(jdbc.queryForObject("select count(*) from oauth_client", Long.class)).isEqualTo(before + 1);
    }
}
