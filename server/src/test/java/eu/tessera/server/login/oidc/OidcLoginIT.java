package eu.tessera.server.login.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.BrowserFlows;
import eu.tessera.server.testsupport.TestAccounts;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import eu.tessera.server.testsupport.UpstreamTessera;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Login through an external OpenID Connect provider, which here is a second, real Tessera instance
 * ({@link UpstreamTessera}): linking from the account page, login with the linked identity (also in the middle of
 * an authorization-code flow), an unknown identity, just-in-time accounts for a trusted provider, a missing required
 * claim, one identity per account, and unlinking (not the last way in).
 */
@TesseraIntegrationTest
class OidcLoginIT {

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;

    private final UpstreamTessera upstream = UpstreamTessera.get();

    @BeforeEach
    void startUpstream() {
        upstream.start(properties.issuer());
    }

    /**
     * Follows redirects from {@code response} like a browser, logging in at the upstream as {@code username} and
     * approving consent here; returns the last response (not a redirect, or a redirect to the demo client).
     */
    private TesseraHttp.Response follow(TesseraHttp browser, String url, TesseraHttp.Response response,
            String username) {
        String current = url;
        for (int hops = 0; hops < 20; hops++) {
            if (response.status() != 302) {
                return response;
            }
            String location = URI.create(current).resolve(response.location()).toString();
            if (location.startsWith(TestClients.DEMO_REDIRECT)) {
                return response;
            }
            if (location.startsWith(upstream.issuer() + "/login")) {
                String page = browser.get(location).body();
                response = browser.postForm(upstream.issuer() + "/login", TesseraHttp.form("username", username,
                        "password", username + "-password", "_csrf", BrowserFlows.csrf(page)));
                current = upstream.issuer() + "/login";
                continue;
            }
            if (location.contains("/oauth2/consent")) {
                TesseraHttp.Response consent = browser.get(location);
                response = BrowserFlows.approve(browser, consent.body(),
                        TesseraHttp.queryParameter(location, "client_id").get());
                current = location;
                continue;
            }
            response = browser.get(location);
            current = location;
        }
        throw new AssertionError("too many redirects");
    }

    private TesseraHttp.Response externalLogin(TesseraHttp browser, String provider, String username) {
        String url = properties.issuer() + "/oauth2/authorization/" + provider;
        return follow(browser, url, browser.get(url), username);
    }

    private String upstreamUser(String prefix) {
        String username = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
        upstream.user(username, username + "@upstream.example.org", username + "-password");
        return username;
    }

    @Test
    void memberLinksUpstreamAccountThenLogsInWithItAlsoInAnAuthorizationFlow() {
        String bob = upstreamUser("bob");
        // unknown at first
        TesseraHttp.Response unknown = externalLogin(TesseraHttp.browser(properties.issuer()), "upstream", bob);
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.body()).contains("is not linked to an account here");

        // alice links it from her account page
        TesseraHttp alice = TesseraHttp.browser(properties.issuer());
        BrowserFlows.login(alice, TestAccounts.ALICE, TestAccounts.ALICE_PASSWORD);
        String page = alice.get("/account").body();
        assertThat(page).contains("Link an account at Upstream VO (upstream)");
        String start = properties.issuer() + "/account/identities/link/upstream";
        TesseraHttp.Response linked = follow(alice, start, alice.postForm("/account/identities/link/upstream",
                TesseraHttp.form("_csrf", BrowserFlows.csrf(page))), bob);
        assertThat(linked.status()).isEqualTo(200);
        assertThat(linked.body()).contains("Account linked", bob + "@upstream.example.org");
        String aliceId = jdbc.queryForObject("select id from account where username = 'alice'", String.class);
        Map<String, Object> identity = jdbc.queryForMap("select account_id, issuer, provider from account_identity "
                + "where email = ?", bob + "@upstream.example.org");
        assertThat(identity).containsEntry("account_id", aliceId).containsEntry("issuer", upstream.issuer())
                .containsEntry("provider", "upstream");

