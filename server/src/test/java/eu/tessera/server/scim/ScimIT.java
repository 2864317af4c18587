package eu.tessera.server.scim;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import eu.tessera.server.testsupport.UserTokens;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** SCIM 2.0 Users, Groups and Me as the Rucio sync scripts and provisioning tools use them. */
@TesseraIntegrationTest
class ScimIT {

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;
    TesseraHttp http;
    String scim;

    @BeforeEach
    void setUp() {
        http = TesseraHttp.to(properties.issuer());
        scim = "Bearer " + http.token(TestClients.ADMIN_ID, TestClients.ADMIN_SECRET, "grant_type",
                "client_credentials", "scope", "scim:read scim:write").json().get("access_token");
    }

    private TesseraHttp.Response get(String path) {
        return http.get(path, "Authorization", scim);
    }

    private static String q(String filter) {
        return URLEncoder.encode(filter, StandardCharsets.UTF_8);
    }

    @Test
    void usersWithFiltersPagingAndTheIndigoExtension() {
        TesseraHttp.Response alice = get("/scim/Users?filter=" + q("userName eq \"alice\""));
        assertThat(alice.status()).isEqualTo(200);
        assertThat(alice.header("Content-Type")).startsWith("application/scim+json");
        assertThat(alice.body()).contains("\"totalResults\":1", "\"userName\":\"alice\"",
                "\"emails\":[{\"value\":\"alice@example.org\"", "\"display\":\"escape/cms\"",
                "\"urn:indigo-dc:scim:schemas:IndigoUser\":{\"oidcIds\":[],\"samlIds\":[],\"certificates\":[",
                "\"resourceType\":\"User\"", "\"version\":\"W/\\\"");
        assertThat(get("/scim/Users?filter=" + q("emails co \"EXAMPLE.org\" and userName sw \"ali\"")).body())
                .contains("\"totalResults\":1");
        assertThat(get("/scim/Users?filter=" + q("userName eq \"alice\" or userName eq \"admin\"")).body())
                .contains("\"totalResults\":2");
        Map<String, Object> all = get("/scim/Users?count=1&startIndex=2").json();
        assertThat(all.get("itemsPerPage")).isEqualTo(1);
        assertThat(all.get("startIndex")).isEqualTo(2);
        assertThat(((Number) all.get("totalResults")).intValue()).isGreaterThanOrEqualTo(2);
        TesseraHttp.Response bad = get("/scim/Users?filter=" + q("password eq \"x\""));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.header("Content-Type")).startsWith("application/scim+json");
        assertThat(bad.body()).contains("\"scimType\":\"invalidFilter\"",
                "urn:ietf:params:scim:api:messages:2.0:Error");
        assertThat(get("/scim/Users/nope").status()).isEqualTo(404);
    }

    @Test
    void createPatchReplaceDeleteWithEtags() {
        String username = "scim" + UUID.randomUUID().toString().substring(0, 8);
        TesseraHttp.Response created = http.sendJson("POST", "/scim/Users", "{\"schemas\":[\""
                + ScimSupport.USER + "\"],\"userName\":\"" + username + "\",\"name\":{\"givenName\":\"Sam\","
                + "\"familyName\":\"<b>Cim</b>\"},\"emails\":[{\"value\":\"" + username + "@example.org\","
                + "\"primary\":true}]}", "Authorization", scim);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = (String) created.json().get("id");
        assertThat(created.header("Location")).isEqualTo(properties.issuer() + "/scim/Users/" + id);
        assertThat(created.body()).contains("\"familyName\":\"<b>Cim</b>\"");
        assertThat(http.sendJson("POST", "/scim/Users", "{\"userName\":\"" + username + "\"}", "Authorization", scim)
                .body()).contains("\"status\":\"409\"", "\"scimType\":\"uniqueness\"");

        TesseraHttp.Response read = get("/scim/Users/" + id);
        String etag = read.header("ETag");
        assertThat(etag).startsWith("W/\"");
        assertThat(http.get("/scim/Users/" + id, "Authorization", scim, "If-None-Match", etag).status())
                .isEqualTo(304);

        TesseraHttp.Response patched = http.sendJson("PATCH", "/scim/Users/" + id, "{\"schemas\":[\""
                + ScimSupport.PATCH + "\"],\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":false},"
                + "{\"op\":\"replace\",\"value\":{\"name.givenName\":\"Samantha\"}}]}", "Authorization", scim);
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.body()).contains("\"active\":false", "\"givenName\":\"Samantha\"");
        assertThat(jdbc.queryForObject("select lifecycle_state from account where id = ?", String.class, id))
                .isEqualTo("SUSPENDED");
        assertThat(http.sendJson("PATCH", "/scim/Users/" + id, "{\"Operations\":[]}", "Authorization", scim)
                .body()).contains("invalidSyntax");
        assertThat(http.sendJson("PATCH", "/scim/Users/" + id, "{\"schemas\":[\"" + ScimSupport.PATCH
                + "\"],\"Operations\":[{\"op\":\"replace\",\"path\":\"password\",\"value\":\"x\"}]}",
                "Authorization", scim).body()).contains("invalidPath");

        // a stale ETag is refused
        assertThat(http.sendJson("PUT", "/scim/Users/" + id, "{\"userName\":\"" + username + "\"}", "Authorization",
                scim, "If-Match", etag).status()).isEqualTo(412);
        String current = get("/scim/Users/" + id).header("ETag");
        TesseraHttp.Response replaced = http.sendJson("PUT", "/scim/Users/" + id, "{\"userName\":\"" + username
                + "\",\"active\":true,\"emails\":[{\"value\":\"new-" + username + "@example.org\"}]}",
                "Authorization", scim, "If-Match", current);
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
        assertThat(replaced.body()).contains("\"active\":true", "new-" + username + "@example.org");
        assertThat(http.sendJson("DELETE", "/scim/Users/" + id, null, "Authorization", scim).status()).isEqualTo(204);
        assertThat(get("/scim/Users/" + id).status()).isEqualTo(404);
        assertThat(jdbc.queryForObject("select count(*) from audit_event where target = ? and event_type like 'scim.%'",
                Integer.class, id)).isGreaterThanOrEqualTo(4);
    }

    @Test
    void groupsAndMemberPatches() {
        String aliceId = jdbc.queryForObject("select id from account where username = 'alice'", String.class);
        TesseraHttp.Response cms = get("/scim/Groups?filter=" + q("displayName eq \"escape/cms\""));
        assertThat(cms.body()).contains("\"totalResults\":1", "\"displayName\":\"escape/cms\"",
                "\"parentGroup\":{", "\"display\":\"alice\"");
        String name = "escape/scim" + UUID.randomUUID().toString().substring(0, 6);
        TesseraHttp.Response created = http.sendJson("POST", "/scim/Groups", "{\"schemas\":[\"" + ScimSupport.GROUP
                + "\"],\"displayName\":\"" + name + "\"}", "Authorization", scim);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = (String) created.json().get("id");
        String before = created.header("ETag");
        TesseraHttp.Response added = http.sendJson("PATCH", "/scim/Groups/" + id, "{\"schemas\":[\""
                + ScimSupport.PATCH + "\"],\"Operations\":[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\""
                + aliceId + "\"}]}]}", "Authorization", scim);
        assertThat(added.status()).as(added.body()).isEqualTo(200);
        assertThat(added.body()).contains("\"value\":\"" + aliceId + "\"");
        assertThat(added.header("ETag")).isNotEqualTo(before);
        assertThat(get("/scim/Users/" + aliceId).body()).contains("\"display\":\"" + name + "\"");
        TesseraHttp.Response removed = http.sendJson("PATCH", "/scim/Groups/" + id, "{\"schemas\":[\""
                + ScimSupport.PATCH + "\"],\"Operations\":[{\"op\":\"remove\",\"path\":\"members[value eq \\\""
                + aliceId + "\\\"]\"}]}", "Authorization", scim);
        assertThat(removed.json().get("members")).isEqualTo(List.of());
        assertThat(http.sendJson("PATCH", "/scim/Groups/" + id, "{\"schemas\":[\"" + ScimSupport.PATCH
                + "\"],\"Operations\":[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"nobody\"}]}]}",
                "Authorization", scim).status()).isEqualTo(400);
        assertThat(http.sendJson("POST", "/scim/Groups", "{\"displayName\":\"" + name + "\"}", "Authorization", scim)
                .status()).isEqualTo(409);
        // a PATCH naming a known and an unknown member changes nothing
        TesseraHttp.Response mixed = http.sendJson("PATCH", "/scim/Groups/" + id, "{\"schemas\":[\""
                + ScimSupport.PATCH + "\"],\"Operations\":[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\""
                + aliceId + "\"},{\"value\":\"nobody\"}]}]}", "Authorization", scim);
        assertThat(mixed.status()).isEqualTo(400);
        assertThat(mixed.body()).contains("\"scimType\":\"invalidValue\"");
        assertThat(jdbc.queryForObject("select count(*) from membership where group_id = ?", Integer.class, id))
                .isZero();
        assertThat(http.sendJson("DELETE", "/scim/Groups/" + id, null, "Authorization", scim).status())
                .isEqualTo(204);

        // members given at creation: added; an unknown one refuses the request and no group is created
        String other = "escape/scim" + UUID.randomUUID().toString().substring(0, 6);
        TesseraHttp.Response refused = http.sendJson("POST", "/scim/Groups", "{\"displayName\":\"" + other
                + "\",\"members\":[{\"value\":\"" + aliceId + "\"},{\"value\":\"no-such-user\"}]}", "Authorization",
                scim);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("\"scimType\":\"invalidValue\"", "no-such-user");
        assertThat(jdbc.queryForObject("select count(*) from vo_group where path = ?", Integer.class, "/" + other))
                .isZero();
        TesseraHttp.Response withMember = http.sendJson("POST", "/scim/Groups", "{\"displayName\":\"" + other
                + "\",\"members\":[{\"value\":\"" + aliceId + "\"}]}", "Authorization", scim);
        assertThat(withMember.status()).isEqualTo(201);
        assertThat(withMember.body()).contains("\"value\":\"" + aliceId + "\"");
        assertThat(http.sendJson("DELETE", "/scim/Groups/" + withMember.json().get("id"), null, "Authorization", scim)
                .status()).isEqualTo(204);
    }

    @Test
    void meAndScopes() {
        String alice = "Bearer " + UserTokens.alice(properties.issuer(), "openid").get("access_token");
        assertThat(http.get("/scim/Me", "Authorization", alice).body()).contains("\"userName\":\"alice\"");
        assertThat(http.get("/scim/Users", "Authorization", alice).status()).isEqualTo(403);
        assertThat(http.get("/scim/Users").status()).isEqualTo(401);
        String read = "Bearer " + http.token(TestClients.ADMIN_ID, TestClients.ADMIN_SECRET, "grant_type",
                "client_credentials", "scope", "scim:read").json().get("access_token");
        assertThat(http.get("/scim/Users", "Authorization", read).status()).isEqualTo(200);
        assertThat(http.sendJson("POST", "/scim/Users", "{\"userName\":\"x\"}", "Authorization", read).status())
                .isEqualTo(403);
    }
}
