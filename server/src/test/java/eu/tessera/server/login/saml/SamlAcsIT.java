package eu.tessera.server.login.saml;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import eu.tessera.saml.SamlAttributes;
import eu.tessera.saml.testing.TestIdp;
import eu.tessera.server.account.ExternalIdentities;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.BrowserFlows;
import eu.tessera.server.testsupport.TestAccounts;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TestSaml;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import eu.tessera.server.testsupport.TokenVerifier;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The SAML assertion consumer on the server, with Responses from an independent test IdP ({@link TestIdp}) for IdPs
 * of the test federation's signed metadata: login with a linked identity in the middle of an authorization-code flow
 * (the token carries the account's groups), an encrypted assertion, replays (of the Response and of the assertion
 * ID), completion from another browser, an unknown identity (registration prefilled, linked on approval),
 * just-in-time accounts for a trusted IdP, linking from the account page (one account per identity), and refused
 * Responses answered with a page, never a 500.
 */
@TesseraIntegrationTest
class SamlAcsIT {

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ExternalIdentities identities;

    private final TestSaml saml = TestSaml.get();

    /** A SAML login started at Tessera: the pending request's ID. */
    private String start(TesseraHttp browser, String idp) {
        TesseraHttp.Response redirect = browser.get("/saml/login?idp=" + URLEncoder.encode(idp,
                StandardCharsets.UTF_8));
        assertThat(redirect.status()).isEqualTo(302);
        return TestSaml.requestId(redirect.location());
    }

    private TestIdp.Spec spec(String requestId, String uniqueId) {
        return new TestIdp.Spec(requestId, properties.issuer() + "/saml/acs", properties.issuer() + "/saml/metadata")
                .attribute(SamlAttributes.UNIQUE_ID, uniqueId)
                .attribute(SamlAttributes.MAIL, uniqueId.replace("@", ".") + "@mail.example1.org")
                .attribute(SamlAttributes.GIVEN_NAME, "Sam").attribute(SamlAttributes.SURNAME, "Lee")
                .attribute(SamlAttributes.ENTITLEMENT, "urn:mace:example.org:group:vo");
    }

    private TesseraHttp.Response post(TesseraHttp browser, String samlResponse) {
        return browser.postForm("/saml/acs", TesseraHttp.form("SAMLResponse", samlResponse, "RelayState", ""));
    }

    /** Posts the Response and follows the redirect to the completion; returns the completion's answer. */
    private TesseraHttp.Response login(TesseraHttp browser, String samlResponse) {
        TesseraHttp.Response posted = post(browser, samlResponse);
        assertThat(posted.status()).as(posted.body()).isEqualTo(302);
        assertThat(posted.location()).contains("/saml/acs/complete?request=");
        return browser.get(posted.location());
    }

    private static String uniqueId(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example1.org";
    }

