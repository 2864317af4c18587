package eu.tessera.server.login.passkey;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.login.mfa.AuthenticationMethods;
import eu.tessera.server.testsupport.BrowserFlows;
import eu.tessera.server.testsupport.ChromiumBrowser;
import eu.tessera.server.testsupport.TestAccounts;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import eu.tessera.server.testsupport.TokenVerifier;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Passkeys in Debian's chromium with its virtual authenticator (CTAP2, resident keys, user verification): one is
 * registered from {@code /account/mfa}, serves as the second factor after the password and as a passwordless login,
 * ends in ID tokens as {@code hwk}, and is removed. Assertions whose client data names another origin, or whose
 * authenticator data is for another relying party id, are refused (401) with webauthn4j's reason in the audit log.
 * The browser uses {@code http://localhost:<port>}: a relying party id must be a domain, never an IP address.
 */
@TesseraIntegrationTest
class PasskeyIT {

    private static final String PASSWORD = "passkey-it-password";

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PasswordEncoder encoder;

    private String account;

    @AfterEach
    void cleanUp() {
        if (account != null) {
            jdbc.update("delete from account where id = ?", account);
        }
    }

    private String base() {
        return "http://localhost:" + URI.create(properties.issuer()).getPort();
    }

    private static void waitFor(ChromiumBrowser chromium, String urlPart) {
        new WebDriverWait(chromium.driver(), Duration.ofSeconds(15)).until(d -> d.getCurrentUrl().contains(urlPart));
    }

    /** Waits until the browser has left the login pages; then shows /account and returns the username on it. */
    private static String signedInAs(ChromiumBrowser chromium) {
        new WebDriverWait(chromium.driver(), Duration.ofSeconds(15)).until(d -> !d.getCurrentUrl().contains("/login"));
        chromium.open("/account");
        return chromium.find(By.id("username")).getText();
    }

    /** A new browser session on the login page (cookies are deleted for the page's host: open a page of ours first). */
    private static void freshLoginPage(ChromiumBrowser chromium) {
        chromium.open("/login");
        chromium.driver().manage().deleteAllCookies();
        chromium.open("/login");
    }

    private void passwordLogin(ChromiumBrowser chromium, String username) {
        freshLoginPage(chromium);
        chromium.type("username", username);
        chromium.type("password", PASSWORD);
        chromium.click(By.cssSelector("form button[type=submit]"));
    }

    /** An authorization through the browser's session; the verified ID token. */
    private SignedJWT idToken(ChromiumBrowser chromium) throws Exception {
        String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
        try {
            chromium.open("/authorize?" + TesseraHttp.form("response_type", "code", "client_id", TestClients.DEMO_ID,
                    "redirect_uri", TestClients.DEMO_REDIRECT, "scope", "openid", "state", "s", "nonce", "n",
                    "code_challenge", BrowserFlows.s256(verifier), "code_challenge_method", "S256"));
        } catch (org.openqa.selenium.WebDriverException e) {
            // straight back to the client's redirect URI, where nothing listens: the code is in the URL all the same
        }
        String code = chromium.authorizationCode();
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        return TokenVerifier.verify(http, (String) BrowserFlows.redeemDemoCode(http, code, verifier).json()
                .get("id_token"));
    }

    /** Runs a passkey login in the page, changing what the browser sends as {@code tamper} says; the HTTP status. */
    private static long tamperedLogin(ChromiumBrowser chromium, String tamper) {
        Object status = chromium.driver().executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const tamper = arguments[0];
                const b64 = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf)))
                    .replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
                const bytes = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')
                    + '==='.slice((s.length + 3) % 4)), c => c.charCodeAt(0)).buffer;
                const headers = {'Content-Type': 'application/json',
                    'X-CSRF-TOKEN': document.querySelector("input[name='_csrf']").value};
                (async () => {
                  const options = await (await fetch('/webauthn/authenticate/options', {method: 'POST', headers}))
                      .json();
                  options.challenge = bytes(options.challenge);
                  options.allowCredentials = (options.allowCredentials || [])
                      .map(c => ({...c, id: bytes(c.id)}));
                  const cred = await navigator.credentials.get({publicKey: options});
                  let clientData = cred.response.clientDataJSON;
                  let authData = new Uint8Array(cred.response.authenticatorData);
                  if (tamper === 'origin') {
                    const json = JSON.parse(new TextDecoder().decode(clientData));
                    json.origin = 'https://evil.example';
                    clientData = new TextEncoder().encode(JSON.stringify(json)).buffer;
                  } else {
                    const hash = new Uint8Array(await crypto.subtle.digest('SHA-256',
                        new TextEncoder().encode('evil.example')));
                    authData = new Uint8Array(authData);
                    authData.set(hash, 0);
                  }
                  const response = await fetch('/login/webauthn', {method: 'POST', headers, body: JSON.stringify({
                    id: cred.id, rawId: b64(cred.rawId), credType: cred.type,
                    response: {authenticatorData: b64(authData.buffer), clientDataJSON: b64(clientData),
                        signature: b64(cred.response.signature),
                        userHandle: cred.response.userHandle ? b64(cred.response.userHandle) : undefined},
                    clientExtensionResults: {}, authenticatorAttachment: cred.authenticatorAttachment})});
                  done(response.status);
                })().catch(e => done('error: ' + e));
                """, tamper);
        assertThat(status).isInstanceOf(Long.class);
        return (Long) status;
    }

    @Test
    void passkeyWhenRegisteredThenSecondFactorPasswordlessLoginAndRemovable() throws Exception {
        account = TestAccounts.insert(jdbc, encoder, "pk", PASSWORD);
        String username = TestAccounts.username(jdbc, account);
        try (ChromiumBrowser chromium = new ChromiumBrowser(base())) {
            VirtualAuthenticatorOptions options = new VirtualAuthenticatorOptions()
                    .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                    .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL).setHasResidentKey(true)
                    .setHasUserVerification(true).setIsUserVerified(true).setIsUserConsenting(true);
            VirtualAuthenticator authenticator = chromium.driver().addVirtualAuthenticator(options);
            chromium.signIn(username, PASSWORD);
            chromium.open("/account/mfa");
            chromium.type("passkey-label", "Laptop key");
            chromium.clickButton("Add a passkey");
            assertThat(chromium.await("The passkey was added")).contains("Laptop key");
            assertThat(authenticator.getCredentials()).hasSize(1);
            assertThat(jdbc.queryForObject("select label from account_passkey where account_id = ?", String.class,
                    account)).isEqualTo("Laptop key");
            assertThat(jdbc.queryForObject("select count(*) from audit_event where event_type = 'mfa.enrolled' and "
                    + "target = ? and details like '%passkey%'", Integer.class, account)).isEqualTo(1);

            // a second passkey on another authenticator (the laptop's stays registered, its device goes away)
            chromium.driver().removeVirtualAuthenticator(authenticator);
            authenticator = chromium.driver().addVirtualAuthenticator(options);
            chromium.open("/account/mfa");
            chromium.type("passkey-label", "Phone");
            chromium.clickButton("Add a passkey");
            chromium.await("The passkey was added");
            assertThat(chromium.all(By.cssSelector("td.passkey-label")).stream().map(e -> e.getText()).toList())
                    .containsExactly("Laptop key", "Phone");
            // on a phone: every field labelled, nothing wider than the screen (the passkey table scrolls in place)
            chromium.width(390);
            assertThat(chromium.accessibilityProblems()).isEmpty();
            chromium.width(1280);

            // second factor: after the password, the passkey
            passwordLogin(chromium, username);
            waitFor(chromium, "/login/mfa");
            assertThat(chromium.text()).contains("passkey").doesNotContain("6-digit");
            chromium.width(390);
            assertThat(chromium.accessibilityProblems()).isEmpty();
            chromium.width(1280);
            chromium.click(By.id("passkey-login"));
            assertThat(signedInAs(chromium)).isEqualTo(username);
            SignedJWT second = idToken(chromium);
            assertThat(second.getJWTClaimsSet().getStringListClaim("amr")).containsExactly("pwd", "hwk", "mfa");
            assertThat(second.getJWTClaimsSet().getStringClaim("acr")).isEqualTo(AuthenticationMethods.ACR_MFA);
            assertThat(jdbc.queryForObject("select last_used_at is not null from account_passkey where account_id = ? "
                    + "and label = 'Phone'", Boolean.class, account)).isTrue();

            // passwordless: the passkey alone (the authenticator verified the user: two factors)
            freshLoginPage(chromium);
            chromium.click(By.id("passkey-login"));
            assertThat(signedInAs(chromium)).isEqualTo(username);
            SignedJWT passwordless = idToken(chromium);
            assertThat(passwordless.getJWTClaimsSet().getStringListClaim("amr")).containsExactly("hwk", "mfa");
            assertThat(jdbc.queryForObject("select count(*) from audit_event where event_type = 'login.success' and "
                    + "target = ? and details like '%passkey%'", Integer.class, account)).isEqualTo(1);

            // assertions for another origin or another relying party id are refused, with the reason audited
            freshLoginPage(chromium);
            assertThat(tamperedLogin(chromium, "origin")).isEqualTo(401);
            assertThat(tamperedLogin(chromium, "rpId")).isEqualTo(401);
            assertThat(jdbc.queryForList("select details from audit_event where event_type = 'login.failure' and "
                    + "details like '%passkey%' order by id desc limit 2", String.class))
                    .anySatisfy(d -> assertThat(d).containsIgnoringCase("origin"))
                    .anySatisfy(d -> assertThat(d).containsIgnoringCase("rpid"));
            chromium.open("/account");
            assertThat(chromium.driver().getCurrentUrl()).contains("/login");

            // removal
            chromium.click(By.id("passkey-login"));
            assertThat(signedInAs(chromium)).isEqualTo(username);
            chromium.open("/account/mfa");
            chromium.click(By.cssSelector("td form button"));   // the first: the laptop's
            chromium.await("The passkey was removed");
            assertThat(jdbc.queryForList("select label from account_passkey where account_id = ?", String.class,
                    account)).containsExactly("Phone");
            assertThat(jdbc.queryForObject("select count(*) from audit_event where event_type = 'mfa.removed' and "
                    + "target = ? and details like '%passkey%'", Integer.class, account)).isEqualTo(1);
            // Spring Security's own removal endpoint (DELETE /webauthn/register/{id}, with the page's CSRF token) is
            // audited too
            String phone = jdbc.queryForObject("select credential_id from account_passkey where account_id = ?",
                    String.class, account);
            Object status = chromium.driver().executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    fetch('/webauthn/register/' + arguments[0], {method: 'DELETE', headers: {'X-CSRF-TOKEN':
                        document.querySelector('input[name=_csrf]').value}}).then(r => done(r.status));""", phone);
            assertThat(((Number) status).intValue()).isEqualTo(204);
            assertThat(jdbc.queryForObject("select count(*) from account_passkey where account_id = ?", Integer.class,
                    account)).isZero();
            assertThat(jdbc.queryForObject("select count(*) from audit_event where event_type = 'mfa.removed' and "
                    + "target = ? and details like '%webauthn-endpoint%'", Integer.class, account)).isEqualTo(1);
        }
    }
}
