package eu.tessera.server.testsupport;

/** Clients of the integration-test VO. */
public final class TestClients {

    public static final String ADMIN_ID = "admin-client";
    public static final String ADMIN_SECRET = "admin-client-it-secret";
    /** Confidential demo client: code, refresh, client credentials; storage.read:/escape and friends. */
    public static final String DEMO_ID = "demo-client";
    public static final String DEMO_SECRET = "demo-client-it-secret";
    public static final String DEMO_REDIRECT = "http://127.0.0.1:9876/callback";

    private TestClients() {
    }

    /** An access token of the admin API client at {@code issuer} (client credentials) for {@code scope}. */
    public static String adminToken(String issuer, String scope) {
        return (String) TesseraHttp.to(issuer).token(ADMIN_ID, ADMIN_SECRET, "grant_type", "client_credentials",
                "scope", scope).json().get("access_token");
    }
}