    @Test
    void linkedIdentityLogsInDuringAnAuthorizationFlowAndTheTokenCarriesTheGroups() throws Exception {
        String aliceId = jdbc.queryForObject("select id from account where username = 'alice'", String.class);
        String uid = uniqueId("alice");
        identities.link(aliceId, "SAML", "University 1", TestSaml.IDP, uid, "eduPersonUniqueId", null, aliceId);

        TesseraHttp browser = TesseraHttp.browser(properties.issuer());
        String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
        TesseraHttp.Response toLogin = browser.get("/authorize?" + TesseraHttp.form("response_type", "code",
                "client_id", TestClients.DEMO_ID, "redirect_uri", TestClients.DEMO_REDIRECT, "scope",
                "openid wlcg.groups", "state", "s", "code_challenge", BrowserFlows.s256(verifier),
                "code_challenge_method", "S256"));
        assertThat(toLogin.location()).endsWith("/login");
        String requestId = start(browser, TestSaml.IDP);
        TestIdp.Spec spec = spec(requestId, uid);
        spec.encryptTo = saml.spSigner.certificate();   // Shibboleth's default: signed Response, encrypted assertion
        TesseraHttp.Response back = login(browser, TestIdp.base64(saml.idp(TestSaml.IDP).response(spec)));
        assertThat(back.status()).isEqualTo(302);
        assertThat(back.location()).contains("/authorize?");
        String callback = BrowserFlows.authorize(browser, back.location().substring(back.location().indexOf('?')
                + 1), "unused", "unused");
        String code = TesseraHttp.queryParameter(callback, "code").orElseThrow(() -> new AssertionError(callback));
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        TesseraHttp.Response token = BrowserFlows.redeemDemoCode(http, code, verifier);
        SignedJWT jwt = TokenVerifier.verify(http, (String) token.json().get("access_token"));
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo(aliceId);
        assertThat(BrowserFlows.groups(jwt)).contains("/escape");
        SignedJWT idToken = TokenVerifier.verify(http, (String) token.json().get("id_token"));
        assertThat(idToken.getJWTClaimsSet().getClaim("auth_time")).isNotNull();
        assertThat(jdbc.queryForObject("select count(*) from audit_event where event_type = 'login.success' and "
                + "actor = ? and details like '%saml%'", Long.class, aliceId)).isGreaterThanOrEqualTo(1);
        assertThat(jdbc.queryForObject("select last_login_at from account_identity where subject = ?",
                java.sql.Timestamp.class, uid)).isNotNull();

        // SCIM shows it as INDIGO IAM does (samlIds)
        String scimToken = TestClients.adminToken(properties.issuer(), "scim:read");
        assertThat(http.get("/scim/Users/" + aliceId, "Authorization", "Bearer " + scimToken).body()).contains(
                "{\"idpId\":\"" + TestSaml.IDP + "\",\"userId\":\"" + uid + "\",\"attributeId\":\""
                        + SamlAttributes.UNIQUE_ID + "\"}");
    }

    @Test
    void replaysAndCompletionsFromAnotherBrowserAreRefused() {
        String aliceId = jdbc.queryForObject("select id from account where username = 'alice'", String.class);
        String uid = uniqueId("alice");
        identities.link(aliceId, "SAML", "University 1", TestSaml.IDP, uid, "eduPersonUniqueId", null, aliceId);
        TesseraHttp browser = TesseraHttp.browser(properties.issuer());
        String requestId = start(browser, TestSaml.IDP);
        org.w3c.dom.Document signed = saml.idp(TestSaml.IDP).response(spec(requestId, uid));
        String assertionId = ((org.w3c.dom.Element) signed.getElementsByTagNameNS(TestIdp.SAML, "Assertion").item(0))
                .getAttribute("ID");
        String response = TestIdp.base64(signed);
        TesseraHttp.Response posted = post(browser, response);
        assertThat(posted.status()).isEqualTo(302);
        assertThat(jdbc.queryForObject("select idp_entity_id from saml_assertion_seen where id = ?", String.class,
                assertionId)).isEqualTo(TestSaml.IDP);   // one-time use, in the database for all instances

        // the same Response again: its request was used
        TesseraHttp.Response replayed = post(TesseraHttp.browser(properties.issuer()), response);
        assertThat(replayed.status()).isEqualTo(400);
        assertThat(replayed.body()).contains("expired or was already used");

        // another browser cannot pick up the validated login (login CSRF)
        TesseraHttp attacker = TesseraHttp.browser(properties.issuer());
        TesseraHttp.Response stolen = attacker.get(posted.location());
        assertThat(stolen.status()).isEqualTo(400);
        assertThat(stolen.body()).contains("not started in this browser");
        // the browser that started it can, once
        TesseraHttp.Response done = browser.get(posted.location());
        assertThat(done.status()).isEqualTo(302);
        assertThat(done.location()).endsWith("/account");
        assertThat(browser.get("/account").body()).contains("alice");
        assertThat(browser.get(posted.location()).status()).isEqualTo(400);
        assertThat(jdbc.queryForObject("select login_result from saml_request where id = ?", String.class, requestId))
                .isNull();

        // an assertion another instance has seen (the cache is the database's) is refused for a fresh request too
        TesseraHttp second = TesseraHttp.browser(properties.issuer());
        String requestId2 = start(second, TestSaml.IDP);
        org.w3c.dom.Document document = saml.idp(TestSaml.IDP).response(spec(requestId2, uid));
        org.w3c.dom.Element assertion = (org.w3c.dom.Element) document.getElementsByTagNameNS(TestIdp.SAML,
                "Assertion").item(0);
        jdbc.update("insert into saml_assertion_seen (id, idp_entity_id, expires_at) values (?, ?, ?)",
                assertion.getAttribute("ID"), TestSaml.IDP, java.sql.Timestamp.from(Instant.now().plusSeconds(300)));
        TesseraHttp.Response seen = post(second, TestIdp.base64(document));
        assertThat(seen.status()).isEqualTo(400);
        assertThat(seen.body()).contains("already used (replay)");
    }

