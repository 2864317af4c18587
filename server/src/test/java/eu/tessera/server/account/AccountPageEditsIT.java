package eu.tessera.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.BrowserFlows;
import eu.tessera.server.testsupport.TestAccounts;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import eu.tessera.server.testsupport.VomsTestPki;
import eu.tessera.server.voms.VomsAccountLookup;
import eu.tessera.voms.VomsAccount;
import eu.tessera.voms.pki.DistinguishedNames;
import eu.tessera.voms.testpki.TestPki;
import java.sql.Timestamp;
import java.time.Instant;
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
 * The account page's changes, as a VO admin makes them in the browser: groups (add with an end date, make manager,
 * remove after confirming), certificates (link by PEM or by names, then the VOMS lookup finds the account; unlink after
 * confirming), the account's end time; bad input answered with a page, readers refused.
 */
@TesseraIntegrationTest
class AccountPageEditsIT {

    private static final String PASSWORD = "page-edits-password";

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PasswordEncoder encoder;
    @Autowired
    VomsAccountLookup voms;

    private final List<String> created = new ArrayList<>();
    private String member;
    private String groupId;
    private String groupPath;
    private String adminId;
    private TesseraHttp admin;

    @BeforeEach
    void setUp() {
        member = person("edit");
        String name = "acctpage-" + UUID.randomUUID().toString().substring(0, 8);
        groupId = UUID.randomUUID().toString();
        groupPath = "/" + name;
        jdbc.update("insert into vo_group (id, name, path, optional, created_at) values (?, ?, ?, false, ?)", groupId,
                name, groupPath, Timestamp.from(Instant.now()));
        adminId = jdbc.queryForObject("select id from account where username = 'admin'", String.class);
        admin = signedIn("admin", TestAccounts.ADMIN_PASSWORD);
    }

    @AfterEach
    void cleanUp() {
        created.forEach(id -> jdbc.update("delete from account where id = ?", id));
        jdbc.update("delete from vo_group where name like 'acctpage-%'");
    }

    private String person(String prefix) {
        String id = TestAccounts.insert(jdbc, encoder, prefix, PASSWORD);
        created.add(id);
        return id;
    }

    private TesseraHttp signedIn(String username, String password) {
        return TestAccounts.signedIn(properties.issuer(), username, password);
    }

    private TesseraHttp.Response post(String what, String... fields) {
        return BrowserFlows.post(admin, admin.get("/admin/accounts/" + member).body(), "/admin/accounts/" + member
                + "/" + what, fields);
    }

    private int auditCount(String type, String target) {
        return jdbc.queryForObject("select count(*) from audit_event where event_type = ? and actor = ? and target = ?",
                Integer.class, type, adminId, target);
    }

    @Test
    void groupsAddedWithEndDateManagedAndRemovedAfterConfirming() {
        String page = admin.get("/admin/accounts/" + member).body();
        assertThat(page).contains("Add to group").contains("<option value=\"" + groupPath + "\"");

        assertThat(post("groups", "action", "add", "group", groupPath, "until", "2031-06-30").location())
                .endsWith("/admin/accounts/" + member + "?groups");
        // the membership lasts through the given day (UTC)
        assertThat(jdbc.queryForObject("select end_time from membership where account_id = ? and group_id = ?",
                Timestamp.class, member, groupId).toInstant()).isEqualTo(Instant.parse("2031-07-01T00:00:00Z"));
        assertThat(auditCount("group.member_added", groupId)).isEqualTo(1);
        assertThat(admin.get("/admin/accounts/" + member).body()).contains(groupPath).contains("Make manager");
        // the accounts list filters by group
        String outsider = username(person("outside"));
        String filtered = admin.get("/admin/accounts?group=" + groupPath).body();
        assertThat(filtered).contains(username(member)).doesNotContain(outsider);
        assertThat(admin.get("/admin/accounts?q=outside").body()).contains(outsider);

        assertThat(post("groups", "action", "manager", "group", groupId).location()).endsWith("?groups");
        assertThat(jdbc.queryForObject("select count(*) from group_manager where account_id = ? and group_id = ?",
                Integer.class, member, groupId)).isEqualTo(1);
        assertThat(auditCount("group.manager_added", groupId)).isEqualTo(1);
        assertThat(post("groups", "action", "unmanage", "group", groupId).location()).endsWith("?groups");
        assertThat(jdbc.queryForObject("select count(*) from group_manager where account_id = ? and group_id = ?",
                Integer.class, member, groupId)).isZero();

        // removing asks first and changes nothing until confirmed
        TesseraHttp.Response ask = post("groups", "action", "remove", "group", groupId);
        assertThat(ask.status()).isEqualTo(200);
        assertThat(ask.body()).contains("Remove " + username(member) + " from " + groupPath + "?")
                .contains("name=\"confirmed\"");
        assertThat(memberships()).isEqualTo(1);
        assertThat(post("groups", "action", "remove", "group", groupId, "confirmed", "yes").location())
                .endsWith("?groups");
        assertThat(memberships()).isZero();
        assertThat(auditCount("group.member_removed", groupId)).isEqualTo(1);
    }

