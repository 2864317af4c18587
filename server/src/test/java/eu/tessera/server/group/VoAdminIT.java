package eu.tessera.server.group;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.BrowserFlows;
import eu.tessera.server.testsupport.TestAccounts;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Two VOs in one instance with a member in both (issue 18): a global admin makes two top-level groups VOs and
 * appoints an admin to each through the group page; each VO admin administers their VO's subtree (members,
 * subgroups, managers, group requests; in the pages and with their own token at the API) and is refused (403,
 * nothing changed) everywhere in the other VO, and may not move a group out of their VO nor touch the VO itself.
 */
@TesseraIntegrationTest
class VoAdminIT {

    private static final String PASSWORD = "vo-admin-it-password";

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PasswordEncoder encoder;
    @Autowired
    GroupAdmin groups;

    private final List<String> accounts = new ArrayList<>();
    private final List<String> roots = new ArrayList<>();
    private String cms;
    private String lofar;
    private String cmsAdmin;
    private String lofarAdmin;
    private String member;

    @BeforeEach
    void setUp() {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        cms = groups.create("cms-" + suffix, null, false).id();
        lofar = groups.create("lofar-" + suffix, null, false).id();
        roots.addAll(List.of(cms, lofar));
        cmsAdmin = account("cmsadm");
        lofarAdmin = account("lofadm");
        member = account("both");
        groups.addMember(cms, member, null, null, "test");
        groups.addMember(lofar, member, null, null, "test");
    }

    @AfterEach
    void tearDown() {
        for (String root : roots) {
            String path = groups.require(root).path();
            jdbc.update("delete from vo_group where path like ? and path <> ?", path + "/%", path);
            jdbc.update("delete from vo_group where id = ?", root);
        }
        accounts.forEach(id -> jdbc.update("delete from account where id = ?", id));
    }

    private String account(String prefix) {
        String id = TestAccounts.insert(jdbc, encoder, prefix, PASSWORD);
        accounts.add(id);
        return id;
    }

    private String username(String id) {
        return TestAccounts.username(jdbc, id);
    }

    private TesseraHttp signedIn(String id) {
        return TestAccounts.signedIn(properties.issuer(), username(id), PASSWORD);
    }

    /** A form post to a group page, with the session's CSRF token (from the account page: any page with a form). */
    private TesseraHttp.Response post(TesseraHttp browser, String groupId, String... fields) {
        return BrowserFlows.post(browser, browser.get("/account").body(), "/manage/groups/" + groupId, fields);
    }

    private String path(String groupId) {
        return groups.require(groupId).path();
    }

    private boolean isMember(String groupId, String accountId) {
        return jdbc.queryForObject("select count(*) from membership where group_id = ? and account_id = ?",
                Integer.class, groupId, accountId) > 0;
    }

    /** A user token of the account (demo client, code flow with PKCE). */
    private String token(String id) {
        return token(id, "openid");
    }

    private String token(String id, String scope) {
        String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
        String redirect = BrowserFlows.authorize(TesseraHttp.browser(properties.issuer()), TesseraHttp.form(
                "response_type", "code", "client_id", TestClients.DEMO_ID, "redirect_uri", TestClients.DEMO_REDIRECT,
                "scope", scope, "state", "s", "code_challenge", BrowserFlows.s256(verifier),
                "code_challenge_method", "S256"), username(id), PASSWORD);
        String code = TesseraHttp.queryParameter(redirect, "code").orElseThrow(() -> new AssertionError(redirect));
        return (String) BrowserFlows.redeemDemoCode(TesseraHttp.to(properties.issuer()), code, verifier).json()
                .get("access_token");
    }

    @Autowired
    VoAdmins vos;

    @Test
    void registrationWhenNamingAVoThenRoutedToThatVosAdminsWhoApproveIt() throws Exception {
        vos.mark(cms, "test");
        vos.mark(lofar, "test");
        vos.addAdmin(cms, cmsAdmin, "test");
        vos.addAdmin(lofar, lofarAdmin, "test");
        // the CMS admin makes /cms/users a default group of the VO on its page (the LOFAR admin may not)
        String users = groups.create("users", cms, false).id();
        assertThat(post(signedIn(lofarAdmin), users, "action", "vo-default", "value", "true").status())
                .isEqualTo(403);
        assertThat(post(signedIn(cmsAdmin), users, "action", "vo-default", "value", "true").status()).isEqualTo(302);
        assertThat(post(signedIn(cmsAdmin), cms, "action", "vo-default", "value", "true").status()).isEqualTo(409);
        eu.tessera.server.testsupport.TestMail mail = eu.tessera.server.testsupport.TestMail.get();
        String username = "reg" + UUID.randomUUID().toString().substring(0, 8);
        String email = username + "@example.org";

        // the form asks which VO; ?vo= preselects it; without one the form says what is missing
        TesseraHttp browser = TesseraHttp.browser(properties.issuer());
        TesseraHttp.Response page = browser.get("/registration?vo=" + path(cms));
        assertThat(page.body()).contains("The VO you want to join", path(lofar))
                .containsPattern("value=\"" + cms + "\"\\s+selected");
        List<String> fields = new ArrayList<>(List.of("givenName", "Vera", "familyName", "Rubin", "email", email,
                "username", username, "aup", "true", "_csrf", BrowserFlows.csrf(page.body())));
        TesseraHttp.Response missing = browser.postForm("/registration", TesseraHttp.form(fields.toArray(
                String[]::new)));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body()).contains("Choose the VO you want to join");
        fields.addAll(List.of("vo", cms));
        assertThat(browser.postForm("/registration", TesseraHttp.form(fields.toArray(String[]::new))).status())
                .isEqualTo(200);
        BrowserFlows.confirmRegistration(browser, properties.issuer(), email);

