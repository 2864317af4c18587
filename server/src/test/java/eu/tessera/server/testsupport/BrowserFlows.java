package eu.tessera.server.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Drives the login and consent pages the way a browser does (forms, cookies, CSRF tokens). */
public final class BrowserFlows {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");
    private static final Pattern SCOPE = Pattern.compile("name=\"scope\"[^>]*value=\"([^\"]+)\"");
    private static final Pattern STATE = Pattern.compile("name=\"state\"[^>]*value=\"([^\"]+)\"");
    private static final Pattern ACTION = Pattern.compile("<form id=\"consent\" method=\"post\" action=\"([^\"]+)\"");
    private static final Pattern USER_CODE = Pattern.compile("name=\"user_code\"[^>]*value=\"([^\"]+)\"");

    private BrowserFlows() {
    }

    /** Posts a form as the page {@code withCsrf} (any page of the session with a form) would: its CSRF token added. */
    public static TesseraHttp.Response post(TesseraHttp browser, String withCsrf, String path, String... fields) {
        String[] all = java.util.Arrays.copyOf(fields, fields.length + 2);
        all[fields.length] = "_csrf";
        all[fields.length + 1] = csrf(withCsrf);
        return browser.postForm(path, TesseraHttp.form(all));
    }

    public static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        assertThat(m.find()).as("CSRF token in page").isTrue();
        return m.group(1);
    }

    /** Logs in on /login; returns the response to the login POST. */
    public static TesseraHttp.Response login(TesseraHttp browser, String username, String password,
            String... headers) {
        TesseraHttp.Response page = browser.get("/login");
        assertThat(page.status()).isEqualTo(200);
        return browser.postForm("/login", TesseraHttp.form("username", username, "password", password,
                "_csrf", csrf(page.body())), headers);
    }

    /**
     * Runs an authorization request through login (if needed) and consent (approving everything asked);
     * returns the final redirect URL to the client.
     */
    public static String authorize(TesseraHttp browser, String authorizeQuery, String username, String password) {
        TesseraHttp.Response response = browser.get("/authorize?" + authorizeQuery);
        for (int hops = 0; hops < 10; hops++) {
            if (response.status() != 302) {
                return "status:" + response.status();
            }
            String location = response.location();
            if (location.startsWith(TestClients.DEMO_REDIRECT) || !location.startsWith(browser.base())
                    && location.startsWith("http")) {
                return location;
            }
            if (location.endsWith("/login")) {
                response = login(browser, username, password);
                continue;
            }
            if (location.contains("/oauth2/consent")) {
                TesseraHttp.Response consent = browser.get(location);
                assertThat(consent.status()).isEqualTo(200);
                response = approve(browser, consent.body(), TesseraHttp.queryParameter(location, "client_id").get());
                continue;
            }
            response = browser.get(location);
        }
        throw new AssertionError("too many redirects");
    }

    /**
     * Enters a device's user code on the verification page, logs in if needed and approves (or denies) the
     * consent; returns the final redirect (the device page with {@code approved}, {@code denied} or {@code error}).
     */
    public static String verifyDevice(TesseraHttp browser, String userCode, String username, String password,
            boolean approve) {
        assertThat(browser.get("/device").status()).isEqualTo(200);
        TesseraHttp.Response response = browser.get("/device?" + TesseraHttp.form("user_code", userCode));
        for (int hops = 0; hops < 10; hops++) {
            assertThat(response.status()).as(response.body()).isEqualTo(302);
            String location = response.location();
            if (location.contains("/device?")) {
                return location;
            }
            if (location.endsWith("/login")) {
                response = login(browser, username, password);
            } else if (location.contains("/oauth2/consent")) {
                String html = browser.get(location).body();
                String clientId = TesseraHttp.queryParameter(location, "client_id").get();
                response = approve ? approve(browser, html, clientId) : deny(browser, html, clientId);
            } else {
                response = browser.get(location);
            }
        }
        throw new AssertionError("too many redirects");
    }

    private static TesseraHttp.Response deny(TesseraHttp browser, String html, String clientId) {
        Matcher state = STATE.matcher(html);
        assertThat(state.find()).isTrue();
        Matcher userCode = USER_CODE.matcher(html);
        assertThat(userCode.find()).isTrue();
        return browser.postForm("/device/verify", TesseraHttp.form("client_id", clientId, "state",
                state.group(1).replace("&amp;", "&"), "user_code", userCode.group(1)));
    }

    public static TesseraHttp.Response approve(TesseraHttp browser, String html, String clientId) {
        List<String> form = new ArrayList<>(List.of("client_id", clientId));
        Matcher userCode = USER_CODE.matcher(html);
        if (userCode.find()) {
            form.add("user_code");
            form.add(userCode.group(1));
        }
        Matcher action = ACTION.matcher(html);
        assertThat(action.find()).as("consent form").isTrue();
        Matcher state = STATE.matcher(html);
        assertThat(state.find()).isTrue();
        form.add("state");
        form.add(state.group(1).replace("&amp;", "&"));
        Matcher scope = SCOPE.matcher(html);
        while (scope.find()) {
            form.add("scope");
            form.add(scope.group(1));
        }
        Matcher csrf = CSRF.matcher(html);
        if (csrf.find()) {
            form.add("_csrf");
            form.add(csrf.group(1));
        }
        return browser.postForm(action.group(1), TesseraHttp.form(form.toArray(String[]::new)));
    }

    /** Opens the confirmation link mailed to {@code email} in {@code browser} and confirms the registration. */
    public static void confirmRegistration(TesseraHttp browser, String issuer, String email) {
        String link = TestMail.link(TestMail.get().await(email, 1).get(0), issuer + "/registration/confirm?token=");
        TesseraHttp.Response page = browser.get(link);
        browser.postForm("/registration/confirm", TesseraHttp.form("token", TesseraHttp.queryParameter(link, "token")
                .orElseThrow(), "_csrf", csrf(page.body())));
    }

    /** An admin approves registration request {@code id} through the API; asserts it was approved. */
    public static void approveRegistration(String issuer, String id) {
        String admin = TestClients.adminToken(issuer, "iam:admin.write");
        TesseraHttp.Response approved = TesseraHttp.to(issuer).sendJson("POST", "/iam/registrations/" + id
                + "/approve", null, "Authorization", "Bearer " + admin);
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
    }

    /** Redeems an authorization code of the demo client (PKCE verifier); asserts it gave tokens. */
    public static TesseraHttp.Response redeemDemoCode(TesseraHttp http, String code, String verifier) {
        TesseraHttp.Response token = http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET, "grant_type",
                "authorization_code", "code", code, "redirect_uri", TestClients.DEMO_REDIRECT, "code_verifier",
                verifier);
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        return token;
    }

    /** The {@code wlcg.groups} of a verified token. */
    @SuppressWarnings("unchecked")
    public static List<String> groups(com.nimbusds.jwt.SignedJWT jwt) throws java.text.ParseException {
        return (List<String>) jwt.getJWTClaimsSet().getClaim("wlcg.groups");
    }

    /** RFC 7636 S256 challenge of a verifier. */
    public static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
