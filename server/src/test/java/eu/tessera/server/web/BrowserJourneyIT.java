package eu.tessera.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.BrowserFlows;
import eu.tessera.server.testsupport.ChromiumBrowser;
import eu.tessera.server.testsupport.TestAccounts;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TestMail;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import eu.tessera.server.testsupport.TokenVerifier;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The enrollment journey in a real browser (Debian's chromium driven by chromedriver, headless): register ->
 * confirmation mail (GreenMail) -> an admin approves on the admin page -> the user sets a password from the mail
 * and signs in -> asks for a group on the account page -> the group's manager approves on the manager page -> a
 * token obtained through the browser's code flow carries the group.
 */
@TesseraIntegrationTest
class BrowserJourneyIT {

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;
    final TestMail mail = TestMail.get();
    ChromiumBrowser chromium;
    WebDriver browser;
    String atlasId;
    String aliceId;

    @BeforeEach
    void setUp() {
        chromium = new ChromiumBrowser(properties.issuer());
        browser = chromium.driver();
        atlasId = jdbc.queryForObject("select id from vo_group where path = '/escape/atlas'", String.class);
        aliceId = jdbc.queryForObject("select id from account where username = 'alice'", String.class);
        jdbc.update("delete from group_manager where group_id = ?", atlasId);
        jdbc.update("insert into group_manager (group_id, account_id, created_at) values (?, ?, current_timestamp)",
                atlasId, aliceId);
    }

    @AfterEach
    void tearDown() {
        jdbc.update("delete from group_manager where group_id = ?", atlasId);
        if (chromium != null) {
            chromium.close();
        }
    }

    private void open(String path) {
        chromium.open(path);
    }

    private void type(String id, String text) {
        chromium.type(id, text);
    }

    private void signIn(String username, String password) {
        chromium.signIn(username, password);
    }

    private String text() {
        return chromium.text();
    }

    private String await(String expected) {
        return chromium.await(expected);
    }

    @Test
    void registerApproveSetPasswordAskForAGroupAndGetIt() throws Exception {
        String username = "web" + UUID.randomUUID().toString().substring(0, 8);
        String email = username + "@example.org";

        open("/registration");
        type("givenName", "Ada");
        type("familyName", "<i>Lovelace</i>");
        type("email", email);
        type("username", username);
        type("notes", "Detector physics");
        browser.findElement(By.id("aup")).click();
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
        await("Check your mailbox");

        open(TestMail.link(mail.await(email, 1).get(0), properties.issuer() + "/registration/confirm?token="));
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
        await("Address confirmed");

        signIn("admin", TestAccounts.ADMIN_PASSWORD);
        open("/admin/registrations");
        assertThat(text()).contains(username, "<i>Lovelace</i>");   // markup shown as text, not interpreted
        browser.findElement(By.id("approve-" + username)).click();
        await("Decision recorded");

        browser.manage().deleteAllCookies();
        open(TestMail.link(mail.await(email, 2).get(1), properties.issuer() + "/reset-password?token="));
        type("password", "web-journey-secret");
        type("repeated", "web-journey-secret");
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
        await("Password set");

        signIn(username, "web-journey-secret");
        open("/account");
        assertThat(browser.findElement(By.id("username")).getText()).isEqualTo(username);
        new Select(browser.findElement(By.id("group"))).selectByVisibleText("/escape/atlas");
        type("reason", "ATLAS analysis");
        browser.findElement(By.xpath("//button[text()='Send the request']")).click();
        assertThat(await("Your request was sent")).contains("PENDING");

        signIn(TestAccounts.ALICE, TestAccounts.ALICE_PASSWORD);   // alice manages /escape/atlas
        open("/manage/requests");
        assertThat(text()).contains(username + " asks for /escape/atlas", "ATLAS analysis");
        browser.findElement(By.id("approve-" + username)).click();
        await("Decision recorded");

        signIn(username, "web-journey-secret");
        open("/account");
        assertThat(browser.findElements(By.cssSelector("td.group")).stream().map(e -> e.getText()).toList())
                .contains("/escape", "/escape/atlas");

        String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
        open("/authorize?" + TesseraHttp.form("response_type", "code", "client_id", TestClients.DEMO_ID,
                "redirect_uri", TestClients.DEMO_REDIRECT, "scope", "openid wlcg.groups", "state", "s",
                "code_challenge", BrowserFlows.s256(verifier), "code_challenge_method", "S256"));
        if (browser.getCurrentUrl().contains("/oauth2/consent")) {
            browser.findElement(By.id("submit-consent")).click();
        }
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("code="));
        String code = TesseraHttp.queryParameter(browser.getCurrentUrl(), "code").orElseThrow();
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        SignedJWT jwt = TokenVerifier.verify(http, (String) BrowserFlows.redeemDemoCode(http, code, verifier).json()
                .get("access_token"));
        assertThat(BrowserFlows.groups(jwt)).containsExactly("/escape", "/escape/atlas");
    }
}