        // mailed to the CMS admin (not to the global admins), in the CMS admin's inbox only
        assertThat(eu.tessera.server.testsupport.TestMail.body(mail.awaitContaining(username(cmsAdmin) + "@example.org", username)))
                .contains(username);
        assertThat(mail.to(TestAccounts.VO_ADMINS_MAIL).stream().map(eu.tessera.server.testsupport.TestMail::body))
                .noneMatch(body -> body.contains(username));
        String id = jdbc.queryForObject("select id from registration_request where username = ?", String.class,
                username);
        TesseraHttp cmsBrowser = signedIn(cmsAdmin);
        assertThat(cmsBrowser.get("/manage/requests").body()).contains(username, path(cms));
        TesseraHttp lofarBrowser = signedIn(lofarAdmin);
        assertThat(lofarBrowser.get("/manage/requests").body()).doesNotContain(username);
        assertThat(BrowserFlows.post(lofarBrowser, lofarBrowser.get("/account").body(), "/manage/registrations/" + id,
                "decision", "approve").status()).isEqualTo(403);
        assertThat(jdbc.queryForObject("select status from registration_request where id = ?", String.class, id))
                .isEqualTo("CONFIRMED");
        assertThat(lofarBrowser.get("/admin/registrations").status()).isEqualTo(403);
        // the same through the API with their own tokens: each VO admin lists and reads their VO's only
        TesseraHttp api = TesseraHttp.to(properties.issuer());
        String lofarBearer = "Bearer " + token(lofarAdmin);
        String cmsBearer = "Bearer " + token(cmsAdmin);
        assertThat(api.get("/iam/registrations?status=CONFIRMED", "Authorization", cmsBearer).body())
                .contains(username);
        TesseraHttp.Response lofarList = api.get("/iam/registrations?status=CONFIRMED", "Authorization", lofarBearer);
        assertThat(lofarList.status()).isEqualTo(200);
        assertThat(lofarList.body()).doesNotContain(username);
        assertThat(api.get("/iam/registrations/" + id, "Authorization", lofarBearer).status()).isEqualTo(404);
        assertThat(api.get("/iam/registrations/" + id, "Authorization", cmsBearer).body()).contains(username);
        TesseraHttp.Response foreignApproval = api.sendJson("POST", "/iam/registrations/" + id + "/approve", "{}",
                "Authorization", lofarBearer);
        assertThat(foreignApproval.status()).isEqualTo(403);
        assertThat(foreignApproval.header("Content-Type")).contains("application/problem+json");
        assertThat(api.sendJson("POST", "/iam/registrations/" + id + "/reject", "{}", "Authorization", lofarBearer)
                .status()).isEqualTo(403);
        assertThat(api.get("/iam/registrations", "Authorization", "Bearer " + token(member)).status())
                .isEqualTo(403);
        assertThat(jdbc.queryForObject("select status from registration_request where id = ?", String.class, id))
                .isEqualTo("CONFIRMED");