    @Test
    void badGroupInputGetsAPageAndChangesNothing() {
        TesseraHttp.Response unknown = post("groups", "action", "add", "group", "/no-such-group-anywhere");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).contains("Groups not changed").contains("Back to the account");
        TesseraHttp.Response badDate = post("groups", "action", "add", "group", groupPath, "until", "30/06/2031");
        assertThat(badDate.status()).isEqualTo(400);
        assertThat(badDate.body()).contains("YYYY-MM-DD");
        assertThat(memberships()).isZero();
        assertThat(admin.postForm("/admin/accounts/" + member + "/groups", TesseraHttp.form("action", "add",
                "group", groupPath)).status()).as("no CSRF token").isEqualTo(403);
        assertThat(memberships()).isZero();
    }

    @Test
    void certificateLinkedByPemThenVomsFindsTheAccount() {
        VomsTestPki pki = VomsTestPki.get();
        TestPki.Credential user = TestPki.endEntity(pki.ca, "C=IT,O=Tessera Test,OU=Users,CN=Page Link "
                + member.substring(0, 8), false);
        String subject = DistinguishedNames.canonical(user.certificate().getSubjectX500Principal());
        String issuer = DistinguishedNames.canonical(user.certificate().getIssuerX500Principal());
        jdbc.update("insert into membership (account_id, group_id, optional, created_at) values (?, ?, false, ?)",
                member, groupId, Timestamp.from(Instant.now()));

        assertThat(post("certificates", "action", "link", "pem", TestPki.pem(user.certificate()), "label", "laptop")
                .location()).endsWith("?certificates");
        assertThat(jdbc.queryForObject("select count(*) from account_certificate where account_id = ? and subject_dn = ?"
                + " and issuer_dn = ? and label = 'laptop'", Integer.class, member, subject, issuer)).isEqualTo(1);
        assertThat(auditCount("certificate.linked", member)).isEqualTo(1);
        VomsAccount found = voms.find(subject, issuer).orElseThrow();
        assertThat(found.id()).isEqualTo(member);
        assertThat(found.memberships()).extracting(m -> m.groupPath()).contains(groupPath);
        // the accounts list finds the member by the certificate's subject
        assertThat(admin.get("/admin/accounts?q=" + java.net.URLEncoder.encode("CN=Page Link " + member.substring(0, 8),
                java.nio.charset.StandardCharsets.UTF_8)).body()).contains(username(member));

        // the same certificate cannot go to a second account
        String other = person("other");
        String otherPage = admin.get("/admin/accounts/" + other).body();
        TesseraHttp.Response taken = admin.postForm("/admin/accounts/" + other + "/certificates", TesseraHttp.form(
                "action", "link", "pem", TestPki.pem(user.certificate()), "_csrf", BrowserFlows.csrf(otherPage)));
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.body()).contains("linked to another account");

        String certificateId = jdbc.queryForObject("select id from account_certificate where account_id = ?",
                String.class, member);
        TesseraHttp.Response ask = post("certificates", "action", "unlink", "certificate", certificateId);
        assertThat(ask.status()).isEqualTo(200);
        assertThat(ask.body()).contains("Unlink this certificate?");
        assertThat(certificateCount()).isEqualTo(1);
        assertThat(post("certificates", "action", "unlink", "certificate", certificateId, "confirmed", "yes")
                .location()).endsWith("?certificates");
        assertThat(certificateCount()).isZero();
        assertThat(auditCount("certificate.unlinked", member)).isEqualTo(1);
    }

    @Test
    void certificateLinkedByNamesInSlashFormAndBadInputRefused() {
        String slash = "/C=IT/O=Tessera Test/OU=Users/CN=Named " + member.substring(0, 8);
        assertThat(post("certificates", "action", "link", "subject", slash, "issuer",
                "/C=IT/O=Tessera Test/CN=Tessera Test CA").location()).endsWith("?certificates");
        assertThat(jdbc.queryForObject("select subject_dn from account_certificate where account_id = ?", String.class,
                member)).isEqualTo(DistinguishedNames.canonical(slash));

        TesseraHttp.Response notPem = post("certificates", "action", "link", "pem", "hello");
        assertThat(notPem.status()).isEqualTo(400);
        assertThat(notPem.body()).contains("not a PEM certificate");
        TesseraHttp.Response nothing = post("certificates", "action", "link");
        assertThat(nothing.status()).isEqualTo(400);
        assertThat(nothing.body()).contains("subject and its issuer");
        TesseraHttp.Response proxy = post("certificates", "action", "link", "pem",
                TestPki.pem(TestPki.proxy(VomsTestPki.get().alice, true).certificate()));
        assertThat(proxy.status()).isEqualTo(400);
        assertThat(proxy.body()).contains("a proxy certificate");
        assertThat(certificateCount()).isEqualTo(1);
    }

    @Test
    void profileEditedWithTakenAndInvalidValuesRefused() {
        String renamed = "renamed" + member.substring(0, 6);
        assertThat(post("profile", "username", renamed, "givenName", " Ada ", "familyName", "Lovelace", "email",
                "ada@example.org").location()).endsWith("?profile");
        Map<String, Object> row = jdbc.queryForMap("select username, given_name, family_name, email from account "
                + "where id = ?", member);
        assertThat(row).containsEntry("USERNAME", renamed).containsEntry("GIVEN_NAME", "Ada")
                .containsEntry("FAMILY_NAME", "Lovelace").containsEntry("EMAIL", "ada@example.org");
        assertThat(jdbc.queryForObject("select details from audit_event where event_type = 'account.profile_updated' "
                + "and actor = ? and target = ?", String.class, adminId, member)).contains(renamed)
                .contains("ada@example.org");
        // the member logs in with the new name
        assertThat(BrowserFlows.login(TesseraHttp.browser(properties.issuer()), renamed, PASSWORD).location())
                .doesNotContain("error");

        TesseraHttp.Response taken = post("profile", "username", "admin", "email", "ada@example.org");
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.body()).contains("The username admin is taken.");
        TesseraHttp.Response invalid = post("profile", "username", "-bad name", "email", "ada@example.org");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.body()).contains("Username:");
        TesseraHttp.Response badEmail = post("profile", "username", renamed, "email", "not-an-address");
        assertThat(badEmail.status()).isEqualTo(400);
        assertThat(badEmail.body()).contains("Email: not an email address.");
        assertThat(username(member)).isEqualTo(renamed);
        assertThat(jdbc.queryForObject("select email from account where id = ?", String.class, member))
                .isEqualTo("ada@example.org");
    }

    @Test
    void passwordResetMailedByTheAdminSetsANewPassword() {
        String email = jdbc.queryForObject("select email from account where id = ?", String.class, member);
        TesseraHttp.Response sent = post("password-reset");
        assertThat(sent.status()).isEqualTo(200);
        assertThat(sent.body()).contains("Reset link sent");
        assertThat(auditCount("account.password_reset_requested", member)).isEqualTo(1);
        jakarta.mail.internet.MimeMessage message = eu.tessera.server.testsupport.TestMail.get()
                .awaitContaining(email, "/reset-password?token=");
        String link = eu.tessera.server.testsupport.TestMail.link(message, properties.issuer()
                + "/reset-password?token=");
        TesseraHttp browser = TesseraHttp.browser(properties.issuer());
        TesseraHttp.Response form = browser.get(link);
        assertThat(form.status()).isEqualTo(200);
        assertThat(browser.postForm("/reset-password", TesseraHttp.form("token",
                TesseraHttp.queryParameter(link, "token").orElseThrow(), "password", "a-new-long-password",
                "repeated", "a-new-long-password", "_csrf", BrowserFlows.csrf(form.body()))).body())
                .contains("Password set");
        assertThat(BrowserFlows.login(TesseraHttp.browser(properties.issuer()), username(member),
                "a-new-long-password").location()).doesNotContain("error");

        jdbc.update("update account set email = null where id = ?", member);
        TesseraHttp.Response noEmail = post("password-reset");
        assertThat(noEmail.status()).isEqualTo(409);
        assertThat(noEmail.body()).contains("no email address");
        assertThat(auditCount("account.password_reset_requested", member)).isEqualTo(1);
    }

    @Test
    void adminRevokesAMembersRefreshTokens() {
        Map<String, Object> tokens = eu.tessera.server.testsupport.UserTokens.alice(properties.issuer(),
                "openid offline_access");
        String alice = jdbc.queryForObject("select id from account where username = ?", String.class,
                TestAccounts.ALICE);
        String page = admin.get("/admin/accounts/" + alice).body();
        assertThat(page).contains("demo-client").contains("offline_access");
        java.util.regex.Matcher grant = java.util.regex.Pattern.compile("/admin/accounts/" + alice
                + "/refresh-tokens/([^/]+)/revoke").matcher(page);
        List<String> grants = new ArrayList<>();
        while (grant.find()) {
            grants.add(grant.group(1));
        }
        assertThat(grants).isNotEmpty();
        for (String id : grants) {
            assertThat(admin.postForm("/admin/accounts/" + alice + "/refresh-tokens/" + id + "/revoke",
                    TesseraHttp.form("_csrf", BrowserFlows.csrf(page))).location()).endsWith("?revoked");
        }
        assertThat(TesseraHttp.to(properties.issuer()).token(eu.tessera.server.testsupport.TestClients.DEMO_ID,
                eu.tessera.server.testsupport.TestClients.DEMO_SECRET, "grant_type", "refresh_token",
                "refresh_token", (String) tokens.get("refresh_token")).status()).isEqualTo(400);
        assertThat(auditCount("token.revoked", alice)).isEqualTo(grants.size());
        assertThat(admin.get("/admin/accounts/" + alice).body())
                .contains("No client holds a refresh token for this account.");
        // a grant of another account is not revoked through this account's page
        assertThat(admin.postForm("/admin/accounts/" + member + "/refresh-tokens/" + grants.get(0) + "/revoke",
                TesseraHttp.form("_csrf", BrowserFlows.csrf(page))).status()).isEqualTo(404);
    }

    @Test
    void linkedIdentityUnlinkedAfterConfirming() {
        String identity = UUID.randomUUID().toString();
        jdbc.update("insert into account_identity (id, account_id, type, provider, issuer, subject, created_at) values "
                + "(?, ?, 'OIDC', 'egi', 'https://aai.example.org', ?, ?)", identity, member, "sub-" + identity,
                Timestamp.from(Instant.now()));
        assertThat(admin.get("/admin/accounts/" + member).body()).contains("sub-" + identity);
        TesseraHttp.Response ask = post("identities", "identity", identity);
        assertThat(ask.status()).isEqualTo(200);
        assertThat(ask.body()).contains("Unlink this identity?").contains("sub-" + identity);
        assertThat(identityCount()).isEqualTo(1);
        assertThat(post("identities", "identity", identity, "confirmed", "yes").location()).endsWith("?identities");
        assertThat(identityCount()).isZero();
        assertThat(auditCount("identity.unlinked", member)).isEqualTo(1);
        assertThat(post("identities", "identity", identity, "confirmed", "yes").status()).isEqualTo(404);
    }

    private int identityCount() {
        return jdbc.queryForObject("select count(*) from account_identity where account_id = ?", Integer.class,
                member);
    }

    @Test
    void adminAsksTheAccountToSignTheAupAgain() {
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        String token = "Bearer " + eu.tessera.server.testsupport.TestClients.adminToken(properties.issuer(),
                "iam:admin.read iam:admin.write");
        TesseraHttp.Response published = http.sendJson("POST", "/iam/aup", "{\"text\":\"Be kind.\","
                + "\"signatureValidityDays\":365}", "Authorization", token);
        assertThat(published.status()).isEqualTo(201);
        try {
            int version = ((Number) published.json().get("version")).intValue();
            jdbc.update("insert into aup_signature (account_id, aup_version, signed_at, expires_at, expiry_notified) "
                    + "values (?, ?, ?, ?, false)", member, version, Timestamp.from(Instant.parse(
                    "2026-11-01T10:00:00Z")), Timestamp.from(Instant.parse("2027-11-01T10:00:00Z")));
            assertThat(admin.get("/admin/accounts/" + member).body()).contains("Signed version <span>" + version)
                    .contains("2027-11-01T10:00:00Z").contains("Ask to sign again");
            TesseraHttp.Response ask = post("aup");
            assertThat(ask.status()).isEqualTo(200);
            assertThat(ask.body()).contains("sign the AUP again?");
            assertThat(signatures()).isEqualTo(1);
            assertThat(post("aup", "confirmed", "yes").location()).endsWith("?aup");
            assertThat(signatures()).isZero();
            assertThat(auditCount("aup.signature_requested", member)).isEqualTo(1);
            assertThat(http.get("/iam/aup/signature/" + member, "Authorization", token).body())
                    .contains("\"mustSign\":true");
            assertThat(admin.get("/admin/accounts/" + member).body()).contains("Not signed");
        } finally {
            http.sendJson("DELETE", "/iam/aup", null, "Authorization", token);
        }
        assertThat(post("aup", "confirmed", "yes").status()).as("no AUP in force").isEqualTo(409);
    }

    private int signatures() {
        return jdbc.queryForObject("select count(*) from aup_signature where account_id = ?", Integer.class, member);
    }

    @Test
    void adminCreatesAnAccountAndTheInvitationLetsTheHolderIn() {
        String list = admin.get("/admin/accounts").body();
        assertThat(list).contains("Create an account");
        String form = admin.get("/admin/accounts/new").body();
        String username = "invited" + UUID.randomUUID().toString().substring(0, 6);
        String email = username + "@example.org";
        TesseraHttp.Response created = admin.postForm("/admin/accounts/new", TesseraHttp.form("username", username,
                "givenName", "Ines", "familyName", "Vited", "email", email, "_csrf", BrowserFlows.csrf(form)));
        assertThat(created.location()).contains("/admin/accounts/").endsWith("?invited");
        String id = jdbc.queryForObject("select id from account where username = ?", String.class, username);
        this.created.add(id);
        assertThat(jdbc.queryForObject("select password_hash from account where id = ?", String.class, id)).isNull();
        assertThat(auditCount("account.invited", id)).isEqualTo(1);
        assertThat(admin.get(created.location()).body()).contains("Account created");

        jakarta.mail.internet.MimeMessage invitation = eu.tessera.server.testsupport.TestMail.get()
                .awaitContaining(email, "made an account for you");
        String link = eu.tessera.server.testsupport.TestMail.link(invitation, properties.issuer()
                + "/reset-password?token=");
        TesseraHttp browser = TesseraHttp.browser(properties.issuer());
        TesseraHttp.Response setForm = browser.get(link);
        assertThat(browser.postForm("/reset-password", TesseraHttp.form("token",
                TesseraHttp.queryParameter(link, "token").orElseThrow(), "password", "invited-long-password",
                "repeated", "invited-long-password", "_csrf", BrowserFlows.csrf(setForm.body()))).body())
                .contains("Password set");
        assertThat(BrowserFlows.login(TesseraHttp.browser(properties.issuer()), username, "invited-long-password")
                .location()).doesNotContain("error");

        // a taken username and a missing email are refused on the form, the values kept
        TesseraHttp.Response taken = admin.postForm("/admin/accounts/new", TesseraHttp.form("username", username,
                "email", "other@example.org", "_csrf", BrowserFlows.csrf(form)));
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.body()).contains("The username " + username + " is taken.")
                .contains("value=\"other@example.org\"");
        TesseraHttp.Response noEmail = admin.postForm("/admin/accounts/new", TesseraHttp.form("username",
                username + "x", "_csrf", BrowserFlows.csrf(form)));
        assertThat(noEmail.status()).isEqualTo(400);
        assertThat(noEmail.body()).contains("an email address is needed");
        assertThat(jdbc.queryForObject("select count(*) from account where username = ?", Integer.class,
                username + "x")).isZero();
    }

    @Test
    void endTimeSetAndCleared() {
        assertThat(post("end-time", "until", "2030-01-31").location()).endsWith("?endtime");
        assertThat(jdbc.queryForObject("select end_time from account where id = ?", Timestamp.class, member)
                .toInstant()).isEqualTo(Instant.parse("2030-02-01T00:00:00Z"));
        assertThat(admin.get("/admin/accounts/" + member).body()).contains("value=\"2030-01-31\"");
        assertThat(auditCount("account.end_time_set", member)).isEqualTo(1);
        assertThat(post("end-time", "until", "").location()).endsWith("?endtime");
        assertThat(jdbc.queryForObject("select end_time from account where id = ?", Timestamp.class, member)).isNull();
    }

    @Test
    void readerSeesThePageWithoutFormsAndCannotChange() {
        String reader = person("reader");
        jdbc.update("update account set reader = true where id = ?", reader);
        TesseraHttp browser = signedIn(username(reader), PASSWORD);
        TesseraHttp.Response page = browser.get("/admin/accounts/" + member);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).doesNotContain("Add to group").doesNotContain("Link certificate");
        String csrf = BrowserFlows.csrf(browser.get("/account").body());
        assertThat(browser.postForm("/admin/accounts/" + member + "/groups", TesseraHttp.form("action", "add",
                "group", groupPath, "_csrf", csrf)).status()).isEqualTo(403);
        assertThat(memberships()).isZero();
        assertThat(browser.get("/admin/accounts").body()).doesNotContain("Create an account");
        assertThat(browser.postForm("/admin/accounts/new", TesseraHttp.form("username", "byreader" + reader
                .substring(0, 6), "email", "byreader@example.org", "_csrf", csrf)).status()).isEqualTo(403);
        assertThat(jdbc.queryForObject("select count(*) from account where username like 'byreader%'",
                Integer.class)).isZero();
        assertThat(certificateCount()).isZero();
    }

    private int memberships() {
        return jdbc.queryForObject("select count(*) from membership where account_id = ?", Integer.class, member);
    }

    private int certificateCount() {
        return jdbc.queryForObject("select count(*) from account_certificate where account_id = ?", Integer.class,
                member);
    }

    private String username(String id) {
        return TestAccounts.username(jdbc, id);
    }
}
