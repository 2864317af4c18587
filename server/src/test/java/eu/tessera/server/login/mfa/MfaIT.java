package eu.tessera.server.login.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.nimbusds.jwt.SignedJWT;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.BrowserFlows;
import eu.tessera.server.testsupport.ChromiumBrowser;
import eu.tessera.server.testsupport.TestAccounts;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TestClock;
import eu.tessera.server.testsupport.TestMail;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import eu.tessera.server.testsupport.TokenVerifier;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Second factors end to end: TOTP enrolment from the account page with codes computed from the secret the page
 * shows (and, in Chromium, from the QR code decoded from a screenshot), the code asked after the password, replay
 * refused (also between two concurrent logins, as two instances would race on the shared database), recovery codes
 * used once, malformed and wrong codes answered clearly and throttled, a required-MFA group member taken to
 * enrolment, {@code acr_values} step-up, {@code acr}/{@code amr} in verified ID tokens, the administrators' reset.
 */
@TesseraIntegrationTest
class MfaIT {

    private static final Pattern SECRET = Pattern.compile("id=\"totp-secret\">([A-Z2-7]+)<");
    private static final Pattern CODE = Pattern.compile("<code>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})"
            + "</code>");
    private static final String PASSWORD = "mfa-it-password";

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PasswordEncoder encoder;
    @Autowired
    TestClock clock;

