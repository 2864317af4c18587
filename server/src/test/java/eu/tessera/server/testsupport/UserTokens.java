package eu.tessera.server.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

/** Tokens of a member (the demo member alice by default) for the demo client, through login, consent and PKCE. */
public final class UserTokens {

    private UserTokens() {
    }

    public static Map<String, Object> alice(String issuer, String scope) {
        return of(issuer, TestAccounts.ALICE, TestAccounts.ALICE_PASSWORD, scope);
    }

    /** The token response for {@code username}. */
    public static Map<String, Object> of(String issuer, String username, String password, String scope) {
        String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
        String redirect = BrowserFlows.authorize(TesseraHttp.browser(issuer), TesseraHttp.form("response_type", "code",
                "client_id", TestClients.DEMO_ID, "redirect_uri", TestClients.DEMO_REDIRECT, "scope", scope,
                "state", "s", "code_challenge", BrowserFlows.s256(verifier), "code_challenge_method", "S256"),
                username, password);
        String code = TesseraHttp.queryParameter(redirect, "code").orElseThrow(() -> new AssertionError(redirect));
        TesseraHttp.Response response = TesseraHttp.to(issuer).token(TestClients.DEMO_ID, TestClients.DEMO_SECRET,
                "grant_type", "authorization_code", "code", code, "redirect_uri", TestClients.DEMO_REDIRECT,
                "code_verifier", verifier);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }
}
