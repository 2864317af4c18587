package eu.tessera.server.oauth2.client;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** INDIGO IAM's client management API ({@code /iam/api/clients}) in IAM's JSON shapes, with its effects at /token. */
@TesseraIntegrationTest
class ClientManagementIT {

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;

    private String bearer(String scope) {
        return "Bearer " + TestClients.adminToken(properties.issuer(), scope);
    }

    @Test
    @SuppressWarnings("unchecked")
    void createListUpdateRotateDisableOwnAndDeleteAClientAsIamDoes() {
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        String write = bearer("iam:admin.read iam:admin.write");
        String id = "cm-" + UUID.randomUUID().toString().substring(0, 8);
        TesseraHttp.Response created = http.sendJson("POST", "/iam/api/clients", """
                {"client_id":"%s","client_name":"Rucio sync %s","client_description":"pushes accounts to Rucio",
                 "grant_types":["client_credentials"],"scope":"compute.read openid","contacts":["ops@example.org"],
                 "token_endpoint_auth_method":"client_secret_basic","access_token_validity_seconds":900}"""
                .formatted(id, id), "Authorization", write);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Map<String, Object> client = created.json();
        assertThat(client).containsEntry("client_id", id).containsEntry("client_description", "pushes accounts to Rucio")
                .containsEntry("access_token_validity_seconds", 900).containsEntry("active", true)
                .containsEntry("token_endpoint_auth_method", "client_secret_basic").containsKeys("client_secret",
                        "registration_access_token", "created_at");
        assertThat((List<String>) client.get("grant_types")).containsExactly("client_credentials");
        assertThat((List<String>) client.get("contacts")).containsExactly("ops@example.org");
        assertThat(((String) client.get("scope")).split(" ")).containsExactlyInAnyOrder("compute.read", "openid");
        String secret = (String) client.get("client_secret");
        assertThat(http.token(id, secret, "grant_type", "client_credentials").status()).isEqualTo(200);

        // list with search and paging, in IAM's ListResponseDTO; the secret is never listed
        Map<String, Object> listed = http.get("/iam/api/clients?search=rucio+sync+" + id + "&count=1",
                "Authorization", bearer("iam:admin.read")).json();
        assertThat(listed).containsEntry("totalResults", 1).containsEntry("startIndex", 1)
                .containsEntry("itemsPerPage", 1);
        Map<String, Object> first = ((List<Map<String, Object>>) listed.get("Resources")).get(0);
        assertThat(first).containsEntry("client_id", id).doesNotContainKey("client_secret");
        Map<String, Object> all = http.get("/iam/api/clients?startIndex=2&count=2", "Authorization", write).json();
        assertThat((Integer) all.get("totalResults")).isGreaterThanOrEqualTo(3);
        assertThat((List<?>) all.get("Resources")).hasSize(2);
        assertThat(http.get("/iam/api/clients/" + id, "Authorization", write).json()).doesNotContainKey("client_secret");

        // update
        TesseraHttp.Response updated = http.sendJson("PUT", "/iam/api/clients/" + id, """
                {"client_name":"Rucio sync","grant_types":["client_credentials"],"scope":"compute.read"}""",
                "Authorization", write);
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.json()).containsEntry("scope", "compute.read").doesNotContainKey("client_description");

        // rotate: the old secret stops at once, the new one works
        TesseraHttp.Response rotated = http.sendJson("POST", "/iam/api/clients/" + id + "/secret", null,
                "Authorization", write);
        assertThat(rotated.status()).isEqualTo(201);
        String newSecret = (String) rotated.json().get("client_secret");
        assertThat(newSecret).isNotBlank().isNotEqualTo(secret);
        assertThat(http.token(id, secret, "grant_type", "client_credentials").json())
                .containsEntry("error", "invalid_client");
        assertThat(http.token(id, newSecret, "grant_type", "client_credentials").status()).isEqualTo(200);

        // disable: refused at /token at once; enable: back
        TesseraHttp.Response disabled = http.sendJson("PATCH", "/iam/api/clients/" + id + "/disable", null,
                "Authorization", write);
        assertThat(disabled.json()).containsEntry("active", false).containsEntry("status_changed_by",
                TestClients.ADMIN_ID);
        assertThat(http.token(id, newSecret, "grant_type", "client_credentials").status()).isEqualTo(401);
        http.sendJson("PATCH", "/iam/api/clients/" + id + "/enable", null, "Authorization", write);
        assertThat(http.token(id, newSecret, "grant_type", "client_credentials").status()).isEqualTo(200);

        // owners
        String alice = jdbc.queryForObject("select id from account where username = 'alice'", String.class);
        assertThat(http.sendJson("POST", "/iam/api/clients/" + id + "/owners/" + alice, null, "Authorization", write)
                .status()).isEqualTo(201);
        Map<String, Object> owners = http.get("/iam/api/clients/" + id + "/owners", "Authorization", write).json();
        assertThat(owners).containsEntry("totalResults", 1);
        assertThat(((List<Map<String, Object>>) owners.get("Resources")).get(0)).containsEntry("userName", "alice");
        assertThat(http.sendJson("DELETE", "/iam/api/clients/" + id + "/owners/" + alice, null, "Authorization",
                write).status()).isEqualTo(204);
        assertThat(http.get("/iam/api/clients/" + id + "/owners", "Authorization", write).json())
                .containsEntry("totalResults", 0);

