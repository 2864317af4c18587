package eu.tessera.server.oauth2.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.BrowserFlows;
import eu.tessera.server.testsupport.TestAccounts;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import eu.tessera.server.testsupport.TokenVerifier;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The per-client token profiles: {@code aarc} entitlements and INDIGO IAM's {@code groups}. */
@TesseraIntegrationTest
class TokenProfilesIT {

    @Autowired
    TesseraProperties properties;

    private JWTClaimsSet userToken(String profile, String scope) throws Exception {
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        String admin = (String) http.token(TestClients.ADMIN_ID, TestClients.ADMIN_SECRET, "grant_type",
                "client_credentials", "scope", "iam:admin.write").json().get("access_token");
        Map<String, Object> client = http.sendJson("POST", "/register", """
                {"client_name":"%s app","grant_types":["authorization_code"],"token_profile":"%s",
                 "redirect_uris":["%s"],"scope":"openid wlcg.groups"}""".formatted(profile, profile,
                TestClients.DEMO_REDIRECT), "Authorization", "Bearer " + admin).json();
        String verifier = "p".repeat(60);
        String redirect = BrowserFlows.authorize(TesseraHttp.browser(properties.issuer()), TesseraHttp.form(
                "response_type", "code", "client_id", (String) client.get("client_id"),
                "redirect_uri", TestClients.DEMO_REDIRECT, "scope", scope, "state", "s",
                "code_challenge", BrowserFlows.s256(verifier), "code_challenge_method", "S256"),
                TestAccounts.ALICE, TestAccounts.ALICE_PASSWORD);
        TesseraHttp.Response token = http.token((String) client.get("client_id"), (String) client.get("client_secret"),
                "grant_type", "authorization_code", "code", TesseraHttp.queryParameter(redirect, "code").orElseThrow(),
                "redirect_uri", TestClients.DEMO_REDIRECT, "code_verifier", verifier);
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        return TokenVerifier.verify(http, (String) token.json().get("access_token")).getJWTClaimsSet();
    }

    @Test
    void aarcProfileWhenUserTokenThenEntitlementUrnsWithoutWlcgClaims() throws Exception {
        JWTClaimsSet claims = userToken("aarc", "openid wlcg.groups:/escape/data-manager");
        String host = URI.create(properties.issuer()).getHost();
        assertThat(claims.getStringListClaim("eduperson_entitlement")).containsExactly(
                "urn:geant:" + host + ":group:escape:data-manager#" + host,
                "urn:geant:" + host + ":group:escape#" + host,
                "urn:geant:" + host + ":group:escape:cms#" + host);
        assertThat(claims.getClaim("wlcg.groups")).isNull();
        assertThat(claims.getClaim("wlcg.ver")).isNull();
    }

    @Test
    void iamProfileWhenUserTokenThenGroupsAndUsername() throws Exception {
        JWTClaimsSet claims = userToken("iam", "openid");
        assertThat(claims.getStringListClaim("groups")).containsExactly("escape", "escape/cms");
        assertThat(claims.getStringClaim("preferred_username")).isEqualTo("alice");
        assertThat(claims.getStringClaim("organisation_name")).isEqualTo(properties.organisationName());
    }
}
