package eu.tessera.server.oauth2.client;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.BrowserFlows;
import eu.tessera.server.testsupport.TestAccounts;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Clients in the administration pages: create (the secret shown once), edit, rotate, disable and enable, as /token sees it. */
@TesseraIntegrationTest
class ClientPagesIT {

    private static final Pattern ID = Pattern.compile("id=\"client-id\">([^<]+)<");
    private static final Pattern SECRET = Pattern.compile("id=\"client-secret\">([^<]+)<");

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;

    private static String group(Pattern pattern, String html) {
        Matcher matcher = pattern.matcher(html);
        assertThat(matcher.find()).as(html).isTrue();
        return matcher.group(1);
    }

    @Test
    void adminCreatesEditsRotatesDisablesAndEnablesAClientOnItsPages() {
        TesseraHttp admin = TesseraHttp.browser(properties.issuer());
        BrowserFlows.login(admin, "admin", TestAccounts.ADMIN_PASSWORD);
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        assertThat(admin.get("/admin/clients").body()).contains("id=\"new-client\"");
        String form = admin.get("/admin/clients/new").body();
        assertThat(form).contains("Grant types", "Token profile");

        // refused input comes back on the form with the reason
        TesseraHttp.Response refused = admin.postForm("/admin/clients/new", TesseraHttp.form("name", "web app",
                "grant", "authorization_code", "scope", "openid", "_csrf", BrowserFlows.csrf(form)));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("authorization_code needs redirect_uris", "value=\"web app\"");

        TesseraHttp.Response created = admin.postForm("/admin/clients/new", TesseraHttp.form("name", "FTS pages",
                "description", "moves files", "grant", "client_credentials", "scope", "compute.read",
                "authMethod", "client_secret_basic", "profile", "wlcg", "contacts", "ops@example.org",
                "_csrf", BrowserFlows.csrf(form)));
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.body()).contains("shown only this once");
        String id = group(ID, created.body());
        String secret = group(SECRET, created.body());
        assertThat(http.token(id, secret, "grant_type", "client_credentials").status()).isEqualTo(200);
        assertThat(jdbc.queryForObject("select client_description from oauth_client where client_id = ?", String.class,
                id)).isEqualTo("moves files");

        String page = admin.get("/admin/clients/" + id).body();
        assertThat(page).contains("FTS pages", "enabled").doesNotContain(secret);
        assertThat(admin.postForm("/admin/clients/" + id, TesseraHttp.form("action", "save", "name", "FTS pages",
                "grant", "client_credentials", "scope", "compute.read compute.create", "profile", "wlcg",
                "_csrf", BrowserFlows.csrf(page))).location()).endsWith("/admin/clients/" + id + "?saved");
        assertThat(jdbc.queryForObject("select scopes from oauth_client where client_id = ?", String.class, id))
                .contains("compute.create");

        // rotating asks first: the secret still works until confirmed
        TesseraHttp.Response asked = admin.postForm("/admin/clients/" + id, TesseraHttp.form("action", "rotate",
                "_csrf", BrowserFlows.csrf(page)));
        assertThat(asked.body()).contains("The current secret stops working at once").doesNotContain("client-secret");
        assertThat(http.token(id, secret, "grant_type", "client_credentials").status()).isEqualTo(200);
        TesseraHttp.Response rotated = admin.postForm("/admin/clients/" + id, TesseraHttp.form("action", "rotate",
                "confirmed", "yes", "_csrf", BrowserFlows.csrf(page)));
        String newSecret = group(SECRET, rotated.body());
        assertThat(http.token(id, secret, "grant_type", "client_credentials").status()).isEqualTo(401);
        assertThat(http.token(id, newSecret, "grant_type", "client_credentials").status()).isEqualTo(200);

