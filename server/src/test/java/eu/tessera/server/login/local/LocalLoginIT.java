package eu.tessera.server.login.local;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.account.Account;
import eu.tessera.server.account.AccountRepository;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.BrowserFlows;
import eu.tessera.server.testsupport.TestAccounts;
import eu.tessera.server.testsupport.TestClock;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

@TesseraIntegrationTest
class LocalLoginIT {

    @Autowired
    TesseraProperties properties;
    @Autowired
    AccountRepository accounts;
    @Autowired
    PasswordEncoder encoder;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private String newAccount(String password) {
        String username = "user-" + UUID.randomUUID().toString().substring(0, 8);
        Account account = new Account(username, username + "@example.org", "Test", "User", clock.instant());
        account.setPasswordHash(encoder.encode(password), clock.instant());
        accounts.save(account);
        return username;
    }

    private TesseraHttp browser() {
        return TesseraHttp.browser(properties.issuer());
    }

    @Test
    void loginWhenPasswordRightThenSignedIn() {
        TesseraHttp browser = browser();
        TesseraHttp.Response response = BrowserFlows.login(browser, TestAccounts.ALICE, TestAccounts.ALICE_PASSWORD,
                "X-Forwarded-For", "198.51.100.1");
        assertThat(response.status()).isEqualTo(302);
        assertThat(response.location()).doesNotContain("error");
        TesseraHttp.Response home = browser.get("/");
        assertThat(home.status()).isEqualTo(200);
        assertThat(home.body()).contains("Signed in as <strong>alice</strong>");
        String alice = jdbc.queryForObject("select id from account where username = 'alice'", String.class);
        assertThat(jdbc.queryForObject("select count(*) from spring_session where principal_name = ?", Long.class,
                alice)).as("HTTP sessions are kept in the database").isPositive();
    }

    @Test
    void loginWhenCsrfTokenMissingThenForbidden() {
        TesseraHttp browser = browser();
        browser.get("/login");
        TesseraHttp.Response response = browser.postForm("/login", TesseraHttp.form("username", TestAccounts.ALICE,
                "password", TestAccounts.ALICE_PASSWORD));
        assertThat(response.status()).isEqualTo(403);
        assertThat(browser.get("/").status()).isEqualTo(302);
    }

    @Test
    void loginWhenPasswordWrongOrUserUnknownThenSameGenericError() {
        TesseraHttp browser = browser();
        TesseraHttp.Response wrong = BrowserFlows.login(browser, TestAccounts.ALICE, "nope",
                "X-Forwarded-For", "198.51.100.2");
        TesseraHttp.Response unknown = BrowserFlows.login(browser, "nobody-" + UUID.randomUUID(), "nope",
                "X-Forwarded-For", "198.51.100.2");
        assertThat(wrong.location()).endsWith("/login?error");
        assertThat(unknown.location()).isEqualTo(wrong.location());
        String page = browser.get("/login?error").body();
        assertThat(page).contains("Invalid username or password").doesNotContain("Exception");
    }

    @Test
    void loginWhenTooManyFailuresForAccountThenLockedUntilLockExpires() {
        String username = newAccount("right-password");
        TesseraHttp browser = browser();
        int max = properties.login().maxFailuresPerAccount();
        for (int i = 0; i < max; i++) {
            BrowserFlows.login(browser, username, "wrong", "X-Forwarded-For", "198.51.100." + (10 + i));
        }
        TesseraHttp.Response locked = BrowserFlows.login(browser, username, "right-password",
                "X-Forwarded-For", "198.51.100.20");
        assertThat(locked.location()).as("right password refused while locked").endsWith("/login?error");
        assertThat(jdbc.queryForObject("select count(*) from login_throttle where throttle_key = ? "
                + "and locked_until is not null", Long.class, "account:" + username)).isEqualTo(1);

        clock.advance(properties.login().lockDuration().plus(Duration.ofMinutes(1)));
        TesseraHttp.Response afterLock = BrowserFlows.login(browser(), username, "right-password",
                "X-Forwarded-For", "198.51.100.21");
        assertThat(afterLock.location()).doesNotContain("error");
    }

    @Test
    void loginWhenTooManyFailuresFromAddressThenAddressLocked() {
        String address = "198.51.100.77";
        for (int i = 0; i < properties.login().maxFailuresPerAddress(); i++) {
            BrowserFlows.login(browser(), "guess-" + i + "-" + UUID.randomUUID(), "wrong", "X-Forwarded-For", address);
        }
        String username = newAccount("right-password");
        TesseraHttp.Response fromLocked = BrowserFlows.login(browser(), username, "right-password",
                "X-Forwarded-For", address);
        assertThat(fromLocked.location()).endsWith("/login?error");
        TesseraHttp.Response fromOther = BrowserFlows.login(browser(), username, "right-password",
                "X-Forwarded-For", "198.51.100.78");
        assertThat(fromOther.location()).doesNotContain("error");
    }
}