        // a fresh browser: an authorization-code flow of the demo client, logging in at the upstream
        TesseraHttp browser = TesseraHttp.browser(properties.issuer());
        String authorize = properties.issuer() + "/authorize?" + TesseraHttp.form("response_type", "code",
                "client_id", TestClients.DEMO_ID, "redirect_uri", TestClients.DEMO_REDIRECT, "scope", "openid",
                "state", "s1", "code_challenge", BrowserFlows.s256("v".repeat(50)), "code_challenge_method", "S256");
        TesseraHttp.Response toLogin = browser.get(authorize);
        assertThat(toLogin.location()).endsWith("/login");
        assertThat(browser.get("/login").body()).contains("Log in with Upstream VO (upstream)");
        TesseraHttp.Response callback = externalLogin(browser, "upstream", bob);
        assertThat(callback.status()).isEqualTo(302);
        String code = TesseraHttp.queryParameter(callback.location(), "code").orElseThrow(
                () -> new AssertionError(callback.location()));
        Map<String, Object> token = TesseraHttp.to(properties.issuer()).token(TestClients.DEMO_ID,
                TestClients.DEMO_SECRET, "grant_type", "authorization_code", "code", code, "redirect_uri",
                TestClients.DEMO_REDIRECT, "code_verifier", "v".repeat(50)).json();
        assertThat(token.get("access_token")).as(token.toString()).isNotNull();
        assertThat(jdbc.queryForObject("select count(*) from audit_event where event_type = 'login.success' and "
                + "actor = ? and details like '%oidc%'", Long.class, aliceId)).isGreaterThanOrEqualTo(1);

        // SCIM shows it as INDIGO IAM does (oidcIds), for the Rucio sync scripts
        String scimToken = TestClients.adminToken(properties.issuer(), "scim:read");
        assertThat(TesseraHttp.to(properties.issuer()).get("/scim/Users/" + aliceId, "Authorization",
                "Bearer " + scimToken).body()).contains("\"oidcIds\":[{\"issuer\":\"" + upstream.issuer()
                + "\",\"subject\":\"");

        // the same upstream account cannot be linked to another account
        TesseraHttp admin = TesseraHttp.browser(properties.issuer());
        BrowserFlows.login(admin, "admin", TestAccounts.ADMIN_PASSWORD);
        String adminPage = admin.get("/account").body();
        TesseraHttp.Response conflict = follow(admin, start, admin.postForm("/account/identities/link/upstream",
                TesseraHttp.form("_csrf", BrowserFlows.csrf(adminPage))), bob);
        assertThat(conflict.body()).contains("is linked to another account");