    @Test
    void refusedResponsesGetAPageWithTheReasonAndAreAudited() {
        TesseraHttp browser = TesseraHttp.browser(properties.issuer());
        TestIdp idp = saml.idp(TestSaml.IDP);

        TestIdp.Spec wrongAudience = spec(start(browser, TestSaml.IDP), uniqueId("x"));
        wrongAudience.audience = "https://other-sp.example.org/shibboleth";
        TesseraHttp.Response audience = post(browser, TestIdp.base64(idp.response(wrongAudience)));
        assertThat(audience.status()).isEqualTo(400);
        assertThat(audience.body()).contains("meant for another service (Audience)");

        TestIdp.Spec unsigned = spec(start(browser, TestSaml.IDP), uniqueId("x"));
        unsigned.signResponse = false;
        assertThat(post(browser, TestIdp.base64(idp.response(unsigned))).body())
                .contains("neither the Response nor the Assertion is signed");

        TestIdp.Spec expired = spec(start(browser, TestSaml.IDP), uniqueId("x"));
        expired.notOnOrAfter = Instant.now().minusSeconds(3600);
        assertThat(post(browser, TestIdp.base64(idp.response(expired))).body()).contains("has expired");

        // signed by an IdP key that is not this IdP's in metadata
        TestIdp impostor = new TestIdp(TestSaml.IDP, saml.spSigner);
        assertThat(post(browser, TestIdp.base64(impostor.response(spec(start(browser, TestSaml.IDP), uniqueId("x")))))
                .body()).contains("does not verify");

        // another IdP answering the request sent to idp1
        TestIdp.Spec otherIdp = spec(start(browser, TestSaml.IDP), uniqueId("x"));
        assertThat(post(browser, TestIdp.base64(saml.idp(TestSaml.TRUSTED_IDP).response(otherIdp))).body())
                .contains("not by the identity provider the login went to");

        TestIdp.Spec failed = spec(start(browser, TestSaml.IDP), uniqueId("x"));
        failed.status = "urn:oasis:names:tc:SAML:2.0:status:Responder";
        failed.subStatus = "urn:oasis:names:tc:SAML:2.0:status:AuthnFailed";
        TesseraHttp.Response status = post(browser, TestIdp.base64(idp.response(failed)));
        assertThat(status.status()).isEqualTo(401);
        assertThat(status.body()).contains("did not log you in (Responder/AuthnFailed)");

        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\">&x;</samlp:Response>";
        TesseraHttp.Response doctype = post(browser, TestIdp.base64(xxe));
        assertThat(doctype.status()).isEqualTo(400);
        assertThat(doctype.body()).contains("DOCTYPE is refused").doesNotContain("root:");

        TestIdp.Spec unsolicited = spec(null, uniqueId("x"));
        unsolicited.subjectInResponseTo = "";
        assertThat(post(browser, TestIdp.base64(idp.response(unsolicited))).body()).contains("unsolicited");
        assertThat(post(browser, "%%% not base64").status()).isEqualTo(400);
        TesseraHttp.Response missing = browser.postForm("/saml/acs", "");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body()).contains("no SAMLResponse");
        assertThat(jdbc.queryForObject("select count(*) from audit_event where event_type = 'login.failure' and "
                + "details like '%Audience%'", Long.class)).isGreaterThanOrEqualTo(1);
    }

    @Test
    void unknownIdentityThenRegistrationPrefilledAndApprovalLinksIt() throws Exception {
        String uid = uniqueId("erin");
        TesseraHttp browser = TesseraHttp.browser(properties.issuer());
        TestIdp.Spec spec = spec(start(browser, TestSaml.IDP), uid);
        spec.attributes.remove(SamlAttributes.UNIQUE_ID);   // the second identifier in the order: subject-id
        spec.attribute(SamlAttributes.SUBJECT_ID, uid);
        TesseraHttp.Response back = login(browser, TestIdp.base64(saml.idp(TestSaml.IDP).response(spec)));
        assertThat(back.location()).endsWith("/login/external");
        assertThat(browser.get("/login/external").body()).contains("is not linked to an account here",
                "Register with your University 1 (en) account");
        String email = uid.replace("@", ".") + "@mail.example1.org";
        String form = browser.get("/registration").body();
        assertThat(form).contains("value=\"" + email + "\"", "value=\"Sam\"", "value=\"Lee\"");
        String username = "saml-" + uid.substring(5, 13);
        assertThat(browser.postForm("/registration", TesseraHttp.form("username", username, "email", email,
                "givenName", "Sam", "familyName", "Lee", "aup", "true", "_csrf", BrowserFlows.csrf(form))).body())
                .contains("Check your mailbox");
        String id = jdbc.queryForObject("select id from registration_request where username = ?", String.class,
                username);
        assertThat(jdbc.queryForMap("select identity_type, identity_issuer, identity_subject, identity_attribute from "
                + "registration_request where id = ?", id)).containsEntry("identity_type", "SAML")
                .containsEntry("identity_issuer", TestSaml.IDP).containsEntry("identity_subject", uid)
                .containsEntry("identity_attribute", "subject-id");

        BrowserFlows.confirmRegistration(browser, properties.issuer(), email);
        BrowserFlows.approveRegistration(properties.issuer(), id);

        TesseraHttp fresh = TesseraHttp.browser(properties.issuer());
        TestIdp.Spec again = spec(start(fresh, TestSaml.IDP), uid);
        again.attributes.remove(SamlAttributes.UNIQUE_ID);
        again.attribute(SamlAttributes.SUBJECT_ID, uid);
        TesseraHttp.Response in = login(fresh, TestIdp.base64(saml.idp(TestSaml.IDP).response(again)));
        assertThat(in.location()).endsWith("/account");
        assertThat(fresh.get("/account").body()).contains(username);
        assertThat(jdbc.queryForMap("select a.username, i.type, i.attribute from account_identity i join account a "
                + "on a.id = i.account_id where i.subject = ?", uid)).containsEntry("username", username)
                .containsEntry("type", "SAML").containsEntry("attribute", "subject-id");
    }

    @Test
    void trustedIdpCreatesTheAccountJustInTimeWithTheDefaultGroups() {
        String uid = uniqueId("jit");
        TesseraHttp browser = TesseraHttp.browser(properties.issuer());
        TestIdp.Spec spec = spec(start(browser, TestSaml.TRUSTED_IDP), uid);
        spec.attribute(SamlAttributes.UID, "jit" + uid.substring(4, 12));
        TesseraHttp.Response in = login(browser, TestIdp.base64(saml.idp(TestSaml.TRUSTED_IDP).response(spec)));
        assertThat(in.location()).endsWith("/account");
        Map<String, Object> account = jdbc.queryForMap("select a.id, a.username, a.email, a.given_name, "
                + "a.family_name from account_identity i join account a on a.id = i.account_id where i.subject = ?",
                uid);
        assertThat(account).containsEntry("username", "jit" + uid.substring(4, 12)).containsEntry("given_name", "Sam")
                .containsEntry("family_name", "Lee").containsEntry("email", uid.replace("@", ".")
                        + "@mail.example1.org");
        assertThat(jdbc.queryForList("select g.path from membership m join vo_group g on g.id = m.group_id where "
                + "m.account_id = ?", String.class, account.get("id"))).containsExactly("/escape");
        assertThat(jdbc.queryForObject("select count(*) from audit_event where event_type = "
                + "'account.created_just_in_time' and target = ?", Long.class, account.get("id"))).isEqualTo(1);
        // no password, no certificate: the institution identity is the only way in and cannot be unlinked
        String identityId = jdbc.queryForObject("select id from account_identity where subject = ?", String.class,
                uid);
        TesseraHttp.Response kept = browser.postForm("/account/identities/" + identityId + "/unlink",
                TesseraHttp.form("_csrf", BrowserFlows.csrf(browser.get("/account").body())));
        assertThat(kept.status()).isEqualTo(409);
        assertThat(kept.body()).contains("only way to log in");
        assertThat(jdbc.queryForObject("select count(*) from account_identity where id = ?", Long.class, identityId))
                .isEqualTo(1);

        // no identifier the order accepts: refused with what to ask the institution, nothing created
        TesseraHttp other = TesseraHttp.browser(properties.issuer());
        TestIdp.Spec anonymous = spec(start(other, TestSaml.TRUSTED_IDP), uniqueId("anon"));
        anonymous.attributes.remove(SamlAttributes.UNIQUE_ID);
        anonymous.nameIdFormat = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";
        long accounts = jdbc.queryForObject("select count(*) from account", Long.class);
        TesseraHttp.Response refused = login(other, TestIdp.base64(saml.idp(TestSaml.TRUSTED_IDP).response(anonymous)));
        assertThat(refused.location()).endsWith("/login/external");
        assertThat(other.get("/login/external").body()).contains("did not release an identifier this service accepts");
        assertThat(jdbc.queryForObject("select count(*) from account", Long.class)).isEqualTo(accounts);
    }

    private String adminToken(String scope) {
        return TestClients.adminToken(properties.issuer(), scope);
    }

    @Test
    void anAdminMarksAnIdpTrustedAtRunTimeThenItsUsersGetAccountsJustInTime() {
        String idp2 = "https://idp2.example2.org/idp/shibboleth";
        TesseraHttp api = TesseraHttp.to(properties.issuer());
        String write = "Bearer " + adminToken("iam:admin.write");
        assertThat(api.get("/iam/saml/trusted-idps", "Authorization", "Bearer " + adminToken("iam:admin.read"))
                .body()).contains("\"entityId\":\"" + TestSaml.TRUSTED_IDP + "\"", "\"source\":\"configuration\"")
                .doesNotContain(idp2);

        // not trusted yet: an unknown user is sent to registration
        String uid = uniqueId("rt");
        TesseraHttp first = TesseraHttp.browser(properties.issuer());
        assertThat(login(first, TestIdp.base64(saml.idp(idp2).response(spec(start(first, idp2), uid)))).location())
                .endsWith("/login/external");

        TesseraHttp.Response marked = api.sendJson("POST", "/iam/saml/trusted-idps", "{\"entityId\":\"" + idp2
                + "\"}", "Authorization", write);
        assertThat(marked.status()).as(marked.body()).isEqualTo(201);
        assertThat(marked.body()).contains("\"source\":\"admin\"", "\"displayName\":\"University 2 (en)\"");
        assertThat(jdbc.queryForObject("select count(*) from audit_event where event_type = 'saml.idp_trusted' and "
                + "target = ?", Long.class, idp2)).isEqualTo(1);
        TesseraHttp second = TesseraHttp.browser(properties.issuer());
        assertThat(login(second, TestIdp.base64(saml.idp(idp2).response(spec(start(second, idp2), uid)))).location())
                .endsWith("/account");
        assertThat(jdbc.queryForObject("select count(*) from account_identity where issuer = ? and subject = ?",
                Long.class, idp2, uid)).isEqualTo(1);

        // bad requests are problem+json, nothing changed
        TesseraHttp.Response again = api.sendJson("POST", "/iam/saml/trusted-idps", "{\"entityId\":\"" + idp2
                + "\"}", "Authorization", write);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.header("Content-Type")).contains("application/problem+json");
        assertThat(api.sendJson("POST", "/iam/saml/trusted-idps", "{\"entityId\":\"https://nowhere.example.org\"}",
                "Authorization", write).status()).isEqualTo(404);
        assertThat(api.sendJson("POST", "/iam/saml/trusted-idps", "{}", "Authorization", write).status())
                .isEqualTo(400);
        assertThat(api.sendJson("POST", "/iam/saml/trusted-idps", "{not json", "Authorization", write).status())
                .isEqualTo(400);
        assertThat(api.sendJson("POST", "/iam/saml/trusted-idps", "{\"entityId\":\"" + idp2 + "\"}",
                "Authorization", "Bearer " + adminToken("iam:admin.read")).status()).isEqualTo(403);
        assertThat(api.sendJson("DELETE", "/iam/saml/trusted-idps?entityId=" + URLEncoder.encode(
                TestSaml.TRUSTED_IDP, StandardCharsets.UTF_8), null, "Authorization", write).status()).isEqualTo(409);

        assertThat(api.sendJson("DELETE", "/iam/saml/trusted-idps?entityId=" + URLEncoder.encode(idp2,
                StandardCharsets.UTF_8), null, "Authorization", write).status()).isEqualTo(204);
        assertThat(api.sendJson("DELETE", "/iam/saml/trusted-idps?entityId=" + URLEncoder.encode(idp2,
                StandardCharsets.UTF_8), null, "Authorization", write).status()).isEqualTo(404);
        TesseraHttp third = TesseraHttp.browser(properties.issuer());
        assertThat(login(third, TestIdp.base64(saml.idp(idp2).response(spec(start(third, idp2), uniqueId("rt")))))
                .location()).endsWith("/login/external");
    }

    @Test
    void memberLinksAnInstitutionAccountFromTheAccountPageOnceOnly() {
        String uid = uniqueId("link");
        TesseraHttp alice = TesseraHttp.browser(properties.issuer());
        BrowserFlows.login(alice, TestAccounts.ALICE, TestAccounts.ALICE_PASSWORD);
        String page = alice.get("/account").body();
        assertThat(page).contains("Link your institution account");
        TesseraHttp.Response toDiscovery = alice.postForm("/account/identities/link-saml", TesseraHttp.form("_csrf",
                BrowserFlows.csrf(page)));
        assertThat(toDiscovery.location()).endsWith("/saml/discovery");
        TesseraHttp.Response linked = login(alice, TestIdp.base64(saml.idp(TestSaml.IDP).response(spec(
                start(alice, TestSaml.IDP), uid))));
        assertThat(linked.location()).endsWith("/account?identityLinked");
        String aliceId = jdbc.queryForObject("select id from account where username = 'alice'", String.class);
        assertThat(jdbc.queryForMap("select account_id, provider, attribute from account_identity where subject = ?",
                uid)).containsEntry("account_id", aliceId).containsEntry("provider", "University 1 (en)")
                .containsEntry("attribute", "eduPersonUniqueId");
        assertThat(alice.get("/account").body()).contains("University 1 (en)", "(institution)");
        assertThat(jdbc.queryForObject("select count(*) from audit_event where event_type = 'identity.linked' and "
                + "target = ? and details like ?", Long.class, aliceId, "%" + uid + "%")).isEqualTo(1);

        // the admin cannot link the same institution account
        TesseraHttp admin = TesseraHttp.browser(properties.issuer());
        BrowserFlows.login(admin, "admin", TestAccounts.ADMIN_PASSWORD);
        admin.postForm("/account/identities/link-saml", TesseraHttp.form("_csrf", BrowserFlows.csrf(admin
                .get("/account").body())));
        TesseraHttp.Response conflict = login(admin, TestIdp.base64(saml.idp(TestSaml.IDP).response(spec(
                start(admin, TestSaml.IDP), uid))));
        assertThat(conflict.location()).endsWith("/login/external");
        assertThat(admin.get("/login/external").body()).contains("is linked to another account");
        assertThat(jdbc.queryForObject("select account_id from account_identity where subject = ?", String.class,
                uid)).isEqualTo(aliceId);

        // without CSRF token the link is not started
        assertThat(alice.postForm("/account/identities/link-saml", "").status()).isEqualTo(403);

        // alice (she has a password) unlinks it; the institution account is then unknown again
        String identityId = jdbc.queryForObject("select id from account_identity where subject = ?", String.class,
                uid);
        assertThat(alice.postForm("/account/identities/" + identityId + "/unlink", TesseraHttp.form("_csrf",
                BrowserFlows.csrf(alice.get("/account").body()))).location()).endsWith("/account?identityUnlinked");
        assertThat(jdbc.queryForObject("select count(*) from account_identity where subject = ?", Long.class, uid))
                .isZero();
        assertThat(jdbc.queryForObject("select count(*) from audit_event where event_type = 'identity.unlinked' and "
                + "target = ? and details like ?", Long.class, aliceId, "%" + uid + "%")).isEqualTo(1);
        TesseraHttp fresh = TesseraHttp.browser(properties.issuer());
        TesseraHttp.Response unknown = login(fresh, TestIdp.base64(saml.idp(TestSaml.IDP).response(spec(
                start(fresh, TestSaml.IDP), uid))));
        assertThat(unknown.location()).endsWith("/login/external");
        assertThat(fresh.get("/login/external").body()).contains("is not linked to an account here");
    }
}
