package eu.tessera.server.aup;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.group.GroupAdmin;
import eu.tessera.server.group.VoAdmins;
import eu.tessera.server.oauth2.scope.ScopePolicyService;
import eu.tessera.server.testsupport.BrowserFlows;
import eu.tessera.server.testsupport.TestAccounts;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TestClock;
import eu.tessera.server.testsupport.TestMail;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import eu.tessera.server.testsupport.TokenVerifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * A VO's own addendum to the AUP (issue 18): the VO's admins publish it on the VO's page (another VO's admin may
 * not); until a member signs it, refreshed tokens lose the VO's groups (the other VO's stay) and what scope policies
 * grant through them, and the next authorization stops at the signing page, which lists the addendum; after
 * signing, the groups are back. Registration for the VO shows and requires it and signs it on approval; reminders and
 * the expiry notice are mailed once each. (VOMS ACs: VomsClientsIT.)
 */
@TesseraIntegrationTest
class VoAupIT {

    private static final String PASSWORD = "vo-aup-it-password";

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PasswordEncoder encoder;
    @Autowired
    GroupAdmin groups;
    @Autowired
    VoAdmins vos;
    @Autowired
    ScopePolicyService scopePolicies;
    @Autowired
    AupReminderJob reminders;
    @Autowired
    TestClock clock;
    @Autowired
    eu.tessera.server.group.GroupDirectory directory;
    @Autowired
    VoAupService addenda;

    private final List<String> accounts = new ArrayList<>();
    private final List<String> roots = new ArrayList<>();
    private final List<String> policies = new ArrayList<>();
    private String cms;
    private String production;
    private String lofar;
    private String cmsAdmin;
    private String lofarAdmin;
    private String member;

    @BeforeEach
    void setUp() {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        cms = groups.create("cmsa-" + suffix, null, false).id();
        production = groups.create("production", cms, false).id();
        lofar = groups.create("lofara-" + suffix, null, false).id();
        roots.addAll(List.of(cms, lofar));
        vos.mark(cms, "test");
        vos.mark(lofar, "test");
        cmsAdmin = account("cmsaup");
        lofarAdmin = account("lofaup");
        vos.addAdmin(cms, cmsAdmin, "test");
        vos.addAdmin(lofar, lofarAdmin, "test");
        member = account("member");
        groups.addMember(cms, member, null, null, "test");
        groups.addMember(production, member, null, null, "test");
        groups.addMember(lofar, member, null, null, "test");
    }

    @AfterEach
    void tearDown() {
        clock.reset();
        String admin = "Bearer " + TestClients.adminToken(properties.issuer(), "iam:admin.write");
        policies.forEach(id -> TesseraHttp.to(properties.issuer()).sendJson("DELETE", "/iam/scope_policies/" + id,
                null, "Authorization", admin));
        for (String root : roots) {
            String path = groups.require(root).path();
            jdbc.update("delete from vo_group where path like ? and path <> ?", path + "/%", path);
            jdbc.update("delete from vo_group where id = ?", root);   // the VO, its addendum and signatures go too
        }
        accounts.forEach(id -> jdbc.update("delete from account where id = ?", id));
    }

    private String account(String prefix) {
        String id = TestAccounts.insert(jdbc, encoder, prefix, PASSWORD);
        accounts.add(id);
        return id;
    }

    private TesseraHttp signedIn(String id) {
        return TestAccounts.signedIn(properties.issuer(), TestAccounts.username(jdbc, id), PASSWORD);
    }

    private String path(String groupId) {
        return groups.require(groupId).path();
    }

    private TesseraHttp.Response publish(String adminId, String groupId, String... fields) {
        TesseraHttp browser = signedIn(adminId);
        return BrowserFlows.post(browser, browser.get("/account").body(), "/manage/groups/" + groupId + "/aup",
                fields);
    }

    private TesseraHttp.Response refresh(String refreshToken) {
        return TesseraHttp.to(properties.issuer()).token(TestClients.DEMO_ID, TestClients.DEMO_SECRET, "grant_type",
                "refresh_token", "refresh_token", refreshToken);
    }

    @SuppressWarnings("unchecked")
    private List<String> groupsOf(String accessToken) throws Exception {
        return (List<String>) TokenVerifier.verify(TesseraHttp.to(properties.issuer()), accessToken)
                .getJWTClaimsSet().getClaim("wlcg.groups");
    }