        admin.postForm("/admin/clients/" + id, TesseraHttp.form("action", "disable", "_csrf", BrowserFlows.csrf(page)));
        assertThat(admin.get("/admin/clients/" + id).body()).contains("id=\"client-state\">disabled<");
        assertThat(http.token(id, newSecret, "grant_type", "client_credentials").status()).isEqualTo(401);
        admin.postForm("/admin/clients/" + id, TesseraHttp.form("action", "enable", "_csrf", BrowserFlows.csrf(page)));
        assertThat(http.token(id, newSecret, "grant_type", "client_credentials").status()).isEqualTo(200);
        assertThat(jdbc.queryForList("select event_type from audit_event where target = ? and event_type like "
                + "'client.%' order by id", String.class, id)).containsExactly("client.created", "client.updated",
                // the old secret refused after the rotation, the client refused while disabled
                "client.secret_rotated", "client.authentication_failure", "client.disabled",
                "client.authentication_failure", "client.enabled");
        assertThat(admin.get("/admin/clients/no-such-client").status()).isEqualTo(404);
    }

    @Autowired
    ClientUsage usage;

    @Test
    void pkceLifetimesOwnerAndLastUseOnTheClientPage() throws Exception {
        TesseraHttp admin = TesseraHttp.browser(properties.issuer());
        BrowserFlows.login(admin, "admin", TestAccounts.ADMIN_PASSWORD);
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        String form = admin.get("/admin/clients/new").body();
        assertThat(form).contains("Require PKCE", "Access token (at most");
        // a lifetime above the server's maximum is refused with the reason, nothing created
        long before = jdbc.queryForObject("select count(*) from oauth_client", Long.class);
        TesseraHttp.Response tooLong = admin.postForm("/admin/clients/new", TesseraHttp.form("name", "Portal",
                "grant", "authorization_code", "grant", "client_credentials", "redirectUris",
                "https://portal.example.org/cb", "scope", "openid", "access", "99999999", "_csrf",
                BrowserFlows.csrf(form)));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.body()).contains("access_token_validity_seconds");
        assertThat(admin.postForm("/admin/clients/new", TesseraHttp.form("name", "Portal", "grant",
                "client_credentials", "scope", "openid", "access", "ten", "_csrf", BrowserFlows.csrf(form))).body())
                .contains("whole number of seconds");
        assertThat(jdbc.queryForObject("select count(*) from oauth_client", Long.class)).isEqualTo(before);

        TesseraHttp.Response created = admin.postForm("/admin/clients/new", TesseraHttp.form("name", "Portal",
                "grant", "authorization_code", "grant", "client_credentials", "redirectUris",
                "https://portal.example.org/cb", "scope", "openid compute.read", "authMethod", "client_secret_basic",
                "requirePkce", "true", "access", "600", "_csrf", BrowserFlows.csrf(form)));
        String id = group(ID, created.body());
        String secret = group(SECRET, created.body());
        assertThat(admin.get("/admin/clients/" + id).body()).contains("id=\"client-last-used\">no token yet<");
        TesseraHttp.Response token = http.token(id, secret, "grant_type", "client_credentials", "scope",
                "compute.read");
        com.nimbusds.jwt.JWTClaimsSet claims = com.nimbusds.jwt.SignedJWT.parse((String) token.json()
                .get("access_token")).getJWTClaimsSet();
        assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(600_000);
        // PKCE required of this confidential client: an authorization request without a code challenge is refused
        TesseraHttp.Response noPkce = admin.get("/authorize?" + TesseraHttp.form("response_type", "code", "client_id",
                id, "redirect_uri", "https://portal.example.org/cb", "scope", "openid", "state", "s1"));
        assertThat(noPkce.location()).startsWith("https://portal.example.org/cb").contains("error=invalid_request")
                .contains("code_challenge");
        TesseraHttp.Response withPkce = admin.get("/authorize?" + TesseraHttp.form("response_type", "code",
                "client_id", id, "redirect_uri", "https://portal.example.org/cb", "scope", "openid", "state", "s2",
                "code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "code_challenge_method", "S256"));
        assertThat(withPkce.location()).doesNotContain("error=");
        // not required any more once unticked
        String page = admin.get("/admin/clients/" + id).body();
        assertThat(page).contains("id=\"requirePkce\" checked", "value=\"600\"");
        admin.postForm("/admin/clients/" + id, TesseraHttp.form("action", "save", "name", "Portal", "grant",
                "authorization_code", "grant", "client_credentials", "redirectUris", "https://portal.example.org/cb",
                "scope", "openid compute.read", "profile", "wlcg", "access", "", "_csrf", BrowserFlows.csrf(page)));
        assertThat(jdbc.queryForObject("select require_pkce from oauth_client where client_id = ?", Boolean.class, id))
                .isFalse();
        assertThat(admin.get("/authorize?" + TesseraHttp.form("response_type", "code", "client_id", id,
                "redirect_uri", "https://portal.example.org/cb", "scope", "openid", "state", "s3")).location())
                .doesNotContain("error=");

        // the day of the last token, written by the flush (issuing itself writes nothing)
        assertThat(jdbc.queryForObject("select last_used_on from oauth_client where client_id = ?", java.sql.Date.class,
                id)).isNull();
        usage.flush();
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        assertThat(admin.get("/admin/clients/" + id).body()).contains("id=\"client-last-used\">" + today);
        assertThat(admin.get("/admin/clients?q=portal").body()).contains(today);

        // owner: set by username, shown, removed; an unknown username is said
        page = admin.get("/admin/clients/" + id).body();
        assertThat(admin.postForm("/admin/clients/" + id, TesseraHttp.form("action", "owner", "username", "alice",
                "_csrf", BrowserFlows.csrf(page))).location()).endsWith("?owner");
        assertThat(jdbc.queryForObject("select a.username from oauth_client c join account a on a.id = "
                + "c.owner_account_id where c.client_id = ?", String.class, id)).isEqualTo("alice");
        assertThat(admin.get("/admin/clients/" + id).body()).contains("id=\"client-owner\">alice<");
        TesseraHttp.Response unknown = admin.postForm("/admin/clients/" + id, TesseraHttp.form("action", "owner",
                "username", "nobody-here", "_csrf", BrowserFlows.csrf(page)));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).contains("There is no account nobody-here");
        admin.postForm("/admin/clients/" + id, TesseraHttp.form("action", "unowner", "_csrf", BrowserFlows.csrf(page)));
        assertThat(jdbc.queryForObject("select owner_account_id from oauth_client where client_id = ?", String.class,
                id)).isNull();
        assertThat(jdbc.queryForList("select event_type from audit_event where target = ? and event_type like "
                + "'client.owner%' order by id", String.class, id)).containsExactly("client.owner_set",
                "client.owner_removed");
    }
}