        TesseraHttp.Response approved = BrowserFlows.post(cmsBrowser, cmsBrowser.get("/manage/requests").body(),
                "/manage/registrations/" + id, "decision", "approve");
        assertThat(approved.location()).endsWith("/manage/requests?decided");
        String account = jdbc.queryForObject("select id from account where username = ?", String.class, username);
        accounts.add(account);
        assertThat(isMember(cms, account)).isTrue();
        assertThat(isMember(users, account)).isTrue();
        assertThat(isMember(lofar, account)).isFalse();
        assertThat(jdbc.queryForObject("select actor from audit_event where event_type = 'registration.approved' and "
                + "target = ?", String.class, id)).isEqualTo(cmsAdmin);
    }

    @Autowired
    VoMetrics voMetrics;

    @Test
    void voFiguresWhenRequestsWaitThenOnTheVoPageTheDashboardAndInPrometheus() {
        vos.mark(cms, "test");
        vos.addAdmin(cms, cmsAdmin, "test");
        String analysis = groups.create("analysis", cms, false).id();
        groups.addMember(analysis, cmsAdmin, null, null, "test");
        TesseraHttp memberBrowser = signedIn(lofarAdmin);   // not in the VO yet: asks to join a group of it
        assertThat(BrowserFlows.post(memberBrowser, memberBrowser.get("/account").body(), "/account/group-requests",
                "group", analysis, "reason", "joining").status()).isEqualTo(302);

        // members of the VO's groups, counted once: the member (root) and the VO admin (analysis)
        assertThat(signedIn(cmsAdmin).get("/manage/groups/" + cms).body()).containsPattern(
                "<strong>2</strong> members in the VO").containsPattern("<strong>1</strong> group requests waiting");
        assertThat(TestAccounts.signedIn(properties.issuer(), "admin", TestAccounts.ADMIN_PASSWORD).get("/admin")
                .body()).contains(path(cms)).contains("Group requests waiting");
        voMetrics.refresh();
        String scrape = TesseraHttp.to(properties.issuer()).get("/actuator/prometheus", "Authorization", "Bearer "
                + TestClients.adminToken(properties.issuer(), "iam:admin.read")).body();
        assertThat(scrape).contains("tessera_vo_members{vo=\"" + path(cms) + "\"} 2.0",
                "tessera_vo_pending_group_requests{vo=\"" + path(cms) + "\"} 1.0",
                "tessera_vo_pending_registrations{vo=\"" + path(cms) + "\"} 0.0");
    }

    @Test
    @SuppressWarnings("unchecked")
    void capabilitySetWhenVoAdminAttachesItThenMembersGetItsCapabilitiesInVerifiedTokens() throws Exception {
        vos.mark(cms, "test");
        vos.mark(lofar, "test");
        vos.addAdmin(cms, cmsAdmin, "test");
        vos.addAdmin(lofar, lofarAdmin, "test");
        String production = groups.create("production", cms, false).id();
        groups.addMember(production, member, null, null, "test");
        String set = "wlcg.capabilityset:" + path(production);

        TesseraHttp cmsBrowser = signedIn(cmsAdmin);
        TesseraHttp.Response malformed = post(cmsBrowser, production, "action", "capabilities", "value",
                "storage.read:/cms storage.read");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body()).contains("not a valid capability: storage.read");
        assertThat(post(cmsBrowser, production, "action", "capabilities", "value", "wlcg.groups:/cms").status())
                .isEqualTo(400);
        assertThat(post(signedIn(lofarAdmin), production, "action", "capabilities", "value", "storage.read:/")
                .status()).isEqualTo(403);
        assertThat(post(cmsBrowser, production, "action", "capabilities", "value",
                "storage.create:/cms/prod storage.read:/cms  storage.create:/cms/home/{username}").status())
                .isEqualTo(302);
        assertThat(cmsBrowser.get("/manage/groups/" + production).body()).contains(set);
        assertThat((List<Object>) TesseraHttp.to(properties.issuer()).get("/.well-known/openid-configuration").json()
                .get("scopes_supported")).contains(set);

        // a member asking for the set gets its capabilities, in place of the set, in a token that verifies
        com.nimbusds.jwt.SignedJWT jwt = eu.tessera.server.testsupport.TokenVerifier.verify(TesseraHttp.to(
                properties.issuer()), token(member, "openid " + set));
        assertThat(jwt.getJWTClaimsSet().getStringClaim("scope")).isEqualTo("openid storage.create:/cms/prod "
                + "storage.read:/cms storage.create:/cms/home/" + username(member));

        // anyone else: access_denied at the authorization endpoint
        String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
        String denied = BrowserFlows.authorize(TesseraHttp.browser(properties.issuer()), TesseraHttp.form(
                "response_type", "code", "client_id", TestClients.DEMO_ID, "redirect_uri", TestClients.DEMO_REDIRECT,
                "scope", "openid " + set, "state", "s", "code_challenge", BrowserFlows.s256(verifier),
                "code_challenge_method", "S256"), username(lofarAdmin), PASSWORD);
        assertThat(TesseraHttp.queryParameter(denied, "error")).contains("access_denied");

        // asked for together with a set of another group (as `oidc-agent --scope max` asks for every listed set),
        // the one the member may not have is left out instead of refusing the token
        String other = groups.create("calibration", lofar, false).id();
        assertThat(post(signedIn(lofarAdmin), other, "action", "capabilities", "value", "storage.read:/lofar/cal")
                .status()).isEqualTo(302);
        com.nimbusds.jwt.SignedJWT both = eu.tessera.server.testsupport.TokenVerifier.verify(TesseraHttp.to(
                properties.issuer()), token(member, "openid " + set + " wlcg.capabilityset:" + path(other)));
        assertThat(both.getJWTClaimsSet().getStringClaim("scope")).isEqualTo("openid storage.create:/cms/prod "
                + "storage.read:/cms storage.create:/cms/home/" + username(member));

        // emptied, the set is gone from discovery
        assertThat(post(cmsBrowser, production, "action", "capabilities", "value", "").status()).isEqualTo(302);
        assertThat((List<Object>) TesseraHttp.to(properties.issuer()).get("/.well-known/openid-configuration").json()
                .get("scopes_supported")).doesNotContain(set);
    }

    @Test
    void voAdminsWhenAppointedThenAdministerTheirVoOnlyInPagesAndApi() {
        // the global admin makes both groups VOs and appoints their admins on the group pages
        TesseraHttp admin = TestAccounts.signedIn(properties.issuer(), "admin", TestAccounts.ADMIN_PASSWORD);
        assertThat(post(admin, cms, "action", "vo-mark").status()).isEqualTo(302);
        assertThat(post(admin, lofar, "action", "vo-mark").status()).isEqualTo(302);
        assertThat(post(admin, cms, "action", "vo-admin", "username", username(cmsAdmin)).status()).isEqualTo(302);
        assertThat(post(admin, lofar, "action", "vo-admin", "username", username(lofarAdmin)).status())
                .isEqualTo(302);
        assertThat(admin.get("/manage/groups/" + cms).body()).contains("This group is a VO", username(cmsAdmin));
        // VOs do not nest (a VO's group as a VO of its own is refused; nothing marked)
        String nested = groups.create("inner", cms, false).id();
        assertThat(post(admin, nested, "action", "vo-mark").status()).isEqualTo(409);
        assertThat(jdbc.queryForObject("select count(*) from vo where group_id = ?", Integer.class, nested)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from audit_event where event_type = 'vo.admin_added' and "
                + "target = ?", Integer.class, cms)).isEqualTo(1);

        TesseraHttp cmsBrowser = signedIn(cmsAdmin);
        assertThat(cmsBrowser.get("/account").body()).contains("Administer the VO " + path(cms));

        // subgroups in their own VO, not in the other
        assertThat(post(cmsBrowser, cms, "action", "subgroup", "name", "production").status()).isEqualTo(302);
        String production = groups.require(path(cms) + "/production").id();
        TesseraHttp.Response foreignSubgroup = post(cmsBrowser, lofar, "action", "subgroup", "name", "intruders");
        assertThat(foreignSubgroup.status()).isEqualTo(403);
        assertThat(groups.find(path(lofar) + "/intruders")).isEmpty();
        assertThat(cmsBrowser.get("/manage/groups/" + lofar).status()).isEqualTo(403);

        // members and managers of their subgroups
        assertThat(post(cmsBrowser, production, "action", "add", "username", username(member)).status())
                .isEqualTo(302);
        assertThat(isMember(production, member)).isTrue();
        assertThat(post(cmsBrowser, production, "action", "manager", "username", username(member)).status())
                .isEqualTo(302);
        assertThat(groups.isManager(member, production)).isTrue();
        TesseraHttp.Response foreignRemoval = BrowserFlows.post(cmsBrowser, cmsBrowser.get("/account").body(),
                "/manage/groups/" + lofar, "action", "remove", "account", member, "confirmed", "yes");
        assertThat(foreignRemoval.status()).isEqualTo(403);
        assertThat(isMember(lofar, member)).isTrue();

        // the VO stays whole: no moving a group out, no renaming or deleting the VO, no VO decisions
        TesseraHttp.Response moveOut = post(cmsBrowser, production, "action", "settings", "name", "production",
                "parent", path(lofar));
        assertThat(moveOut.status()).isEqualTo(403);
        assertThat(path(production)).isEqualTo(path(cms) + "/production");
        assertThat(post(cmsBrowser, cms, "action", "delete", "confirmed", "yes").status()).isEqualTo(403);
        assertThat(groups.find(cms)).isPresent();
        assertThat(post(cmsBrowser, cms, "action", "vo-admin", "username", username(member)).status())
                .isEqualTo(403);
        assertThat(jdbc.queryForObject("select count(*) from vo_admin where account_id = ?", Integer.class, member))
                .isZero();

        // group requests: the request to a CMS group reaches the CMS admin's inbox only
        String analysis = groups.create("analysis", cms, false).id();
        TesseraHttp memberBrowser = signedIn(member);
        assertThat(BrowserFlows.post(memberBrowser, memberBrowser.get("/account").body(), "/account/group-requests",
                "group", analysis, "reason", "CMS analysis").status()).isEqualTo(302);
        String requestId = jdbc.queryForObject("select id from group_request where group_id = ? and account_id = ?",
                String.class, analysis, member);
        assertThat(cmsBrowser.get("/manage/requests").body()).contains("CMS analysis");
        TesseraHttp lofarBrowser = signedIn(lofarAdmin);
        assertThat(lofarBrowser.get("/manage/requests").body()).doesNotContain("CMS analysis");
        TesseraHttp.Response foreignDecision = BrowserFlows.post(lofarBrowser, lofarBrowser.get("/account").body(),
                "/manage/requests/" + requestId, "decision", "approve");
        assertThat(foreignDecision.status()).isEqualTo(403);
        assertThat(jdbc.queryForObject("select status from group_request where id = ?", String.class, requestId))
                .isEqualTo("PENDING");
        assertThat(BrowserFlows.post(cmsBrowser, cmsBrowser.get("/manage/requests").body(), "/manage/requests/"
                + requestId, "decision", "approve").status()).isEqualTo(302);
        assertThat(isMember(analysis, member)).isTrue();

        // suspension from the VO: out of every CMS group and management, still in LOFAR
        assertThat(post(cmsBrowser, cms, "action", "remove", "account", member, "confirmed", "yes").status())
                .isEqualTo(302);
        assertThat(isMember(cms, member)).isFalse();
        assertThat(isMember(analysis, member)).isFalse();
        assertThat(groups.isManager(member, production)).isFalse();
        assertThat(isMember(lofar, member)).isTrue();
        groups.addMember(production, member, null, null, "test");

        // the API with the VO admin's own token: their VO's members, not the other's
        String bearer = "Bearer " + token(cmsAdmin);
        TesseraHttp api = TesseraHttp.to(properties.issuer());
        assertThat(api.get("/iam/group/" + production + "/members", "Authorization", bearer).status()).isEqualTo(200);
        assertThat(api.get("/iam/group/" + lofar + "/members", "Authorization", bearer).status()).isEqualTo(403);
        assertThat(api.sendJson("DELETE", "/iam/group/" + lofar + "/members/" + member, null, "Authorization",
                bearer).status()).isEqualTo(403);
        assertThat(isMember(lofar, member)).isTrue();
        assertThat(api.sendJson("DELETE", "/iam/group/" + production + "/members/" + member, null, "Authorization",
                bearer).status()).isEqualTo(204);
        assertThat(isMember(production, member)).isFalse();

        // certificates for VOMS: of their VO's members, not of others'
        String lofarOnly = account("lofonly");
        String dnLater = "{\"subjectDn\":\"CN=Early " + member + ",O=Test\",\"issuerDn\":\"CN=Test CA,O=Test\"}";
        assertThat(api.sendJson("POST", "/iam/account/" + member + "/certificates", dnLater, "Authorization",
                bearer).status()).isEqualTo(403);   // out of every CMS group since the suspension and the removal
        groups.addMember(cms, member, null, null, "test");
        groups.addMember(lofar, lofarOnly, null, null, "test");
        String dn = "{\"subjectDn\":\"CN=Member " + member + ",O=Test\",\"issuerDn\":\"CN=Test CA,O=Test\"}";
        assertThat(api.sendJson("POST", "/iam/account/" + member + "/certificates", dn, "Authorization", bearer)
                .status()).isEqualTo(201);
        assertThat(api.get("/iam/account/" + member + "/certificates", "Authorization", bearer).body())
                .contains("CN=Member " + member);
        TesseraHttp.Response foreign = api.sendJson("POST", "/iam/account/" + lofarOnly + "/certificates",
                dn.replace("Member", "Other"), "Authorization", bearer);
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.header("Content-Type")).contains("application/problem+json");
        assertThat(jdbc.queryForObject("select count(*) from account_certificate where account_id = ?",
                Integer.class, lofarOnly)).isZero();
        assertThat(api.get("/iam/account/" + lofarOnly + "/certificates", "Authorization", bearer).status())
                .isEqualTo(403);
        // a member's own token reaches no one else's certificates
        assertThat(api.get("/iam/account/" + cmsAdmin + "/certificates", "Authorization", "Bearer " + token(member))
                .status()).isEqualTo(403);

        // joining a second VO is a request to that VO's admins, not a new account: a LOFAR member asks for CMS
        int accountsBefore = jdbc.queryForObject("select count(*) from account", Integer.class);
        TesseraHttp joiner = signedIn(lofarOnly);
        assertThat(BrowserFlows.post(joiner, joiner.get("/account").body(), "/account/group-requests", "group", cms,
                "reason", "joining CMS").status()).isEqualTo(302);
        String join = jdbc.queryForObject("select id from group_request where group_id = ? and account_id = ?",
                String.class, cms, lofarOnly);
        assertThat(api.sendJson("POST", "/iam/group-requests/" + join + "/approve", "{}", "Authorization",
                "Bearer " + token(lofarAdmin)).status()).isEqualTo(403);
        assertThat(api.sendJson("POST", "/iam/group-requests/" + join + "/approve", "{}", "Authorization", bearer)
                .status()).isEqualTo(200);
        assertThat(isMember(cms, lofarOnly)).isTrue();
        assertThat(isMember(lofar, lofarOnly)).isTrue();
        assertThat(jdbc.queryForObject("select count(*) from account", Integer.class)).isEqualTo(accountsBefore);
    }

    @Autowired
    eu.tessera.server.oauth2.scope.ScopePolicyService scopePolicies;
    @Autowired
    eu.tessera.server.oauth2.scope.VoScopePolicies voPolicies;

    /**
     * Scope policies per VO: the global admin sets what the CMS admins may permit; the CMS admin adds a policy for a
     * CMS group with their own token (it takes effect: the member gets a scope a global DENY withheld), and is
     * refused (403, nothing saved) beyond the limits, for a LOFAR group, for an account, with REGEXP, and for limits;
     * the LOFAR admin neither sees nor deletes the CMS policy. The page does the same.
     */
    @Test
    void scopePoliciesWhenVoAdminThenTheirVosGroupsWithinTheGlobalLimits() throws Exception {
        vos.mark(cms, "test");
        vos.mark(lofar, "test");
        vos.addAdmin(cms, cmsAdmin, "test");
        vos.addAdmin(lofar, lofarAdmin, "test");
        String production = groups.create("production", cms, false).id();
        groups.addMember(production, member, null, null, "test");
        String area = "/cmsdata-" + cms.substring(0, 6);
        TesseraHttp api = TesseraHttp.to(properties.issuer());
        String admin = "Bearer " + TestClients.adminToken(properties.issuer(), "iam:admin.write");
        TesseraHttp.Response deny = api.sendJson("POST", "/iam/scope_policies", "{\"rule\":\"DENY\",\"scopes\":"
                + "[\"storage.read:" + area + "/prod\"]}", "Authorization", admin);
        assertThat(deny.status()).isEqualTo(201);
        List<String> created = new ArrayList<>(List.of(String.valueOf(deny.json().get("id"))));
        try {
            assertThat(scopePolicies.decide(member, List.of("storage.read:" + area + "/prod")).granted()).isEmpty();
            TesseraHttp global = TestAccounts.signedIn(properties.issuer(), "admin", TestAccounts.ADMIN_PASSWORD);
            // limits: global admins only
            TesseraHttp cmsBrowser = signedIn(cmsAdmin);
            assertThat(BrowserFlows.post(cmsBrowser, cmsBrowser.get("/account").body(), "/manage/groups/" + cms
                    + "/scope-policies", "action", "limits", "scopes", "storage.read:/").status()).isEqualTo(403);
            assertThat(voPolicies.limits(cms)).isEmpty();
            assertThat(BrowserFlows.post(global, global.get("/account").body(), "/manage/groups/" + cms
                    + "/scope-policies", "action", "limits", "scopes", "storage.read:" + area + " storage.create:"
                    + area + "/user").status()).isEqualTo(302);
            assertThat(global.get("/manage/groups/" + cms).body()).contains("storage.read:" + area + " storage.create:"
                    + area + "/user");

            String bearer = "Bearer " + token(cmsAdmin);
            String policy = "{\"rule\":\"PERMIT\",\"group\":{\"name\":\"" + path(production).substring(1)
                    + "\"},\"scopes\":[\"storage.read:" + area + "/prod\"]}";
            TesseraHttp.Response permitted = api.sendJson("POST", "/iam/scope_policies", policy, "Authorization",
                    bearer);
            assertThat(permitted.status()).as(permitted.body()).isEqualTo(201);
            String id = String.valueOf(permitted.json().get("id"));
            created.add(id);
            assertThat(scopePolicies.decide(member, List.of("storage.read:" + area + "/prod")).granted())
                    .containsExactly("storage.read:" + area + "/prod");
            int before = jdbc.queryForObject("select count(*) from scope_policy", Integer.class);
            for (String refused : List.of(
                    policy.replace("storage.read:" + area + "/prod", "storage.modify:" + area),
                    policy.replace(path(production).substring(1), path(lofar).substring(1)),
                    "{\"rule\":\"PERMIT\",\"account\":{\"uuid\":\"" + member + "\"},\"scopes\":[\"storage.read:"
                            + area + "\"]}",
                    policy.replace("\"PERMIT\",", "\"PERMIT\",\"matchingPolicy\":\"REGEXP\","),
                    "{\"rule\":\"PERMIT\",\"group\":{\"name\":\"" + path(cms).substring(1) + "\"}}")) {
                TesseraHttp.Response response = api.sendJson("POST", "/iam/scope_policies", refused, "Authorization",
                        bearer);
                assertThat(response.status()).as(refused + " " + response.body()).isEqualTo(403);
                assertThat(response.header("Content-Type")).contains("application/problem+json");
            }
            assertThat(jdbc.queryForObject("select count(*) from scope_policy", Integer.class)).isEqualTo(before);
            assertThat(api.sendJson("POST", "/iam/scope_policies", policy.replace("/prod\"", "/prod/raw\""),
                    "Authorization", bearer).status()).isEqualTo(201);   // narrower than the limits: created

            // the LOFAR admin: does not see it, cannot delete it; the decision endpoint is for global admins
            String lofarBearer = "Bearer " + token(lofarAdmin);
            assertThat(api.get("/iam/scope_policies", "Authorization", lofarBearer).body()).doesNotContain(area);
            assertThat(api.get("/iam/scope_policies/" + id, "Authorization", lofarBearer).status()).isEqualTo(404);
            assertThat(api.sendJson("DELETE", "/iam/scope_policies/" + id, null, "Authorization", lofarBearer)
                    .status()).isEqualTo(403);
            assertThat(api.get("/iam/scope_policies/decision?account=" + member + "&scope=openid", "Authorization",
                    bearer).status()).isEqualTo(403);
            assertThat(api.get("/iam/scope_policies", "Authorization", bearer).body()).contains(area + "/prod");
            assertThat(api.get("/iam/scope_policies", "Authorization", "Bearer " + token(member)).status())
                    .isEqualTo(403);

            // the page: the CMS admin sees the VO's policies, adds a DENY, deletes the PERMIT
            assertThat(cmsBrowser.get("/manage/groups/" + cms).body()).contains("Scope policies of the VO",
                    "storage.read:" + area + "/prod");
            assertThat(BrowserFlows.post(cmsBrowser, cmsBrowser.get("/account").body(), "/manage/groups/" + cms
                    + "/scope-policies", "action", "add", "rule", "DENY", "group", path(production), "scopes",
                    "compute.cancel").status()).isEqualTo(302);
            assertThat(scopePolicies.decide(member, List.of("compute.cancel")).denied()).contains("compute.cancel");
            assertThat(BrowserFlows.post(cmsBrowser, cmsBrowser.get("/account").body(), "/manage/groups/" + cms
                    + "/scope-policies", "action", "add", "rule", "PERMIT", "group", path(lofar), "scopes",
                    "storage.read:" + area).status()).isEqualTo(400);
            assertThat(BrowserFlows.post(cmsBrowser, cmsBrowser.get("/account").body(), "/manage/groups/" + cms
                    + "/scope-policies", "action", "delete", "policy", id).status()).isEqualTo(302);
            assertThat(jdbc.queryForObject("select count(*) from scope_policy where id = ?", Integer.class,
                    Long.valueOf(id))).isZero();
            TesseraHttp lofarBrowser = signedIn(lofarAdmin);
            assertThat(BrowserFlows.post(lofarBrowser, lofarBrowser.get("/account").body(), "/manage/groups/" + cms
                    + "/scope-policies", "action", "add", "rule", "DENY", "scopes", "x").status()).isEqualTo(403);
        } finally {
            jdbc.update("delete from scope_policy where description = ? or id = ?", "by the admins of " + path(cms),
                    Long.valueOf(created.get(0)));
            for (Long leftover : jdbc.queryForList("select p.id from scope_policy p join vo_group g on g.id = "
                    + "p.group_id where g.path like ?", Long.class, path(cms) + "%")) {
                api.sendJson("DELETE", "/iam/scope_policies/" + leftover, null, "Authorization", admin);
            }
            scopePolicies.reload();
        }
    }

    /** SCIM writes with a VO admin's own token: their VO's groups only (403 with a SCIM error elsewhere). */
    @Test
    void scimWhenVoAdminThenTheirVosGroupsOnly() {
        vos.mark(cms, "test");
        vos.mark(lofar, "test");
        vos.addAdmin(cms, cmsAdmin, "test");
        vos.addAdmin(lofar, lofarAdmin, "test");
        String newcomer = account("scimnew");
        TesseraHttp api = TesseraHttp.to(properties.issuer());
        String bearer = "Bearer " + token(cmsAdmin);
        assertThat(api.get("/scim/Groups/" + cms, "Authorization", bearer).status()).isEqualTo(200);
        TesseraHttp.Response foreign = api.get("/scim/Groups/" + lofar, "Authorization", bearer);
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.body()).contains("urn:ietf:params:scim:api:messages:2.0:Error");
        assertThat(api.get("/scim/Groups", "Authorization", bearer).status()).isEqualTo(403);
        assertThat(api.get("/scim/Groups/" + cms, "Authorization", "Bearer " + token(member)).status())
                .isEqualTo(403);

        String add = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":"
                + "\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + newcomer + "\"}]}]}";
        assertThat(api.sendJson("PATCH", "/scim/Groups/" + cms, add, "Authorization", bearer).status())
                .isEqualTo(200);
        assertThat(isMember(cms, newcomer)).isTrue();
        String remove = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":"
                + "\"remove\",\"path\":\"members[value eq \\\"" + member + "\\\"]\"}]}";
        assertThat(api.sendJson("PATCH", "/scim/Groups/" + lofar, remove, "Authorization", bearer).status())
                .isEqualTo(403);
        assertThat(isMember(lofar, member)).isTrue();
        assertThat(api.sendJson("PATCH", "/scim/Groups/" + lofar, add, "Authorization", bearer).status())
                .isEqualTo(403);
        assertThat(isMember(lofar, newcomer)).isFalse();

        TesseraHttp.Response created = api.sendJson("POST", "/scim/Groups", "{\"displayName\":\""
                + path(cms).substring(1) + "/scimsub\"}", "Authorization", bearer);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(groups.find(path(cms) + "/scimsub")).isPresent();
        assertThat(api.sendJson("POST", "/scim/Groups", "{\"displayName\":\"" + path(lofar).substring(1)
                + "/intruder\"}", "Authorization", bearer).status()).isEqualTo(403);
        assertThat(api.sendJson("POST", "/scim/Groups", "{\"displayName\":\"toplevel-" + cms.substring(0, 6)
                + "\"}", "Authorization", bearer).status()).isEqualTo(403);
        assertThat(groups.find(path(lofar) + "/intruder")).isEmpty();
        assertThat(groups.find("/toplevel-" + cms.substring(0, 6))).isEmpty();
        assertThat(api.sendJson("DELETE", "/scim/Groups/" + cms, null, "Authorization", bearer).status())
                .isEqualTo(403);
        assertThat(api.sendJson("DELETE", "/scim/Groups/" + groups.require(path(cms) + "/scimsub").id(), null,
                "Authorization", bearer).status()).isEqualTo(204);
        assertThat(groups.find(path(cms) + "/scimsub")).isEmpty();
    }

    /**
     * The ESCAPE-like instance (issue 18's acceptance): three VOs, each with its own admin. A global admin sets them up
     * once through the pages; then a day of work is done by the VO admins alone, each in their own VO: registrations
     * with the VO's addendum, a member joining a second VO, subgroups and members, an end date, a scope policy within
     * the VO's limits, a suspension. Afterwards: no audit event of that day has a global admin as actor, no mail went
     * to the global admins, and each VO holds exactly what its admin did.
     */
    @Test
    void escapeLikeInstanceWhenThreeVosThenDailyWorkNeedsNoGlobalAdmin() throws Exception {
        String virgo = groups.create("virgo-" + cms.substring(0, 6), null, false).id();
        roots.add(virgo);
        String virgoAdmin = account("viradm");
        // set-up, once, by a global admin through the pages: three VOs, their admins, CMS's scope limits
        TesseraHttp global = TestAccounts.signedIn(properties.issuer(), "admin", TestAccounts.ADMIN_PASSWORD);
        String area = "/cmsdata-" + cms.substring(0, 6);
        for (String[] vo : new String[][] {{cms, cmsAdmin}, {lofar, lofarAdmin}, {virgo, virgoAdmin}}) {
            assertThat(post(global, vo[0], "action", "vo-mark").status()).isEqualTo(302);
            assertThat(post(global, vo[0], "action", "vo-admin", "username", username(vo[1])).status())
                    .isEqualTo(302);
        }
        assertThat(BrowserFlows.post(global, global.get("/account").body(), "/manage/groups/" + cms
                + "/scope-policies", "action", "limits", "scopes", "storage.read:" + area).status()).isEqualTo(302);
        java.time.Instant dayStarts = java.time.Instant.now();
        int mailsToGlobalAdmins = eu.tessera.server.testsupport.TestMail.get().to(TestAccounts.VO_ADMINS_MAIL).size();
        List<String> globalAdmins = jdbc.queryForList("select id from account where admin = true", String.class);

        // a day of work, VO admins only
        TesseraHttp cmsBrowser = signedIn(cmsAdmin);
        TesseraHttp lofarBrowser = signedIn(lofarAdmin);
        TesseraHttp virgoBrowser = signedIn(virgoAdmin);
        assertThat(BrowserFlows.post(virgoBrowser, virgoBrowser.get("/account").body(), "/manage/groups/" + virgo
                + "/aup", "action", "publish", "text", "Virgo data stays in Virgo.").status()).isEqualTo(302);
        java.util.Map<String, String> registered = new java.util.LinkedHashMap<>();
        for (String[] vo : new String[][] {{cms, "c"}, {lofar, "l"}, {virgo, "v"}}) {
            String username = "esc" + vo[1] + UUID.randomUUID().toString().substring(0, 6);
            String email = username + "@example.org";
            TesseraHttp browser = TesseraHttp.browser(properties.issuer());
            TesseraHttp.Response page = browser.get("/registration?vo=" + path(vo[0]));
            assertThat(browser.postForm("/registration", TesseraHttp.form("givenName", "Esc", "familyName", vo[1],
                    "email", email, "username", username, "aup", "true", "voAup", "true", "vo", vo[0], "_csrf",
                    BrowserFlows.csrf(page.body()))).status()).isEqualTo(200);
            BrowserFlows.confirmRegistration(browser, properties.issuer(), email);
            registered.put(vo[0], username);
        }
        for (Object[] vo : new Object[][] {{cms, cmsAdmin, cmsBrowser}, {lofar, lofarAdmin, lofarBrowser},
                {virgo, virgoAdmin, virgoBrowser}}) {
            String username = registered.get((String) vo[0]);
            eu.tessera.server.testsupport.TestMail.get().awaitContaining(username((String) vo[1]) + "@example.org",
                    username);
            String id = jdbc.queryForObject("select id from registration_request where username = ?", String.class,
                    username);
            TesseraHttp browser = (TesseraHttp) vo[2];
            assertThat(BrowserFlows.post(browser, browser.get("/manage/requests").body(), "/manage/registrations/"
                    + id, "decision", "approve").status()).isEqualTo(302);
            accounts.add(jdbc.queryForObject("select id from account where username = ?", String.class, username));
        }
        String cmsNew = jdbc.queryForObject("select id from account where username = ?", String.class,
                registered.get(cms));
        String lofarNew = jdbc.queryForObject("select id from account where username = ?", String.class,
                registered.get(lofar));
        String virgoNew = jdbc.queryForObject("select id from account where username = ?", String.class,
                registered.get(virgo));
        assertThat(jdbc.queryForObject("select count(*) from vo_aup_signature where vo_group_id = ? and account_id = ?",
                Integer.class, virgo, virgoNew)).isEqualTo(1);
        // the LOFAR newcomer asks to join CMS; the CMS admin approves through the API
        jdbc.update("update account set password_hash = ? where id = ?", encoder.encode(PASSWORD), lofarNew);
        TesseraHttp joiner = TestAccounts.signedIn(properties.issuer(), registered.get(lofar), PASSWORD);
        assertThat(BrowserFlows.post(joiner, joiner.get("/account").body(), "/account/group-requests", "group", cms,
                "reason", "joining CMS").status()).isEqualTo(302);
        String join = jdbc.queryForObject("select id from group_request where group_id = ? and account_id = ?",
                String.class, cms, lofarNew);
        assertThat(TesseraHttp.to(properties.issuer()).sendJson("POST", "/iam/group-requests/" + join + "/approve",
                "{}", "Authorization", "Bearer " + token(cmsAdmin)).status()).isEqualTo(200);
        // the CMS admin: a subgroup, a member with an end date, a scope policy within the limits
        assertThat(post(cmsBrowser, cms, "action", "subgroup", "name", "analysis").status()).isEqualTo(302);
        String analysis = groups.require(path(cms) + "/analysis").id();
        assertThat(post(cmsBrowser, analysis, "action", "add", "username", registered.get(cms), "until",
                "2099-01-01").status()).isEqualTo(302);
        assertThat(BrowserFlows.post(cmsBrowser, cmsBrowser.get("/account").body(), "/manage/groups/" + cms
                + "/scope-policies", "action", "add", "rule", "PERMIT", "group", path(analysis), "scopes",
                "storage.read:" + area + "/analysis").status()).isEqualTo(302);
        // the LOFAR admin suspends the newcomer from LOFAR (still in CMS)
        assertThat(post(lofarBrowser, lofar, "action", "remove", "account", lofarNew, "confirmed", "yes").status())
                .isEqualTo(302);

        // no global admin took part in the day, none was mailed, and each VO holds what its admin did
        assertThat(jdbc.queryForList("select event_type || ' by ' || actor from audit_event where occurred_at >= ? "
                + "and actor in (" + String.join(",", java.util.Collections.nCopies(globalAdmins.size(), "?")) + ")",
                String.class, java.util.stream.Stream.concat(java.util.stream.Stream.of(
                        java.sql.Timestamp.from(dayStarts)), globalAdmins.stream()).toArray())).isEmpty();
        assertThat(jdbc.queryForObject("select count(distinct actor) from audit_event where occurred_at >= ? and "
                + "actor in (?, ?, ?)", Integer.class, java.sql.Timestamp.from(dayStarts), cmsAdmin, lofarAdmin,
                virgoAdmin)).isEqualTo(3);
        assertThat(eu.tessera.server.testsupport.TestMail.get().to(TestAccounts.VO_ADMINS_MAIL).stream()
                .skip(mailsToGlobalAdmins).map(eu.tessera.server.testsupport.TestMail::body)).isEmpty();
        assertThat(isMember(cms, cmsNew)).isTrue();
        assertThat(isMember(analysis, cmsNew)).isTrue();
        assertThat(isMember(cms, lofarNew)).isTrue();
        assertThat(isMember(lofar, lofarNew)).isFalse();
        assertThat(isMember(virgo, virgoNew)).isTrue();
        assertThat(isMember(cms, virgoNew) || isMember(lofar, virgoNew)).isFalse();
        jdbc.update("delete from scope_policy where description = ?", "by the admins of " + path(cms));
        scopePolicies.reload();
    }
}