        // alice (she has a password) unlinks it; then it is unknown again
        String identityId = jdbc.queryForObject("select id from account_identity where email = ?", String.class,
                bob + "@upstream.example.org");
        String again = alice.get("/account").body();
        assertThat(alice.postForm("/account/identities/" + identityId + "/unlink", TesseraHttp.form("_csrf",
                BrowserFlows.csrf(again))).location()).endsWith("/account?identityUnlinked");
        assertThat(externalLogin(TesseraHttp.browser(properties.issuer()), "upstream", bob).status()).isEqualTo(401);
    }

    @Test
    void trustedProviderThenAccountCreatedJustInTimeAndItsOnlyIdentityCannotBeUnlinked() {
        String carol = upstreamUser("carol");
        TesseraHttp browser = TesseraHttp.browser(properties.issuer());
        TesseraHttp.Response landed = externalLogin(browser, "upstream-jit", carol);
        assertThat(landed.status()).isEqualTo(200);
        String accountId = jdbc.queryForObject("select account_id from account_identity where email = ?",
                String.class, carol + "@upstream.example.org");
        Map<String, Object> account = jdbc.queryForMap("select username, email, password_hash from account where id = ?",
                accountId);
        assertThat(account.get("email")).isEqualTo(carol + "@upstream.example.org");
        assertThat(account.get("password_hash")).isNull();
        assertThat(jdbc.queryForList("select g.path from membership m join vo_group g on g.id = m.group_id where "
                + "m.account_id = ?", String.class, accountId)).contains("/escape");
        assertThat(landed.body()).contains((String) account.get("username"));

        String page = browser.get("/account").body();
        String identityId = jdbc.queryForObject("select id from account_identity where account_id = ?", String.class,
                accountId);
        TesseraHttp.Response refused = browser.postForm("/account/identities/" + identityId + "/unlink",
                TesseraHttp.form("_csrf", BrowserFlows.csrf(page)));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body()).contains("only way to log in");
        // a second login finds the same account
        externalLogin(TesseraHttp.browser(properties.issuer()), "upstream-jit", carol);
        assertThat(jdbc.queryForObject("select count(*) from account where email = ?", Long.class,
                carol + "@upstream.example.org")).isEqualTo(1);
    }

    @Test
    void requiredClaimMissingThenLoginRefusedAndNothingCreated() {
        String dave = upstreamUser("dave");
        TesseraHttp.Response refused = externalLogin(TesseraHttp.browser(properties.issuer()), "upstream-strict",
                dave);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body()).contains("eduperson_entitlement=urn:example:vo:member");
        assertThat(jdbc.queryForObject("select count(*) from account_identity where email = ?", Long.class,
                dave + "@upstream.example.org")).isZero();
        TesseraHttp.Response unknownProvider = TesseraHttp.browser(properties.issuer()).get("/oauth2/authorization/nope");
        assertThat(unknownProvider.status()).isEqualTo(404);
        assertThat(unknownProvider.body()).contains("There is no provider nope");
        TesseraHttp.Response offline = TesseraHttp.browser(properties.issuer()).get("/oauth2/authorization/offline");
        assertThat(offline.status()).isEqualTo(503);
        assertThat(offline.body()).contains("cannot be reached now");
        TesseraHttp forger = TesseraHttp.browser(properties.issuer());
        TesseraHttp.Response noFlow = forger.get("/login/oauth2/code/upstream?code=forged&state=forged");
        assertThat(follow(forger, properties.issuer() + "/login/oauth2/code/upstream", noFlow, dave).body())
                .contains("The login with the external provider failed");
    }

    @Test
    void unknownIdentityThenRegistrationPrefilledAndApprovalLinksIt() throws Exception {
        String erin = upstreamUser("erin");
        String email = erin + "@upstream.example.org";
        TesseraHttp browser = TesseraHttp.browser(properties.issuer());
        TesseraHttp.Response unknown = externalLogin(browser, "upstream", erin);
        assertThat(unknown.body()).contains("Register with your Upstream VO (upstream) account");
        String form = browser.get("/registration").body();
        assertThat(form).contains("value=\"" + email + "\"", "After approval you will log in with");
        String username = "reg-" + erin;
        TesseraHttp.Response sent = browser.postForm("/registration", TesseraHttp.form("username", username,
                "email", email, "givenName", "Erin", "familyName", "Upstream", "aup", "true", "_csrf",
                BrowserFlows.csrf(form)));
        assertThat(sent.body()).contains("Check your mailbox");
        String id = jdbc.queryForObject("select id from registration_request where username = ?", String.class,
                username);
        assertThat(jdbc.queryForMap("select identity_provider, identity_issuer from registration_request where id = ?",
                id)).containsEntry("identity_provider", "upstream").containsEntry("identity_issuer", upstream.issuer());

        BrowserFlows.confirmRegistration(browser, properties.issuer(), email);
        TesseraHttp adminPages = TesseraHttp.browser(properties.issuer());
        BrowserFlows.login(adminPages, "admin", TestAccounts.ADMIN_PASSWORD);
        assertThat(adminPages.get("/admin/registrations").body()).contains("upstream (linked on approval)");
        BrowserFlows.approveRegistration(properties.issuer(), id);
        assertThat(eu.tessera.server.testsupport.TestMail.body(eu.tessera.server.testsupport.TestMail.get()
                .awaitContaining(email, "approved"))).contains("Log in with the upstream account");

        TesseraHttp.Response landed = externalLogin(TesseraHttp.browser(properties.issuer()), "upstream", erin);
        assertThat(landed.status()).isEqualTo(200);
        assertThat(landed.body()).contains(username);
        assertThat(jdbc.queryForObject("select a.username from account_identity i join account a on a.id = "
                + "i.account_id where i.email = ?", String.class, email)).isEqualTo(username);
    }
}