    /** The code flow for the member in {@code browser}: the redirect, or "status:200" when a page stopped it. */
    private String authorize(TesseraHttp browser, String verifier) {
        return BrowserFlows.authorize(browser, TesseraHttp.form("response_type", "code", "client_id",
                TestClients.DEMO_ID, "redirect_uri", TestClients.DEMO_REDIRECT, "scope",
                "openid offline_access wlcg.groups", "state", "s", "code_challenge", BrowserFlows.s256(verifier),
                "code_challenge_method", "S256"), TestAccounts.username(jdbc, member), PASSWORD);
    }

    @Test
    void addendumWhenUnsignedThenTheVosGroupsLeaveTokensUntilTheMemberSigns() throws Exception {
        String admin = "Bearer " + TestClients.adminToken(properties.issuer(), "iam:admin.write");
        // storage.modify on the production area: denied to everyone, permitted to the group's members
        TesseraHttp.Response deny = TesseraHttp.to(properties.issuer()).sendJson("POST", "/iam/scope_policies",
                "{\"rule\":\"DENY\",\"scopes\":[\"storage.modify:" + path(production) + "\"]}", "Authorization", admin);
        assertThat(deny.status()).as(deny.body()).isEqualTo(201);
        policies.add(String.valueOf(deny.json().get("id")));
        TesseraHttp.Response policy = TesseraHttp.to(properties.issuer()).sendJson("POST", "/iam/scope_policies",
                "{\"rule\":\"PERMIT\",\"group\":{\"name\":\"" + path(production).substring(1) + "\"},\"scopes\":"
                        + "[\"storage.modify:" + path(production) + "\"]}", "Authorization", admin);
        assertThat(policy.status()).as(policy.body()).isEqualTo(201);
        policies.add(String.valueOf(policy.json().get("id")));
        // and the same for the LOFAR area through the LOFAR group, whose VO has no addendum
        for (String rule : List.of("{\"rule\":\"DENY\",\"scopes\":[\"storage.modify:" + path(lofar) + "\"]}",
                "{\"rule\":\"PERMIT\",\"group\":{\"name\":\"" + path(lofar).substring(1) + "\"},\"scopes\":"
                        + "[\"storage.modify:" + path(lofar) + "\"]}")) {
            TesseraHttp.Response created = TesseraHttp.to(properties.issuer()).sendJson("POST", "/iam/scope_policies",
                    rule, "Authorization", admin);
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            policies.add(String.valueOf(created.json().get("id")));
        }
        TesseraHttp browser = TesseraHttp.browser(properties.issuer());
        String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
        String code = TesseraHttp.queryParameter(authorize(browser, verifier), "code").orElseThrow();
        Map<String, Object> tokens = BrowserFlows.redeemDemoCode(TesseraHttp.to(properties.issuer()), code, verifier)
                .json();
        assertThat(groupsOf((String) tokens.get("access_token"))).contains(path(cms), path(production), path(lofar));
        assertThat(scopePolicies.decide(member, List.of("storage.modify:" + path(production))).granted())
                .containsExactly("storage.modify:" + path(production));

        // the LOFAR admin may not publish the CMS addendum; bad input is a 400 with the reason; the CMS admin may
        assertThat(publish(lofarAdmin, cms, "action", "publish", "text", "LOFAR says").status()).isEqualTo(403);
        assertThat(publish(cmsAdmin, cms, "action", "publish", "text", "", "url", "").status()).isEqualTo(400);
        TesseraHttp.Response badDays = publish(cmsAdmin, cms, "action", "publish", "text", "x", "validity", "soon");
        assertThat(badDays.status()).isEqualTo(400);
        assertThat(badDays.body()).contains("numbers of days");
        assertThat(jdbc.queryForObject("select count(*) from vo_aup where vo_group_id = ?", Integer.class, cms))
                .isZero();
        assertThat(publish(cmsAdmin, cms, "action", "publish", "text", "CMS data stays in CMS.", "validity", "30",
                "reminders", "10,1").status()).isEqualTo(302);
        assertThat(jdbc.queryForObject("select count(*) from audit_event where event_type = 'vo.aup_published' and "
                + "actor = ? and target = ?", Integer.class, cmsAdmin, cms)).isEqualTo(1);
        assertThat(signedIn(cmsAdmin).get("/manage/groups/" + cms).body()).contains("CMS data stays in CMS.",
                "Withdraw the addendum");

        // unsigned: the refreshed token has LOFAR's group only, the policy on a CMS group grants nothing
        TesseraHttp.Response refreshed = refresh((String) tokens.get("refresh_token"));
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        List<String> without = groupsOf((String) refreshed.json().get("access_token"));
        assertThat(without).contains(path(lofar)).doesNotContain(path(cms), path(production));
        assertThat(scopePolicies.decide(member, List.of("storage.modify:" + path(production), "storage.modify:"
                + path(lofar))).granted()).containsExactly("storage.modify:" + path(lofar));

        // the next authorization stops at the signing page, which shows the addendum; signing resumes it
        String verifier2 = UUID.randomUUID() + "-" + UUID.randomUUID();
        assertThat(authorize(browser, verifier2)).isEqualTo("status:200");
        TesseraHttp.Response page = browser.get("/aup");
        assertThat(page.body()).contains("Addendum of the VO <span>" + path(cms) + "</span>", "CMS data stays in CMS.")
                .doesNotContain(path(lofar));
        // a VO the member is not in cannot be signed for
        String foreign = account("other");
        TesseraHttp foreignBrowser = signedIn(foreign);
        assertThat(BrowserFlows.post(foreignBrowser, foreignBrowser.get("/account").body(), "/aup", "vo", cms)
                .status()).isEqualTo(400);
        assertThat(jdbc.queryForObject("select count(*) from vo_aup_signature where account_id = ?", Integer.class,
                foreign)).isZero();
        TesseraHttp.Response signed = browser.postForm("/aup", TesseraHttp.form("vo", cms, "_csrf",
                BrowserFlows.csrf(page.body())));
        assertThat(signed.status()).isEqualTo(302);
        assertThat(signed.location()).contains("/authorize");
        assertThat(jdbc.queryForObject("select aup_version from vo_aup_signature where vo_group_id = ? and account_id "
                + "= ?", Integer.class, cms, member)).isEqualTo(1);
        String code2 = TesseraHttp.queryParameter(authorize(browser, verifier2), "code").orElseThrow();
        Map<String, Object> after = BrowserFlows.redeemDemoCode(TesseraHttp.to(properties.issuer()), code2, verifier2)
                .json();
        assertThat(groupsOf((String) after.get("access_token"))).contains(path(cms), path(production), path(lofar));
        assertThat(browser.get("/aup").body()).contains("You signed version <span>1</span>");

        // reminders 10 and 1 days before the 30-day signature ends, then the expiry notice: once each, to members
        // only (one who signed and then left the VO is not reminded)
        String email = TestAccounts.username(jdbc, member) + "@example.org";
        String leaver = account("leaver");
        groups.addMember(cms, leaver, null, null, "test");
        addenda.sign(cms, leaver, clock.instant(), leaver);
        groups.removeMember(cms, leaver, "test");
        reminders.run();
        clock.advance(Duration.ofDays(21));
        assertThat(reminders.run()).isEqualTo(1);
        assertThat(reminders.run()).isZero();
        clock.advance(Duration.ofHours(8 * 24 + 12));
        assertThat(reminders.run()).isEqualTo(1);
        clock.advance(Duration.ofDays(1));
        assertThat(reminders.run()).isEqualTo(1);
        assertThat(reminders.run()).isZero();
        assertThat(TestMail.get().await(email, 3).stream().map(TestMail::body).toList()).satisfiesExactly(
                body -> assertThat(body).contains("addendum", path(cms), "expires on"),
                body -> assertThat(body).contains("addendum", path(cms), "expires on"),
                body -> assertThat(body).contains("addendum", path(cms), "expired on"));
        assertThat(TestMail.get().to(TestAccounts.username(jdbc, leaver) + "@example.org")).isEmpty();
        // expired: what tokens carry loses the VO's groups again
        assertThat(directory.membershipsOf(member).entitledGroups()).contains(path(lofar))
                .doesNotContain(path(cms), path(production));
        clock.reset();

        // withdrawn: nothing to sign any more
        assertThat(publish(cmsAdmin, cms, "action", "withdraw").status()).isEqualTo(302);
        assertThat(jdbc.queryForObject("select count(*) from vo_aup where vo_group_id = ?", Integer.class, cms))
                .isZero();
    }