        assertThat(jdbc.queryForList("select event_type from audit_event where target = ? and event_type like "
                + "'client.%' order by id", String.class, id)).containsExactly("client.created", "client.updated",
                // the old secret refused after the rotation, the client refused while disabled
                "client.secret_rotated", "client.authentication_failure", "client.disabled",
                "client.authentication_failure", "client.enabled", "client.owner_set", "client.owner_removed");
        assertThat(http.sendJson("DELETE", "/iam/api/clients/" + id, null, "Authorization", write).status())
                .isEqualTo(204);
        assertThat(http.get("/iam/api/clients/" + id, "Authorization", write).status()).isEqualTo(404);
    }

    @Test
    void badRequestsThenProblemJsonWithIamsErrorMemberAndReadersCannotWrite() {
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        String write = bearer("iam:admin.read iam:admin.write");
        TesseraHttp.Response missing = http.get("/iam/api/clients/no-such-client", "Authorization", write);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("Content-Type")).contains("application/problem+json");
        assertThat(missing.json()).containsEntry("error", "Client 'no-such-client' not found");
        assertThat(http.sendJson("POST", "/iam/api/clients", "not json", "Authorization", write).status())
                .isEqualTo(400);
        TesseraHttp.Response badGrant = http.sendJson("POST", "/iam/api/clients",
                "{\"grant_types\":[\"password\"]}", "Authorization", write);
        assertThat(badGrant.status()).isEqualTo(400);
        assertThat((String) badGrant.json().get("error")).contains("unsupported grant type password");
        assertThat(http.sendJson("POST", "/iam/api/clients", "{\"client_id\":\"" + TestClients.DEMO_ID
                + "\",\"grant_types\":[\"client_credentials\"]}", "Authorization", write).status()).isEqualTo(409);
        assertThat(http.sendJson("POST", "/iam/api/clients", "{\"grant_types\":[\"client_credentials\"],"
                + "\"contacts\":\"ops\"}", "Authorization", write).status()).isEqualTo(400);
        assertThat(http.get("/iam/api/clients?count=500", "Authorization", write).status()).isEqualTo(400);
        assertThat(http.sendJson("POST", "/iam/api/clients", "{\"grant_types\":[\"client_credentials\"]}",
                "Authorization", bearer("iam:admin.read")).status()).isEqualTo(403);
        assertThat(http.get("/iam/api/clients").status()).isEqualTo(401);
        // PKCE "plain" is refused (RFC 9700), nothing created
        String plainId = "cm-plain-" + UUID.randomUUID().toString().substring(0, 8);
        TesseraHttp.Response plain = http.sendJson("POST", "/iam/api/clients", "{\"client_id\":\"" + plainId
                + "\",\"grant_types\":[\"authorization_code\"],\"redirect_uris\":[\"https://a.example.org/cb\"],"
                + "\"code_challenge_method\":\"plain\"}", "Authorization", write);
        assertThat(plain.status()).isEqualTo(400);
        assertThat((String) plain.json().get("error")).contains("S256");
        assertThat(jdbc.queryForObject("select count(*) from oauth_client where client_id = ?", Integer.class, plainId))
                .isZero();
    }

    @Autowired
    ClientUsage usage;

    @Test
    void pkceForAConfidentialClientAndTheLastUsedDayInIamsFields() {
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        String write = bearer("iam:admin.read iam:admin.write");
        String id = "cm-pkce-" + UUID.randomUUID().toString().substring(0, 8);
        TesseraHttp.Response created = http.sendJson("POST", "/iam/api/clients", """
                {"client_id":"%s","client_name":"Notebook","grant_types":["authorization_code","client_credentials"],
                 "redirect_uris":["https://jupyter.example.org/cb"],"scope":"openid",
                 "token_endpoint_auth_method":"client_secret_basic","code_challenge_method":"S256"}"""
                .formatted(id), "Authorization", write);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json()).containsEntry("code_challenge_method", "S256").doesNotContainKey("last_used");
        assertThat(jdbc.queryForObject("select require_pkce from oauth_client where client_id = ?", Boolean.class, id))
                .isTrue();
        http.token(id, (String) created.json().get("client_secret"), "grant_type", "client_credentials");
        usage.flush();
        assertThat(http.get("/iam/api/clients/" + id, "Authorization", write).json()).containsEntry("last_used",
                java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString());
        // PUT replaces the client: without code_challenge_method PKCE is no longer required
        TesseraHttp.Response updated = http.sendJson("PUT", "/iam/api/clients/" + id, """
                {"client_name":"Notebook","grant_types":["authorization_code"],
                 "redirect_uris":["https://jupyter.example.org/cb"],"scope":"openid"}""", "Authorization", write);
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.json()).doesNotContainKey("code_challenge_method");
        assertThat(jdbc.queryForObject("select require_pkce from oauth_client where client_id = ?", Boolean.class, id))
                .isFalse();
    }
}