    private final List<String> accounts = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        clock.reset();
        accounts.forEach(id -> jdbc.update("delete from account where id = ?", id));
        jdbc.update("delete from login_throttle where throttle_key like 'mfa:%' or throttle_key like 'address:%'");
    }

    private String account() {
        String id = TestAccounts.insert(jdbc, encoder, "mfa", PASSWORD);
        accounts.add(id);
        return id;
    }

    private String code(String secret) {
        return Totp.code(Base32.decode(secret), Totp.step(clock.instant()));
    }

    /** Enrols from /account/mfa in a signed-in session; returns the base32 secret and the recovery codes. */
    private Enrolled enrol(TesseraHttp browser) {
        TesseraHttp.Response page = browser.get("/account/mfa");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("Set up an authenticator app");
        assertThat(BrowserFlows.post(browser, page.body(), "/account/mfa/totp").status()).isEqualTo(302);
        TesseraHttp.Response setup = browser.get("/account/mfa");
        Matcher secret = SECRET.matcher(setup.body());
        assertThat(secret.find()).as(setup.body()).isTrue();
        assertThat(setup.body()).contains("<svg", "QR code for your authenticator app");
        TesseraHttp.Response confirmed = BrowserFlows.post(browser, setup.body(), "/account/mfa/totp/confirm",
                "code", code(secret.group(1)));
        assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
        List<String> codes = new ArrayList<>();
        Matcher m = CODE.matcher(confirmed.body());
        while (m.find()) {
            codes.add(m.group(1));
        }
        return new Enrolled(secret.group(1), codes);
    }

    private record Enrolled(String secret, List<String> recoveryCodes) {
    }

    /** A password login; returns the browser, which is then asked for its second factor (when it has one). */
    private TesseraHttp passwordOnly(String id) {
        TesseraHttp browser = TesseraHttp.browser(properties.issuer());
        assertThat(BrowserFlows.login(browser, TestAccounts.username(jdbc, id), PASSWORD).location())
                .doesNotContain("error");
        return browser;
    }

    private TesseraHttp.Response submitCode(TesseraHttp browser, String code) {
        TesseraHttp.Response page = browser.get("/login/mfa");
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        return BrowserFlows.post(browser, page.body(), "/login/mfa", "code", code);
    }

    private String query(String verifier, String... extra) {
        List<String> pairs = new ArrayList<>(List.of("response_type", "code", "client_id", TestClients.DEMO_ID,
                "redirect_uri", TestClients.DEMO_REDIRECT, "scope", "openid", "state", "st", "nonce", "n",
                "code_challenge", BrowserFlows.s256(verifier), "code_challenge_method", "S256"));
        pairs.addAll(List.of(extra));
        return TesseraHttp.form(pairs.toArray(String[]::new));
    }

    /** The verified ID token of an authorization through the browser session (and its access token's acr). */
    private SignedJWT idToken(TesseraHttp browser, String id, String... extra) {
        return tokens(browser, id, extra)[0];
    }

    private SignedJWT[] tokens(TesseraHttp browser, String id, String... extra) {
        String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
        String redirect = BrowserFlows.authorize(browser, query(verifier, extra), TestAccounts.username(jdbc, id),
                PASSWORD);
        assertThat(redirect).startsWith(TestClients.DEMO_REDIRECT);
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        String code = TesseraHttp.queryParameter(redirect, "code").orElseThrow(() -> new AssertionError(redirect));
        var json = BrowserFlows.redeemDemoCode(http, code, verifier).json();
        return new SignedJWT[] {TokenVerifier.verify(http, (String) json.get("id_token")),
                TokenVerifier.verify(http, (String) json.get("access_token"))};
    }

    @Test
    void totpWhenEnrolledThenAskedAfterPasswordOnceAndIdTokenSaysMfa() throws Exception {
        String id = account();
        TesseraHttp first = TestAccounts.signedIn(properties.issuer(), TestAccounts.username(jdbc, id), PASSWORD);
        SignedJWT[] beforeTokens = tokens(first, id);
        SignedJWT before = beforeTokens[0];
        assertThat(before.getJWTClaimsSet().getStringListClaim("amr")).containsExactly("pwd");
        assertThat(before.getJWTClaimsSet().getStringClaim("acr")).isEqualTo(AuthenticationMethods.ACR_SFA);
        assertThat(beforeTokens[1].getJWTClaimsSet().getClaim("acr")).isNull();   // access tokens: only with MFA

        Enrolled enrolled = enrol(first);
        assertThat(enrolled.recoveryCodes()).hasSize(10).doesNotHaveDuplicates();
        // stored encrypted and hashed, never as shown
        String stored = jdbc.queryForObject("select secret from account_totp where account_id = ? and confirmed_at "
                + "is not null", String.class, id);
        assertThat(stored).doesNotContain(enrolled.secret());
        assertThat(jdbc.queryForList("select code_hash from account_recovery_code where account_id = ?",
                String.class, id)).hasSize(10).allSatisfy(hash -> assertThat(enrolled.recoveryCodes())
                        .noneMatch(c -> hash.contains(c.replace("-", ""))));
        assertThat(jdbc.queryForObject("select count(*) from audit_event where event_type = 'mfa.enrolled' and "
                + "target = ?", Integer.class, id)).isEqualTo(1);

        // a new login: no page, no authorization, no device verification before the code
        TesseraHttp browser = passwordOnly(id);
        assertThat(browser.get("/account").location()).endsWith("/login/mfa");
        assertThat(browser.get("/device").location()).endsWith("/login/mfa");
        assertThat(browser.get("/account/mfa").location()).endsWith("/login/mfa");
        assertThat(browser.get("/authorize?" + query("v".repeat(43))).location()).endsWith("/login/mfa");
        TesseraHttp.Response page = browser.get("/login/mfa");
        assertThat(BrowserFlows.post(browser, page.body(), "/account/mfa/remove").status()).isEqualTo(403);
        assertThat(jdbc.queryForObject("select count(*) from account_totp where account_id = ?", Integer.class, id))
                .isEqualTo(1);

        // the code that confirmed enrolment is spent: the same code again is refused
        TesseraHttp.Response replayed = submitCode(browser, code(enrolled.secret()));
        assertThat(replayed.status()).isEqualTo(401);
        assertThat(replayed.body()).contains("already used");
        clock.advance(Duration.ofSeconds(30));
        TesseraHttp.Response accepted = submitCode(browser, code(enrolled.secret()));
        assertThat(accepted.status()).isEqualTo(302);
        assertThat(accepted.location()).endsWith("/authorize?" + query("v".repeat(43)));
        assertThat(browser.get("/account").status()).isEqualTo(200);

        SignedJWT[] afterTokens = tokens(browser, id);
        SignedJWT after = afterTokens[0];
        assertThat(afterTokens[1].getJWTClaimsSet().getStringClaim("acr")).isEqualTo(AuthenticationMethods.ACR_MFA);
        assertThat(after.getJWTClaimsSet().getStringListClaim("amr")).containsExactly("pwd", "otp", "mfa");
        assertThat(after.getJWTClaimsSet().getStringClaim("acr")).isEqualTo("https://refeds.org/profile/mfa");
        assertThat(jdbc.queryForObject("select count(*) from audit_event where event_type = 'mfa.verified' and "
                + "target = ?", Integer.class, id)).isEqualTo(1);
    }

    @Test
    void totpWhenSameCodeRacedFromTwoSessionsThenExactlyOneAccepted() throws Exception {
        String id = account();
        Enrolled enrolled = enrol(TestAccounts.signedIn(properties.issuer(), TestAccounts.username(jdbc, id),
                PASSWORD));
        clock.advance(Duration.ofSeconds(30));
        String code = code(enrolled.secret());
        // two logins present the same code at once, as they would on two instances sharing the database
        List<TesseraHttp> browsers = List.of(passwordOnly(id), passwordOnly(id), passwordOnly(id));
        List<String> csrf = browsers.stream().map(b -> BrowserFlows.csrf(b.get("/login/mfa").body())).toList();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Callable<Integer>> posts = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                TesseraHttp b = browsers.get(i);
                String token = csrf.get(i);
                posts.add(() -> b.postForm("/login/mfa", TesseraHttp.form("code", code, "_csrf", token)).status());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(posts)) {
                statuses.add(f.get());
            }
            assertThat(statuses).containsExactlyInAnyOrder(302, 401, 401);
        } finally {
            pool.shutdownNow();
        }
        // what another instance wrote (a later step accepted there) refuses that step's code here
        clock.advance(Duration.ofSeconds(30));
        jdbc.update("update account_totp set last_step = ? where account_id = ?", Totp.step(clock.instant()), id);
        TesseraHttp.Response refused = submitCode(passwordOnly(id), code(enrolled.secret()));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body()).contains("already used");
    }

    @Autowired
    org.springframework.core.env.Environment environment;

    @Test
    void totpWhenCodeAcceptedByAnotherInstanceThenRefusedHere() throws Exception {
        // a second Tessera on the same database, as a second replica would be
        int port = eu.tessera.server.testsupport.PostgresAndPortInitializer.freePort();
        try (var other = new org.springframework.boot.builder.SpringApplicationBuilder(
                eu.tessera.server.TesseraApplication.class).run("--server.port=" + port,
                "--server.address=127.0.0.1", "--tessera.issuer=http://127.0.0.1:" + port,
                "--spring.datasource.url=" + environment.getProperty("spring.datasource.url"),
                "--spring.datasource.username=postgres", "--spring.datasource.password=",
                "--tessera.keys.encryption-secret=integration-test-secret", "--logging.level.root=warn")) {
            String id = account();
            Enrolled enrolled = enrol(TestAccounts.signedIn(properties.issuer(), TestAccounts.username(jdbc, id),
                    PASSWORD));
            clock.advance(Duration.ofSeconds(30));
            String code = code(enrolled.secret());
            // accepted there
            TesseraHttp there = TesseraHttp.browser("http://127.0.0.1:" + port);
            assertThat(BrowserFlows.login(there, TestAccounts.username(jdbc, id), PASSWORD).location())
                    .doesNotContain("error");
            assertThat(there.get("/account").location()).endsWith("/login/mfa");
            TesseraHttp.Response form = there.get("/login/mfa");
            assertThat(BrowserFlows.post(there, form.body(), "/login/mfa", "code", code).status()).isEqualTo(302);
            assertThat(there.get("/account").status()).isEqualTo(200);
            // the same code here: already used
            TesseraHttp.Response here = submitCode(passwordOnly(id), code);
            assertThat(here.status()).isEqualTo(401);
            assertThat(here.body()).contains("already used");
        }
    }

    @Test
    void recoveryCodeWhenUsedThenAcceptedOnceAndRenewalReplacesThem() {
        String id = account();
        Enrolled enrolled = enrol(TestAccounts.signedIn(properties.issuer(), TestAccounts.username(jdbc, id),
                PASSWORD));
        String recovery = enrolled.recoveryCodes().get(3);
        TesseraHttp browser = passwordOnly(id);
        TesseraHttp.Response accepted = submitCode(browser, recovery.toUpperCase().replace("-", " "));
        assertThat(accepted.status()).isEqualTo(302);
        assertThat(browser.get("/account/mfa").body()).contains("signed in with a recovery code")
                .containsPattern("id=\"codes-left\">9<");
        TesseraHttp.Response again = submitCode(passwordOnly(id), recovery);
        assertThat(again.status()).isEqualTo(401);
        assertThat(jdbc.queryForObject("select count(*) from account_recovery_code where account_id = ? and used_at "
                + "is not null", Integer.class, id)).isEqualTo(1);

        TesseraHttp.Response renewed = BrowserFlows.post(browser, browser.get("/account/mfa").body(),
                "/account/mfa/recovery-codes");
        Matcher m = CODE.matcher(renewed.body());
        assertThat(m.find()).isTrue();
        String fresh = m.group(1);
        assertThat(submitCode(passwordOnly(id), enrolled.recoveryCodes().get(5)).status()).isEqualTo(401);
        assertThat(submitCode(passwordOnly(id), fresh).status()).isEqualTo(302);
    }

    @Test
    void codeWhenMalformedThenClearErrorWhenWrongThenThrottledAndAudited() {
        String id = account();
        Enrolled enrolled = enrol(TestAccounts.signedIn(properties.issuer(), TestAccounts.username(jdbc, id),
                PASSWORD));
        clock.advance(Duration.ofSeconds(30));
        TesseraHttp browser = passwordOnly(id);
        for (String malformed : new String[] {"", "12345", "1234567", "12a456", "x".repeat(5000),
                "abcd-efgh-ijkl-mno", "<script>"}) {
            TesseraHttp.Response response = submitCode(browser, malformed);
            assertThat(response.status()).as(malformed).isEqualTo(400);
            assertThat(response.body()).contains("Enter the 6 digits").doesNotContain("<script>");
        }
        String right = code(enrolled.secret());
        String wrong = right.equals("000000") ? "111111" : "000000";
        for (int i = 0; i < 3; i++) {   // tessera.login.max-failures-per-account=3 in the tests
            assertThat(submitCode(browser, wrong).status()).isEqualTo(401);
        }
        TesseraHttp.Response locked = submitCode(browser, right);
        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.body()).contains("Too many wrong codes");
        assertThat(browser.get("/account").location()).endsWith("/login/mfa");
        assertThat(jdbc.queryForObject("select count(*) from audit_event where event_type = 'login.failure' and "
                + "target = ? and details like '%totp%'", Integer.class, id)).isEqualTo(3);
        // the lock ends with its duration
        clock.advance(properties.login().lockDuration().plusSeconds(30));
        assertThat(submitCode(browser, code(enrolled.secret())).status()).isEqualTo(302);
    }

    @Test
    void requiredGroupMemberWithoutFactorThenTakenToEnrolmentBeforeAnythingElse() {
        String id = account();
        String groupId = UUID.randomUUID().toString();
        String parent = jdbc.queryForObject("select id from vo_group where path = '/escape'", String.class);
        jdbc.update("insert into vo_group (id, name, path, parent_id, optional, created_at) values (?, 'mfa-required',"
                + " ?, ?, false, current_timestamp)", groupId, TestAccounts.MFA_REQUIRED_GROUP, parent);
        try {
            jdbc.update("insert into membership (account_id, group_id, optional, created_at) values (?, ?, false, "
                    + "current_timestamp)", id, groupId);
            TesseraHttp browser = passwordOnly(id);
            String authorize = "/authorize?" + query("w".repeat(43));
            assertThat(browser.get("/account").location()).endsWith("/account/mfa?required");
            assertThat(browser.get(authorize).location()).endsWith("/account/mfa?required");
            TesseraHttp.Response page = browser.get("/account/mfa?required");
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body()).contains("requires a second factor");
            assertThat(BrowserFlows.post(browser, page.body(), "/account/email", "email", "x@example.org").status())
                    .isEqualTo(403);
            // enrolment; the page after the codes goes on with the request that was waiting
            assertThat(BrowserFlows.post(browser, page.body(), "/account/mfa/totp").status()).isEqualTo(302);
            TesseraHttp.Response setup = browser.get("/account/mfa");
            Matcher secret = SECRET.matcher(setup.body());
            assertThat(secret.find()).isTrue();
            TesseraHttp.Response wrongLength = BrowserFlows.post(browser, setup.body(), "/account/mfa/totp/confirm",
                    "code", "1234");
            assertThat(wrongLength.status()).isEqualTo(400);
            assertThat(wrongLength.body()).contains("Enter the 6 digits");
            TesseraHttp.Response codes = BrowserFlows.post(browser, setup.body(), "/account/mfa/totp/confirm",
                    "code", code(secret.group(1)));
            assertThat(codes.status()).isEqualTo(200);
            assertThat(codes.body()).contains("Your recovery codes", "/authorize?");
            assertThat(browser.get("/account").status()).isEqualTo(200);
        } finally {
            jdbc.update("delete from vo_group where id = ?", groupId);
        }
    }

    @Autowired
    eu.tessera.server.group.GroupAdmin groups;

    @Test
    void groupPageWhenAdminRequiresSecondFactorThenSubgroupMembersTakenToEnrolmentUntilLifted() {
        String id = account();
        String parent = groups.create("mfa-flag-" + UUID.randomUUID().toString().substring(0, 6), "/escape", false)
                .id();
        String child = groups.create("ops", parent, false).id();
        try {
            groups.addMember(child, id, null, null, "test");
            assertThat(passwordOnly(id).get("/account").status()).isEqualTo(200);
            TesseraHttp admin = TestAccounts.signedIn(properties.issuer(), "admin", TestAccounts.ADMIN_PASSWORD);
            String page = admin.get("/manage/groups/" + parent).body();
            assertThat(page).contains("Require a second factor of its members");
            assertThat(BrowserFlows.post(admin, page, "/manage/groups/" + parent, "action", "mfa", "value", "true")
                    .status()).isEqualTo(302);
            assertThat(admin.get("/manage/groups/" + parent).body()).contains("must use a second factor");
            assertThat(passwordOnly(id).get("/account").location()).endsWith("/account/mfa?required");
            assertThat(jdbc.queryForObject("select count(*) from audit_event where event_type = 'group.mfa_required' "
                    + "and target = ?", Integer.class, parent)).isEqualTo(1);
            // a member cannot lift it: only the group's admins (global or of its VO)
            TesseraHttp member = passwordOnly(id);
            assertThat(BrowserFlows.post(member, member.get("/account/mfa?required").body(), "/manage/groups/"
                    + parent, "action", "mfa", "value", "false").status()).isEqualTo(403);
            assertThat(groups.mfaRequired(parent)).isTrue();
            BrowserFlows.post(admin, admin.get("/manage/groups/" + parent).body(), "/manage/groups/" + parent,
                    "action", "mfa", "value", "false");
            assertThat(passwordOnly(id).get("/account").status()).isEqualTo(200);
        } finally {
            jdbc.update("delete from vo_group where id = ?", child);
            jdbc.update("delete from vo_group where id = ?", parent);
        }
    }

    @Test
    void adminResetWhenMemberLostPhoneThenFactorsGoneAuditedAndMailed() throws Exception {
        String id = account();
        enrol(TestAccounts.signedIn(properties.issuer(), TestAccounts.username(jdbc, id), PASSWORD));
        TesseraHttp admin = TestAccounts.signedIn(properties.issuer(), "admin", TestAccounts.ADMIN_PASSWORD);
        TesseraHttp.Response page = admin.get("/admin/accounts/" + id);
        assertThat(page.body()).contains("An authenticator app is set up (10 unused recovery codes)");
        TesseraHttp.Response reset = BrowserFlows.post(admin, page.body(), "/admin/accounts/" + id + "/mfa/reset");
        assertThat(reset.location()).endsWith("/admin/accounts/" + id + "?mfaReset");
        assertThat(jdbc.queryForObject("select count(*) from account_totp where account_id = ?", Integer.class, id))
                .isZero();
        assertThat(jdbc.queryForObject("select count(*) from account_recovery_code where account_id = ?",
                Integer.class, id)).isZero();
        String adminId = jdbc.queryForObject("select id from account where username = 'admin'", String.class);
        assertThat(jdbc.queryForObject("select actor from audit_event where event_type = 'mfa.reset' and target = ?",
                String.class, id)).isEqualTo(adminId);
        String email = TestAccounts.username(jdbc, id) + "@example.org";
        assertThat(TestMail.get().awaitContaining(email, "removed the authenticator app").getSubject())
                .endsWith("your second factor was reset");
        // the member signs in with the password alone again
        assertThat(passwordOnly(id).get("/account").status()).isEqualTo(200);
        // nothing to reset twice
        assertThat(BrowserFlows.post(admin, admin.get("/admin/accounts/" + id).body(), "/admin/accounts/" + id
                + "/mfa/reset").status()).isEqualTo(409);
    }

    @Test
    void acrValuesWhenMfaAskedThenChromiumStepsUpThroughEnrolmentWithTheQrCode() throws Exception {
        String id = account();
        try (ChromiumBrowser chromium = new ChromiumBrowser(properties.issuer())) {
            chromium.signIn(TestAccounts.username(jdbc, id), PASSWORD);
            String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
            chromium.open("/authorize?" + query(verifier, "acr_values", AuthenticationMethods.ACR_MFA));
            assertThat(chromium.await("asks for a second factor")).contains("Set up an authenticator app");
            chromium.clickButton("Set up an authenticator app");
            chromium.await("Enter the code the app now shows");
            // a researcher on a phone: labelled fields, nothing wider than the screen, the QR code whole
            chromium.width(390);
            assertThat(chromium.accessibilityProblems()).isEmpty();
            assertThat(chromium.find(By.cssSelector("#qr svg")).getRect().getWidth()).isBetween(120, 360);
            chromium.width(1280);
            // what a phone's camera sees: the QR code as drawn, decoded
            var image = ImageIO.read(new ByteArrayInputStream(chromium.find(By.cssSelector("#qr svg"))
                    .getScreenshotAs(OutputType.BYTES)));
            String uri = new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(
                    new BufferedImageLuminanceSource(image)))).getText();
            String secret = TesseraHttp.queryParameter(uri, "secret").orElseThrow();
            assertThat(uri).startsWith("otpauth://totp/").contains("issuer=", "digits=6", "period=30");
            assertThat(secret).isEqualTo(chromium.find(By.id("totp-secret")).getText());
            chromium.type("code", code(secret));
            chromium.clickButton("Confirm");
            chromium.await("Your recovery codes");
            assertThat(chromium.all(By.cssSelector("#recovery-codes li"))).hasSize(10);
            chromium.click(By.id("continue"));
            String code = chromium.authorizationCode();
            TesseraHttp http = TesseraHttp.to(properties.issuer());
            SignedJWT jwt = TokenVerifier.verify(http, (String) BrowserFlows.redeemDemoCode(http, code, verifier)
                    .json().get("id_token"));
            assertThat(jwt.getJWTClaimsSet().getStringClaim("acr")).isEqualTo(AuthenticationMethods.ACR_MFA);
            assertThat(jwt.getJWTClaimsSet().getStringListClaim("amr")).containsExactly("pwd", "otp", "mfa");
        }
    }

    @Test
    void adminWithAuthenticatorWhenPasswordOnlyThenNoAdminPageUntilTheCode() {
        String id = account();
        jdbc.update("update account set admin = true where id = ?", id);
        Enrolled enrolled = enrol(TestAccounts.signedIn(properties.issuer(), TestAccounts.username(jdbc, id),
                PASSWORD));
        clock.advance(Duration.ofSeconds(30));
        TesseraHttp browser = passwordOnly(id);
        assertThat(browser.get("/admin/accounts").location()).endsWith("/login/mfa");
        TesseraHttp.Response page = browser.get("/login/mfa");
        assertThat(BrowserFlows.post(browser, page.body(), "/admin/accounts/" + id + "/mfa/reset").status())
                .isEqualTo(403);
        assertThat(jdbc.queryForObject("select count(*) from account_totp where account_id = ?", Integer.class, id))
                .isEqualTo(1);
        assertThat(submitCode(browser, code(enrolled.secret())).location()).endsWith("/admin/accounts");
        assertThat(browser.get("/admin/accounts").status()).isEqualTo(200);
    }

    @Test
    void refreshWhenSessionUsedMfaThenRefreshedTokensKeepAcrAndAmr() throws Exception {
        String id = account();
        Enrolled enrolled = enrol(TestAccounts.signedIn(properties.issuer(), TestAccounts.username(jdbc, id),
                PASSWORD));
        clock.advance(Duration.ofSeconds(30));
        TesseraHttp browser = passwordOnly(id);
        assertThat(submitCode(browser, code(enrolled.secret())).status()).isEqualTo(302);
        String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
        String redirect = BrowserFlows.authorize(browser, query(verifier).replace("scope=openid",
                "scope=openid+offline_access"), TestAccounts.username(jdbc, id), PASSWORD);
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        var issued = BrowserFlows.redeemDemoCode(http, TesseraHttp.queryParameter(redirect, "code").orElseThrow(),
                verifier).json();
        assertThat(issued).containsKey("refresh_token");
        var refreshed = http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET, "grant_type", "refresh_token",
                "refresh_token", (String) issued.get("refresh_token")).json();
        SignedJWT access = TokenVerifier.verify(http, (String) refreshed.get("access_token"));
        SignedJWT idToken = TokenVerifier.verify(http, (String) refreshed.get("id_token"));
        assertThat(access.getJWTClaimsSet().getStringClaim("acr")).isEqualTo(AuthenticationMethods.ACR_MFA);
        assertThat(idToken.getJWTClaimsSet().getStringClaim("acr")).isEqualTo(AuthenticationMethods.ACR_MFA);
        assertThat(idToken.getJWTClaimsSet().getStringListClaim("amr")).containsExactly("pwd", "otp", "mfa");
    }

    @Test
    void discoveryWhenReadThenListsAcrValues() {
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        assertThat(http.get("/.well-known/openid-configuration").json().get("acr_values_supported"))
                .isEqualTo(List.of(AuthenticationMethods.ACR_MFA, AuthenticationMethods.ACR_SFA));
    }
}
