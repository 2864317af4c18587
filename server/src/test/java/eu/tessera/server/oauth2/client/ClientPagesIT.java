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

        TesseraHttp.Response rotated = admin.postForm("/admin/clients/" + id, TesseraHttp.form("action", "rotate",
                "_csrf", BrowserFlows.csrf(page)));
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
                "client.secret_rotated", "client.disabled", "client.enabled");
        assertThat(admin.get("/admin/clients/no-such-client").status()).isEqualTo(404);
    }
}
