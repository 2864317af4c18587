package eu.tessera.server.enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.BrowserFlows;
import eu.tessera.server.testsupport.TestAccounts;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TestClock;
import eu.tessera.server.testsupport.TestMail;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The enrollment portal end to end over HTTP with a real SMTP server (GreenMail): register, confirm by the mailed
 * link, admin decision, set the password by the mailed link, sign in; refusals, and an SMTP outage.
 */
@TesseraIntegrationTest
class RegistrationIT {

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TestClock clock;
    TesseraHttp http;
    String admin;
    final TestMail mail = TestMail.get();

    @BeforeEach
    void setUp() {
        http = TesseraHttp.to(properties.issuer());
        admin = "Bearer " + http.token(TestClients.ADMIN_ID, TestClients.ADMIN_SECRET, "grant_type",
                "client_credentials", "scope", "iam:admin.read iam:admin.write").json().get("access_token");
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private static String unique() {
        return "u" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    /** Submits the registration form as a browser; returns the response. */
    private TesseraHttp.Response register(TesseraHttp browser, String username, String email, String givenName,
            boolean aup) {
        TesseraHttp.Response page = browser.get("/registration");
        assertThat(page.status()).isEqualTo(200);
        List<String> fields = new ArrayList<>(List.of("givenName", givenName, "familyName", "Tester", "email", email,
                "username", username, "notes", "I work on <b>CMS</b>", "_csrf", BrowserFlows.csrf(page.body())));
        if (aup) {
            fields.addAll(List.of("aup", "true"));
        }
        return browser.postForm("/registration", TesseraHttp.form(fields.toArray(String[]::new)));
    }

    private String confirmByMail(TesseraHttp browser, String email) {
        MimeMessage confirmation = mail.await(email, 1).get(0);
        String link = TestMail.link(confirmation, properties.issuer() + "/registration/confirm?token=");
        TesseraHttp.Response page = browser.get(link);
        assertThat(page.status()).isEqualTo(200);
        String token = TesseraHttp.queryParameter(link, "token").orElseThrow();
        TesseraHttp.Response confirmed = browser.postForm("/registration/confirm",
                TesseraHttp.form("token", token, "_csrf", BrowserFlows.csrf(page.body())));
        assertThat(confirmed.status()).isEqualTo(200);
        return confirmed.body();
    }

    private String requestId(String username) {
        return jdbc.queryForObject("select id from registration_request where username = ?", String.class, username);
    }

    @Test
    void registerConfirmApproveSetPasswordAndSignIn() {
        String username = unique();
        String email = username + "@example.org";
        TesseraHttp browser = TesseraHttp.browser(properties.issuer());
        TesseraHttp.Response sent = register(browser, username, email, "Grace", true);
        assertThat(sent.status()).isEqualTo(200);
        assertThat(sent.body()).contains("Check your mailbox");
        String id = requestId(username);
        assertThat(jdbc.queryForObject("select status from registration_request where id = ?", String.class, id))
                .isEqualTo("NEW");
        assertThat(http.sendJson("POST", "/iam/registrations/" + id + "/approve", null, "Authorization", admin)
                .body()).contains("not confirmed");

        assertThat(confirmByMail(browser, email)).contains("Address confirmed");
        MimeMessage notice = mail.awaitContaining(TestAccounts.VO_ADMINS_MAIL, id);
        assertThat(TestMail.body(notice)).contains("username: " + username, "I work on <b>CMS</b>");
        TesseraHttp.Response listed = http.get("/iam/registrations?status=CONFIRMED", "Authorization", admin);
        assertThat(listed.body()).contains(id);

        TesseraHttp.Response approved = http.sendJson("POST", "/iam/registrations/" + id + "/approve", null,
                "Authorization", admin);
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        assertThat(approved.body()).contains("\"status\":\"APPROVED\"", "\"decidedBy\":\"" + TestClients.ADMIN_ID);
        String accountId = jdbc.queryForObject("select id from account where username = ?", String.class, username);
        assertThat(jdbc.queryForList("select g.path from membership m join vo_group g on g.id = m.group_id "
                + "where m.account_id = ?", String.class, accountId)).containsExactly("/escape");
        assertThat(http.sendJson("POST", "/iam/registrations/" + id + "/approve", null, "Authorization", admin)
                .status()).isEqualTo(409);

        MimeMessage welcome = mail.await(email, 2).get(1);
        assertThat(subject(welcome)).contains("approved");
        String link = TestMail.link(welcome, properties.issuer() + "/reset-password?token=");
        TesseraHttp.Response form = browser.get(link);
        assertThat(form.status()).isEqualTo(200);
        String token = TesseraHttp.queryParameter(link, "token").orElseThrow();
        TesseraHttp.Response weak = browser.postForm("/reset-password", TesseraHttp.form("token", token,
                "password", "short", "repeated", "short", "_csrf", BrowserFlows.csrf(form.body())));
        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.body()).contains("Use between 10 and 256 characters.");
        TesseraHttp.Response set = browser.postForm("/reset-password", TesseraHttp.form("token", token,
                "password", "a-long-enough-secret", "repeated", "a-long-enough-secret",
                "_csrf", BrowserFlows.csrf(weak.body())));
        assertThat(set.body()).contains("Password set");
        assertThat(browser.get(link).body()).contains("Link not valid");   // single use

        TesseraHttp.Response login = BrowserFlows.login(TesseraHttp.browser(properties.issuer()), username,
                "a-long-enough-secret");
        assertThat(login.status()).isEqualTo(302);
        assertThat(login.location()).doesNotContain("error");

        String audit = http.get("/iam/audit?target=" + id, "Authorization", admin).body();
        assertThat(audit).contains("registration.submitted", "registration.confirmed", "registration.approved");
        assertThat(http.get("/iam/audit?type=login.*&actor=" + accountId, "Authorization", admin).body())
                .contains("login.success");
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void formRefusalsAreShownOnTheFormWithMarkupEscaped() {
        TesseraHttp browser = TesseraHttp.browser(properties.issuer());
        TesseraHttp.Response taken = register(browser, TestAccounts.ALICE, unique() + "@example.org",
                "<script>alert(1)</script>", true);
        assertThat(taken.status()).isEqualTo(400);
        assertThat(taken.body()).contains("This username is already taken or requested")
                .doesNotContain("<script>alert(1)</script>").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        TesseraHttp.Response noAup = register(browser, unique(), unique() + "@example.org", "Grace", false);
        assertThat(noAup.status()).isEqualTo(400);
        assertThat(noAup.body()).contains("You must accept the acceptable use policy.");
        TesseraHttp.Response badEmail = register(browser, unique(), "not-an-address", "Grace", true);
        assertThat(badEmail.body()).contains("Enter a valid email address.");
        TesseraHttp.Response longName = register(browser, unique(), unique() + "@example.org", "x".repeat(300), true);
        assertThat(longName.status()).isEqualTo(400);
        assertThat(longName.body()).contains("At most 255 characters.");
        assertThat(http.get("/registration/available?username=alice").body())
                .contains("\"available\":false");
        assertThat(http.get("/registration/available?username=" + unique()).body()).contains("\"available\":true");
        assertThat(http.get("/registration/available?username=a%20b").body()).contains("\"available\":false");
        // Without the CSRF token the form is refused.
        assertThat(TesseraHttp.browser(properties.issuer()).postForm("/registration",
                TesseraHttp.form("username", unique())).status()).isEqualTo(403);
    }

    @Test
    void anAddressInUseIsNotRevealedButItsOwnerIsTold() {
        String username = unique();
        TesseraHttp.Response response = register(TesseraHttp.browser(properties.issuer()), username,
                TestAccounts.ALICE_EMAIL, "Mallory", true);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).contains("Check your mailbox");
        assertThat(jdbc.queryForObject("select count(*) from registration_request where username = ?", Integer.class,
                username)).isZero();
        assertThat(mail.await(TestAccounts.ALICE_EMAIL, 1).stream().map(TestMail::body))
                .anyMatch(body -> body.contains("already belongs to an account"));
    }

    @Test
    void rejectionWithAndWithoutMail() {
        String mailed = unique();
        String silent = unique();
        for (String username : List.of(mailed, silent)) {
            TesseraHttp browser = TesseraHttp.browser(properties.issuer());
            register(browser, username, username + "@example.org", "Grace", true);
            confirmByMail(browser, username + "@example.org");
        }
        TesseraHttp.Response rejected = http.sendJson("POST", "/iam/registrations/" + requestId(mailed) + "/reject",
                "{\"reason\":\"Not a member of a participating institute\"}", "Authorization", admin);
        assertThat(rejected.status()).isEqualTo(200);
        assertThat(TestMail.body(mail.await(mailed + "@example.org", 2).get(1)))
                .contains("Not a member of a participating institute");
        assertThat(http.sendJson("POST", "/iam/registrations/" + requestId(silent) + "/reject",
                "{\"reason\":\"spam\",\"notify\":false}", "Authorization", admin).status()).isEqualTo(200);
        assertThat(http.sendJson("POST", "/iam/registrations/" + requestId(silent) + "/approve", null,
                "Authorization", admin).status()).isEqualTo(409);
        assertThat(http.sendJson("POST", "/iam/registrations/" + requestId(silent) + "/reject", "{\"notify\":\"yes\"}",
                "Authorization", admin).status()).isEqualTo(400);
        assertThat(http.sendJson("POST", "/iam/registrations/nope/approve", null, "Authorization", admin).status())
                .isEqualTo(404);
        assertThat(http.get("/iam/registrations?status=MAYBE", "Authorization", admin).status()).isEqualTo(400);
        String read = "Bearer " + http.token(TestClients.ADMIN_ID, TestClients.ADMIN_SECRET, "grant_type",
                "client_credentials", "scope", "iam:admin.read").json().get("access_token");
        assertThat(http.sendJson("POST", "/iam/registrations/" + requestId(mailed) + "/approve", null,
                "Authorization", read).status()).isEqualTo(403);
        // Only the confirmation mail: no rejection mail when the admin chose not to notify.
        try {
            Thread.sleep(1500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertThat(mail.to(silent + "@example.org")).hasSize(1);
    }

    @Test
    void theAupShownInFullOnTheFormAndTheVersionAcceptedThereIsTheFirstSignature() {
        TesseraHttp.Response published = http.sendJson("POST", "/iam/aup", "{\"text\":\"Be nice <b>always</b>.\","
                + "\"signatureValidityDays\":365}", "Authorization", admin);
        assertThat(published.status()).isEqualTo(201);
        int version = ((Number) published.json().get("version")).intValue();
        try {
            String username = unique();
            TesseraHttp browser = TesseraHttp.browser(properties.issuer());
            String form = browser.get("/registration").body();
            assertThat(form).contains("Acceptable use policy, version <span>" + version + "</span>",
                    "Be nice &lt;b&gt;always&lt;/b&gt;.", "I accept the acceptable use policy above.");
            register(browser, username, username + "@example.org", "Grace", true);
            confirmByMail(browser, username + "@example.org");
            // a new version is published before the admin approves: the member signed the one they read
            assertThat(http.sendJson("POST", "/iam/aup", "{\"text\":\"Be nicer.\",\"signatureValidityDays\":365}",
                    "Authorization", admin).status()).isEqualTo(201);
            assertThat(http.sendJson("POST", "/iam/registrations/" + requestId(username) + "/approve", null,
                    "Authorization", admin).status()).isEqualTo(200);
            String accountId = jdbc.queryForObject("select id from account where username = ?", String.class,
                    username);
            assertThat(jdbc.queryForObject("select aup_version from aup_signature where account_id = ?",
                    Integer.class, accountId)).isEqualTo(version);
            assertThat(http.get("/iam/aup/signature/" + accountId, "Authorization", admin).body())
                    .contains("\"mustSign\":true");
        } finally {
            http.sendJson("DELETE", "/iam/aup", null, "Authorization", admin);
        }
    }

    @Test
    void adminApprovesTwoRegistrationsAtOnceAndSeesThoseWaitingForConfirmation() {
        List<String> names = List.of(unique(), unique());
        for (String name : names) {
            TesseraHttp browser = TesseraHttp.browser(properties.issuer());
            register(browser, name, name + "@example.org", "Bulk", true);
            confirmByMail(browser, name + "@example.org");
        }
        String waiting = unique();
        register(TesseraHttp.browser(properties.issuer()), waiting, waiting + "@example.org", "Late", true);
        TesseraHttp admin = TesseraHttp.browser(properties.issuer());
        BrowserFlows.login(admin, "admin", TestAccounts.ADMIN_PASSWORD);
        String page = admin.get("/admin/registrations").body();
        assertThat(page).contains("id=\"approve-selected\"", "id=\"select-" + names.get(0) + "\"",
                "Waiting for the registrant to confirm", waiting + "@example.org");
        TesseraHttp.Response bulk = admin.postForm("/admin/registrations/bulk", TesseraHttp.form("id",
                requestId(names.get(0)), "id", requestId(names.get(1)), "_csrf", BrowserFlows.csrf(page)));
        assertThat(bulk.location()).endsWith("/admin/registrations?approved=2");
        for (String name : names) {
            assertThat(jdbc.queryForObject("select status from registration_request where username = ?", String.class,
                    name)).isEqualTo("APPROVED");
            assertThat(jdbc.queryForObject("select count(*) from account where username = ?", Integer.class, name))
                    .isOne();
        }
        // the unconfirmed one cannot be approved in bulk either: said, and nothing else undone
        TesseraHttp.Response refused = admin.postForm("/admin/registrations/bulk", TesseraHttp.form("id",
                requestId(waiting), "_csrf", BrowserFlows.csrf(page)));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body()).contains("0 approved", "not confirmed");
        assertThat(admin.postForm("/admin/registrations/bulk", TesseraHttp.form("_csrf", BrowserFlows.csrf(page)))
                .status()).isEqualTo(400);
    }

    @Test
    void concurrentApprovalsDecideOnce() throws Exception {
        String username = unique();
        TesseraHttp browser = TesseraHttp.browser(properties.issuer());
        register(browser, username, username + "@example.org", "Grace", true);
        confirmByMail(browser, username + "@example.org");
        String id = requestId(username);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Callable<Integer> approve = () -> http.sendJson("POST", "/iam/registrations/" + id + "/approve", null,
                    "Authorization", admin).status();
            results.add(pool.submit(approve));
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> result : results) {
            statuses.add(result.get());
        }
        pool.shutdown();
        assertThat(statuses).containsOnlyOnce(200).containsOnly(200, 409);
        assertThat(jdbc.queryForObject("select count(*) from account where username = ?", Integer.class, username))
                .isEqualTo(1);
    }

    @Test
    void expiredOrUnknownConfirmationLinks() {
        String username = unique();
        String email = username + "@example.org";
        TesseraHttp browser = TesseraHttp.browser(properties.issuer());
        register(browser, username, email, "Grace", true);
        String link = TestMail.link(mail.await(email, 1).get(0), properties.issuer() + "/registration/confirm?token=");
        clock.advance(Duration.ofHours(25));
        TesseraHttp.Response page = browser.get(link);
        TesseraHttp.Response expired = browser.postForm("/registration/confirm", TesseraHttp.form("token",
                TesseraHttp.queryParameter(link, "token").orElseThrow(), "_csrf", BrowserFlows.csrf(page.body())));
        assertThat(expired.status()).isEqualTo(400);
        assertThat(expired.body()).contains("Link expired");
        TesseraHttp.Response unknown = browser.postForm("/registration/confirm", TesseraHttp.form("token", "forged",
                "_csrf", BrowserFlows.csrf(page.body())));
        assertThat(unknown.body()).contains("Unknown link");
        assertThat(browser.get("/reset-password?token=forged").body()).contains("Link not valid");
    }

    @Test
    void forgotPasswordAnswersAlikeAndMailsOnlyRealAccounts() {
        TesseraHttp browser = TesseraHttp.browser(properties.issuer());
        String page = browser.get("/forgot-password").body();
        TesseraHttp.Response unknown = browser.postForm("/forgot-password",
                TesseraHttp.form("account", "nobody-" + unique(), "_csrf", BrowserFlows.csrf(page)));
        int before = mail.to(TestAccounts.ALICE_EMAIL).size();
        TesseraHttp.Response known = browser.postForm("/forgot-password",
                TesseraHttp.form("account", TestAccounts.ALICE_EMAIL, "_csrf", BrowserFlows.csrf(page)));
        assertThat(known.status()).isEqualTo(unknown.status()).isEqualTo(200);
        assertThat(known.body()).isEqualTo(unknown.body());
        MimeMessage reset = mail.await(TestAccounts.ALICE_EMAIL, before + 1).get(before);
        assertThat(TestMail.body(reset)).contains(properties.issuer() + "/reset-password?token=", "alice");
    }

    @Test
    void smtpOutageLosesNothingAndSendsEachMailOnce() throws Exception {
        mail.stop();
        List<String> emails = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                String username = unique();
                emails.add(username + "@example.org");
                assertThat(register(TesseraHttp.browser(properties.issuer()), username, username + "@example.org",
                        "Grace", true).status()).isEqualTo(200);
            }
            Thread.sleep(1500);   // several failed attempts while SMTP is down
            assertThat(jdbc.queryForObject("select count(*) from mail_outbox where sent_at is null and attempts > 0 "
                    + "and recipient in (" + String.join(",", emails.stream().map(e -> "'" + e + "'").toList())
                    + ")", Integer.class)).isEqualTo(8);
        } finally {
            mail.start();
        }
        for (String email : emails) {
            assertThat(mail.await(email, 1)).hasSize(1);
        }
        Thread.sleep(1500);   // nothing more arrives: each mail once
        for (String email : emails) {
            assertThat(mail.to(email)).hasSize(1);
        }
        assertThat(jdbc.queryForObject("select count(*) from mail_outbox where sent_at is null and recipient in ("
                + String.join(",", emails.stream().map(e -> "'" + e + "'").toList()) + ")", Integer.class)).isZero();
        assertThat(Map.of()).isEmpty();
    }
}
