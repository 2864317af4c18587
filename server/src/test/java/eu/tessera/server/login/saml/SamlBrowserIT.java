package eu.tessera.server.login.saml;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import eu.tessera.server.account.ExternalIdentities;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.BrowserFlows;
import eu.tessera.server.testsupport.SimpleSamlPhpIdp;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TestSaml;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import eu.tessera.server.testsupport.TokenVerifier;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * eduGAIN-style login in a real browser (Debian's chromium, headless) against a real IdP (Debian's SimpleSAMLphp,
 * {@link SimpleSamlPhpIdp}): an authorization-code flow of the demo client -> Tessera's login page -> the discovery
 * page (type-ahead search) -> the IdP, which checks Tessera's signed AuthnRequest -> its login form -> its signed
 * Response with an encrypted assertion, posted to Tessera's ACS by the IdP's page -> consent -> a token whose
 * {@code wlcg.groups} are the linked account's groups.
 */
@TesseraIntegrationTest
class SamlBrowserIT {

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ExternalIdentities identities;
    @Autowired
    SamlMetadataSources sources;
    eu.tessera.server.testsupport.ChromiumBrowser chromium;
    WebDriver browser;
    final SimpleSamlPhpIdp idp = SimpleSamlPhpIdp.get();

    @BeforeEach
    void setUp() {
        idp.start(properties.issuer(), TestSaml.get().spSigner.certificate());
        assertThat(sources.refresh("local").orElseThrow().identityProviders()).isEqualTo(1);   // its metadata
        chromium = new eu.tessera.server.testsupport.ChromiumBrowser(properties.issuer());
        browser = chromium.driver();
    }

    @AfterEach
    void tearDown() {
        if (chromium != null) {
            chromium.close();
        }
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    @Test
    void fromTheDiscoveryPageThroughSimpleSamlPhpToATokenWithTheAccountsGroups() throws Exception {
        String aliceId = jdbc.queryForObject("select id from account where username = 'alice'", String.class);
        if (identities.find("SAML", SimpleSamlPhpIdp.ENTITY_ID, SimpleSamlPhpIdp.UNIQUE_ID).isEmpty()) {
            identities.link(aliceId, "SAML", SimpleSamlPhpIdp.DISPLAY_NAME, SimpleSamlPhpIdp.ENTITY_ID,
                    SimpleSamlPhpIdp.UNIQUE_ID, "eduPersonUniqueId", null, aliceId);
        }
        // the groups a token carries by default: current memberships, optional ones only when asked for
        List<String> aliceGroups = jdbc.queryForList("select g.path from membership m join vo_group g on g.id = "
                + "m.group_id where m.account_id = ? and m.optional = false and g.optional = false and "
                + "(m.end_time is null or m.end_time > current_timestamp) order by g.path", String.class, aliceId);

        String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
        browser.get(properties.issuer() + "/authorize?" + TesseraHttp.form("response_type", "code", "client_id",
                TestClients.DEMO_ID, "redirect_uri", TestClients.DEMO_REDIRECT, "scope", "openid wlcg.groups",
                "state", "s", "code_challenge", BrowserFlows.s256(verifier), "code_challenge_method", "S256"));
        waiting().until(ExpectedConditions.urlContains("/login"));
        browser.findElement(By.linkText("Log in through your institution (eduGAIN)")).click();
        waiting().until(ExpectedConditions.urlContains("/saml/discovery"));
        browser.findElement(By.id("q")).sendKeys("simplesaml");
        // the type-ahead list offers the IdP by name
        By offered = By.xpath("//ul[@id='results']//a[contains(., '" + SimpleSamlPhpIdp.DISPLAY_NAME + "')]");
        waiting().until(ExpectedConditions.elementToBeClickable(offered)).click();

        waiting().until(ExpectedConditions.urlContains(idp.base()));
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
        browser.findElement(By.id("username")).sendKeys(SimpleSamlPhpIdp.USERNAME);
        browser.findElement(By.id("password")).sendKeys(SimpleSamlPhpIdp.PASSWORD);
        browser.findElement(By.id("password")).submit();

        try {
            waiting().until(driver -> driver.getCurrentUrl().contains("code=")
                    || driver.getCurrentUrl().contains("/oauth2/consent"));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("stuck at " + browser.getCurrentUrl() + ": " + browser.getPageSource()
                    + "\nIdP log:\n" + idp.log(), e);
        }
        if (browser.getCurrentUrl().contains("/oauth2/consent")) {
            browser.findElement(By.id("submit-consent")).click();
        }
        waiting().until(ExpectedConditions.urlContains("code="));
        String code = TesseraHttp.queryParameter(browser.getCurrentUrl(), "code").orElseThrow();
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        SignedJWT jwt = TokenVerifier.verify(http, (String) BrowserFlows.redeemDemoCode(http, code, verifier).json()
                .get("access_token"));
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo(aliceId);
        assertThat(BrowserFlows.groups(jwt)).isNotEmpty().containsExactlyInAnyOrderElementsOf(aliceGroups);

        // the IdP really encrypted the assertion, and the choice is remembered for next time
        assertThat(idp.log()).contains("Sending SAML 2.0 Response");
        String details = jdbc.queryForObject("select details from audit_event where event_type = 'login.success' "
                + "and actor = ? order by id desc limit 1", String.class, aliceId);
        assertThat(details).contains("saml", SimpleSamlPhpIdp.ENTITY_ID).containsPattern("encrypted\\W+true");
        browser.get(properties.issuer() + "/saml/discovery");
        assertThat(browser.findElement(By.id("last")).getText()).isEqualTo(SimpleSamlPhpIdp.DISPLAY_NAME);
    }
}
