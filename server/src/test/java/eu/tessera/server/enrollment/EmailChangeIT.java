package eu.tessera.server.enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.BrowserFlows;
import eu.tessera.server.testsupport.TestAccounts;
import eu.tessera.server.testsupport.TestMail;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import jakarta.mail.internet.MimeMessage;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

/** Every account (the admin's too, which starts without one) sets and confirms its email address on /account. */
@TesseraIntegrationTest
class EmailChangeIT {

    private static final String PASSWORD = "email-change-password";

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PasswordEncoder encoder;
    final TestMail mail = TestMail.get();
    private final String id = UUID.randomUUID().toString();
    private final String username = "mail" + id.substring(0, 8);

    @AfterEach
    void cleanUp() {
        jdbc.update("delete from account where id = ?", id);
    }

    @Test
    void accountWithoutEmailWhenAddressConfirmedByItsLinkThenUsedAndTheOldAddressTold() {
        jdbc.update("insert into account (id, username, password_hash, active, created_at, updated_at) values "
                + "(?, ?, ?, true, current_timestamp, current_timestamp)", id, username, encoder.encode(PASSWORD));
        TesseraHttp browser = TesseraHttp.browser(properties.issuer());
        assertThat(BrowserFlows.login(browser, username, PASSWORD).location()).doesNotContain("error");
        String page = browser.get("/account").body();
        assertThat(page).contains("none yet: you get no notifications", "Add an address");

        TesseraHttp.Response invalid = browser.postForm("/account/email", TesseraHttp.form("email", "not-an-address",
                "_csrf", BrowserFlows.csrf(page)));
        assertThat(invalid.status()).isEqualTo(400);
        TesseraHttp.Response taken = browser.postForm("/account/email", TesseraHttp.form("email",
                TestAccounts.ALICE_EMAIL.toUpperCase(), "_csrf", BrowserFlows.csrf(page)));
        assertThat(taken.status()).isEqualTo(409);
        assertThat(mail.to(TestAccounts.ALICE_EMAIL).stream().map(TestMail::body))
                .noneMatch(body -> body.contains(username));

        String first = username + "@example.org";
        assertThat(confirm(browser, page, first).body()).contains("Address confirmed");
        assertThat(jdbc.queryForObject("select email from account where id = ?", String.class, id)).isEqualTo(first);

        String second = username + "@new.example.org";
        TesseraHttp.Response confirmed = confirm(browser, browser.get("/account").body(), second);
        assertThat(confirmed.status()).isEqualTo(200);
        assertThat(jdbc.queryForObject("select email from account where id = ?", String.class, id)).isEqualTo(second);
        MimeMessage told = mail.awaitContaining(first, "now uses the email address " + second);
        assertThat(TestMail.body(told)).contains(username);
        assertThat(jdbc.queryForObject("select count(*) from audit_event where event_type = 'account.email_changed' "
                + "and target = ?", Integer.class, id)).isEqualTo(2);
    }

    /** Asks for {@code address}, follows the mailed link, confirms; returns the confirmation's answer. */
    private TesseraHttp.Response confirm(TesseraHttp browser, String accountPage, String address) {
        TesseraHttp.Response sent = browser.postForm("/account/email", TesseraHttp.form("email", address, "_csrf",
                BrowserFlows.csrf(accountPage)));
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        assertThat(sent.body()).contains("Check your mailbox");
        assertThat(jdbc.queryForObject("select email from account where id = ?", String.class, id))
                .isNotEqualTo(address);   // nothing changes before the link is followed
        String link = TestMail.link(mail.await(address, 1).get(0), properties.issuer()
                + "/account/email/confirm?token=");
        // the link works from any browser (a phone's mail app): the token is the proof
        TesseraHttp other = TesseraHttp.browser(properties.issuer());
        TesseraHttp.Response form = other.get(link);
        assertThat(form.status()).isEqualTo(200);
        String token = TesseraHttp.queryParameter(link, "token").orElseThrow();
        TesseraHttp.Response confirmed = other.postForm("/account/email/confirm", TesseraHttp.form("token", token,
                "_csrf", BrowserFlows.csrf(form.body())));
        TesseraHttp.Response again = other.postForm("/account/email/confirm", TesseraHttp.form("token", token,
                "_csrf", BrowserFlows.csrf(form.body())));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.body()).contains("not valid or was already used");
        return confirmed;
    }
}