    @Test
    void registrationForAVoWithAnAddendumShowsItRequiresItAndSignsItOnApproval() throws Exception {
        assertThat(publish(cmsAdmin, cms, "action", "publish", "text", "CMS registrants agree.").status())
                .isEqualTo(302);
        String username = "vreg" + UUID.randomUUID().toString().substring(0, 8);
        String email = username + "@example.org";
        TesseraHttp browser = TesseraHttp.browser(properties.issuer());
        TesseraHttp.Response page = browser.get("/registration?vo=" + path(cms));
        assertThat(page.body()).contains("Addendum of the VO <span>" + path(cms) + "</span>", "CMS registrants agree.",
                "I accept the addendum of the VO I join");
        List<String> fields = new ArrayList<>(List.of("givenName", "Vera", "familyName", "Rubin", "email", email,
                "username", username, "aup", "true", "vo", cms, "_csrf", BrowserFlows.csrf(page.body())));
        TesseraHttp.Response missing = browser.postForm("/registration", TesseraHttp.form(fields.toArray(
                String[]::new)));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body()).contains("You must accept the addendum of the VO you join.");
        assertThat(jdbc.queryForObject("select count(*) from registration_request where username = ?", Integer.class,
                username)).isZero();
        fields.addAll(List.of("voAup", "true"));
        assertThat(browser.postForm("/registration", TesseraHttp.form(fields.toArray(String[]::new))).status())
                .isEqualTo(200);
        BrowserFlows.confirmRegistration(browser, properties.issuer(), email);
        String id = jdbc.queryForObject("select id from registration_request where username = ?", String.class,
                username);
        TesseraHttp cmsBrowser = signedIn(cmsAdmin);
        assertThat(BrowserFlows.post(cmsBrowser, cmsBrowser.get("/manage/requests").body(),
                "/manage/registrations/" + id, "decision", "approve").status()).isEqualTo(302);
        String account = jdbc.queryForObject("select id from account where username = ?", String.class, username);
        accounts.add(account);
        assertThat(jdbc.queryForObject("select aup_version from vo_aup_signature where vo_group_id = ? and "
                + "account_id = ?", Integer.class, cms, account)).isEqualTo(1);
    }

    /**
     * The VO's pages as their people use them, in Chromium at phone width (390 px): the VO admin's VO page with the
     * addendum and both policy tables, the member's signing page and the registration form with the addendum; every
     * field labelled and nothing wider than the screen. The admin publishes and the member signs with clicks.
     */
    @Test
    void voPagesWhenUsedOnAPhoneThenLabelledAndNarrow() throws Exception {
        try (eu.tessera.server.testsupport.ChromiumBrowser chromium =
                new eu.tessera.server.testsupport.ChromiumBrowser(properties.issuer())) {
            chromium.width(390);
            chromium.signIn(TestAccounts.username(jdbc, cmsAdmin), PASSWORD);
            chromium.open("/manage/groups/" + cms);
            chromium.type("vo-aup-text", "Phone-published CMS rules.");
            chromium.clickButton("Publish the addendum");
            chromium.await("Phone-published CMS rules.");
            new org.openqa.selenium.support.ui.Select(chromium.find(org.openqa.selenium.By.id("vo-policy-rule")))
                    .selectByValue("DENY");   // no limits set: the VO's admins may only deny
            chromium.type("vo-policy-scopes", "compute.read");
            chromium.clickButton("Add the policy");
            chromium.await("compute.read");
            assertThat(chromium.text()).contains("Scope policies of the VO", "Token exchange policies of the VO");
            assertThat(chromium.accessibilityProblems()).isEmpty();

            chromium.signIn(TestAccounts.username(jdbc, member), PASSWORD);
            chromium.open("/aup");
            chromium.await("Phone-published CMS rules.");
            assertThat(chromium.accessibilityProblems()).isEmpty();
            chromium.clickButton("I accept the addendum of " + path(cms));
            chromium.await("Signed in as");   // back where the sign-in was going (the home page)
            chromium.open("/aup");
            chromium.await("You signed version 1");
            assertThat(jdbc.queryForObject("select count(*) from vo_aup_signature where vo_group_id = ? and "
                    + "account_id = ?", Integer.class, cms, member)).isEqualTo(1);

            chromium.driver().manage().deleteAllCookies();
            chromium.open("/registration?vo=" + path(cms));
            chromium.await("Phone-published CMS rules.");
            assertThat(chromium.accessibilityProblems()).isEmpty();
        } finally {
            jdbc.update("delete from scope_policy where description = ?", "by the admins of " + path(cms));
            scopePolicies.reload();
        }
    }
}
