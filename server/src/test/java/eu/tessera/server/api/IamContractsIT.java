package eu.tessera.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.TestAccounts;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * INDIGO IAM's small API contracts that VO scripts and importers call (shapes from IAM's FindAccountController,
 * FindGroupController, AccountLifecycleController, AupSignatureController and group labels, IAM 1.x): finders
 * answer SCIM lists of SCIM resources; end time and AUP signatures take IAM's date forms.
 */
@TesseraIntegrationTest
class IamContractsIT {

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PasswordEncoder encoder;

    private TesseraHttp http;
    private String write;
    private String read;
    private String member;
    private String username;
    private String group;
    private String tag;

    @BeforeEach
    void setUp() {
        http = TesseraHttp.to(properties.issuer());
        write = "Bearer " + TestClients.adminToken(properties.issuer(), "iam:admin.read iam:admin.write");
        read = "Bearer " + TestClients.adminToken(properties.issuer(), "iam:admin.read");
        member = TestAccounts.insert(jdbc, encoder, "iamc", "iam-contracts-password");
        username = jdbc.queryForObject("select username from account where id = ?", String.class, member);
        tag = "ic" + UUID.randomUUID().toString().substring(0, 6);
        group = UUID.randomUUID().toString();
        jdbc.update("insert into vo_group (id, name, path, optional, created_at) values (?, ?, ?, false, ?)", group, tag,
                "/" + tag, Timestamp.from(Instant.now()));
        jdbc.update("insert into membership (account_id, group_id, optional, created_at) values (?, ?, false, ?)",
                member, group, Timestamp.from(Instant.now()));
    }

    @AfterEach
    void cleanUp() {
        jdbc.update("delete from account where id = ?", member);
        jdbc.update("delete from vo_group where parent_id = ?", group);
        jdbc.update("delete from vo_group where id = ?", group);
        // withdrawn through the API, so that the server's cached "AUP in force" goes too (other tests log in next)
        http.sendJson("DELETE", "/iam/aup", null, "Authorization", write);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> resources(TesseraHttp.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/scim+json");
        return (List<Map<String, Object>>) response.json().get("Resources");
    }

    @Test
    void accountFindersAnswerScimUsers() {
        List<Map<String, Object>> byName = resources(http.get("/iam/account/find/byusername?username=" + username,
                "Authorization", read));
        assertThat(byName).singleElement().satisfies(u -> {
            assertThat(u).containsEntry("id", member).containsEntry("userName", username).containsKey("schemas");
            assertThat((List<?>) u.get("groups")).hasSize(1);
        });
        assertThat(resources(http.get("/iam/account/find/byusername?username=nobody-" + tag, "Authorization", read)))
                .isEmpty();
        assertThat(resources(http.get("/iam/account/find/byemail?email=" + username + "@example.org",
                "Authorization", read))).extracting(u -> u.get("id")).containsExactly(member);
        assertThat(resources(http.get("/iam/account/find/byuuid/" + member, "Authorization", read)))
                .extracting(u -> u.get("userName")).containsExactly(username);

        http.sendJson("PUT", "/iam/account/" + member + "/labels",
                "{\"prefix\":\"voms.escape.eu\",\"name\":\"id\",\"value\":\"" + tag + "\"}", "Authorization", write);
        assertThat(resources(http.get("/iam/account/find/bylabel?name=id&value=" + tag, "Authorization", read)))
                .extracting(u -> u.get("id")).containsExactly(member);
        assertThat(resources(http.get("/iam/account/find/bylabel?name=id&value=" + tag + "&prefix=other.org",
                "Authorization", read))).isEmpty();

        jdbc.update("insert into account_certificate (id, account_id, subject_dn, issuer_dn, created_at) values (?, ?, "
                + "?, 'CN=CA,DC=example', current_timestamp)", "cert-" + tag, member,
                eu.tessera.voms.pki.DistinguishedNames.canonical("CN=Find " + tag + ",O=Example,DC=org"));
        for (String dn : List.of("CN=Find " + tag + ",O=Example,DC=org", "/DC=org/O=Example/CN=Find " + tag)) {
            assertThat(resources(http.get("/iam/account/find/bycertsubject?certificateSubject="
                    + java.net.URLEncoder.encode(dn, java.nio.charset.StandardCharsets.UTF_8), "Authorization", read)))
                    .as(dn).extracting(u -> u.get("id")).containsExactly(member);
        }
        TesseraHttp.Response badDn = http.get("/iam/account/find/bycertsubject?certificateSubject=notadn",
                "Authorization", read);
        assertThat(badDn.status()).isEqualTo(400);
        assertThat((String) badDn.json().get("error")).contains("a DN such as");

        Map<String, Object> inGroup = http.get("/iam/account/find/bygroup/" + group + "?count=10", "Authorization",
                read).json();
        assertThat(inGroup).containsEntry("totalResults", 1);
        Map<String, Object> notInGroup = http.get("/iam/account/find/notingroup/" + group + "?count=1", "Authorization",
                read).json();
        assertThat((Integer) notInGroup.get("totalResults")).isGreaterThan(1);
        assertThat((List<?>) notInGroup.get("Resources")).hasSize(1);
        assertThat(http.get("/iam/account/find/byusername?username=" + username).status()).isEqualTo(401);
    }

    @Test
    @SuppressWarnings("unchecked")
    void groupFindersAndLabelsInIamsShape() {
        for (String name : List.of(tag, "/" + tag)) {
            assertThat(resources(http.get("/iam/group/find/byname?name=" + name, "Authorization", read)))
                    .singleElement().satisfies(g -> assertThat(g).containsEntry("id", group)
                            .containsEntry("displayName", tag).doesNotContainKey("members"));
        }
        assertThat(http.sendJson("PUT", "/iam/group/" + group + "/labels", "{\"prefix\":\"voms.escape.eu\","
                + "\"name\":\"role\",\"value\":\"prod\"}", "Authorization", write).status()).isEqualTo(200);
        http.sendJson("PUT", "/iam/group/" + group + "/labels", "{\"name\":\"wlcg.optional-group\"}", "Authorization",
                write);
        List<Object> labels = http.get("/iam/group/" + group + "/labels", "Authorization", read).jsonList();
        assertThat(labels).containsExactlyInAnyOrder(Map.of("prefix", "voms.escape.eu", "name", "role", "value", "prod"),
                Map.of("name", "wlcg.optional-group"));
        assertThat(resources(http.get("/iam/group/find/bylabel?name=wlcg.optional-group", "Authorization", read)))
                .extracting(g -> g.get("id")).contains(group);
        assertThat(http.sendJson("PUT", "/iam/group/" + group + "/labels", "{\"prefix\":\"not a domain\","
                + "\"name\":\"x\"}", "Authorization", write).status()).isEqualTo(400);
        assertThat(http.sendJson("DELETE", "/iam/group/" + group + "/labels?prefix=voms.escape.eu&name=role", null,
                "Authorization", write).status()).isEqualTo(204);
        assertThat(http.get("/iam/group/" + group + "/labels", "Authorization", read).jsonList()).hasSize(1);
        List<Map<String, Object>> unsubscribed = resources(http.get("/iam/group/find/unsubscribed/" + member
                + "?count=200", "Authorization", read));
        assertThat(unsubscribed).extracting(g -> g.get("id")).doesNotContain(group).isNotEmpty();
    }

    @Test
    void endTimeAndAupSignatureInIamsDateForms() {
        assertThat(http.sendJson("PUT", "/iam/account/" + member + "/endTime", "{\"endTime\":1893456000000}",
                "Authorization", write).status()).isEqualTo(200);
        assertThat(jdbc.queryForObject("select end_time from account where id = ?", Timestamp.class, member)
                .toInstant()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
        http.sendJson("PUT", "/iam/account/" + member + "/endTime", "{\"endTime\":\"2031-01-01T01:00:00.000+01:00\"}",
                "Authorization", write);
        assertThat(jdbc.queryForObject("select end_time from account where id = ?", Timestamp.class, member)
                .toInstant()).isEqualTo(Instant.parse("2031-01-01T00:00:00Z"));
        http.sendJson("PUT", "/iam/account/" + member + "/endTime", "{\"endTime\":\"2032-03-01T00:00:00.000+0000\"}",
                "Authorization", write);   // VOMS-Admin's form, as the voms-importer passes it on
        assertThat(jdbc.queryForObject("select end_time from account where id = ?", Timestamp.class, member)
                .toInstant()).isEqualTo(Instant.parse("2032-03-01T00:00:00Z"));
        http.sendJson("PUT", "/iam/account/" + member + "/endTime", "{\"endTime\":null}", "Authorization", write);
        assertThat(jdbc.queryForObject("select end_time from account where id = ?", Timestamp.class, member)).isNull();
        assertThat(http.sendJson("PUT", "/iam/account/" + member + "/endTime", "{\"endTime\":\"next week\"}",
                "Authorization", write).status()).isEqualTo(400);
        assertThat(http.sendJson("PUT", "/iam/account/" + member + "/endTime", "{\"endTime\":null}",
                "Authorization", read).status()).isEqualTo(403);

        assertThat(http.sendJson("PATCH", "/iam/aup/signature/" + member, "{\"signatureTime\":1767225600000}",
                "Authorization", write).status()).isEqualTo(404);   // no AUP yet
        assertThat(http.sendJson("POST", "/iam/aup", "{\"text\":\"Be fair.\",\"signatureValidityDays\":365}",
                "Authorization", write).status()).isEqualTo(201);
        TesseraHttp.Response signed = http.sendJson("PATCH", "/iam/aup/signature/" + member,
                "{\"signatureTime\":\"2026-01-01T00:00:00Z\"}", "Authorization", write);
        assertThat(signed.status()).isEqualTo(201);
        assertThat(signed.json()).containsEntry("signatureTime", "2026-01-01T00:00:00Z");
        assertThat(jdbc.queryForObject("select signed_at from aup_signature where account_id = ?", Timestamp.class,
                member).toInstant()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(http.sendJson("PATCH", "/iam/aup/signature/" + member, "{\"signatureTime\":\"2999-01-01T00:00:00Z\"}",
                "Authorization", write).status()).isEqualTo(400);
        assertThat(http.sendJson("PATCH", "/iam/aup/signature/" + member, null, "Authorization", write).status())
                .isEqualTo(201);
        assertThat(jdbc.queryForObject("select signed_at from aup_signature where account_id = ?", Timestamp.class,
                member).toInstant()).isAfter(Instant.now().minusSeconds(60));
        assertThat(http.sendJson("PATCH", "/iam/aup/signature/" + UUID.randomUUID(), null, "Authorization", write)
                .status()).isEqualTo(404);
    }

    @Test
    @SuppressWarnings("unchecked")
    void scimGroupsUnderAParentAndCertificatesPatchedAsIamDoes() {
        String scim = "Bearer " + TestClients.adminToken(properties.issuer(), "scim:read scim:write");
        TesseraHttp.Response created = http.sendJson("POST", "/scim/Groups", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group","urn:indigo-dc:scim:schemas:IndigoGroup"],
                 "displayName":"production",
                 "urn:indigo-dc:scim:schemas:IndigoGroup":{"parentGroup":{"value":"%s","display":"%s"}}}"""
                .formatted(group, tag), "Authorization", scim);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json()).containsEntry("displayName", tag + "/production");
        assertThat(jdbc.queryForObject("select parent_id from vo_group where path = ?", String.class,
                "/" + tag + "/production")).isEqualTo(group);
        String unknown = UUID.randomUUID().toString();
        assertThat(http.sendJson("POST", "/scim/Groups", """
                {"displayName":"orphan","urn:indigo-dc:scim:schemas:IndigoGroup":{"parentGroup":{"value":"%s"}}}"""
                .formatted(unknown), "Authorization", scim).status()).isEqualTo(400);
        assertThat(http.sendJson("POST", "/scim/Groups", """
                {"displayName":"a/b","urn:indigo-dc:scim:schemas:IndigoGroup":{"parentGroup":{"value":"%s"}}}"""
                .formatted(group), "Authorization", scim).status()).isEqualTo(400);
        assertThat(jdbc.queryForObject("select count(*) from vo_group where name in ('orphan', 'b')", Integer.class))
                .isZero();

        eu.tessera.server.testsupport.VomsTestPki pki = eu.tessera.server.testsupport.VomsTestPki.get();
        eu.tessera.voms.testpki.TestPki.Credential user = eu.tessera.voms.testpki.TestPki.endEntity(pki.ca,
                "C=IT,O=Tessera Test,OU=Users,CN=Scim " + tag, false);
        String pem = eu.tessera.voms.testpki.TestPki.pem(user.certificate()).replace("\n", "\\n");
        String add = """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","value":
                 {"urn:indigo-dc:scim:schemas:IndigoUser":{"certificates":[{"display":"grid","pemEncodedCertificate":"%s"},
                  {"subjectDn":"/DC=org/DC=example/CN=Scim %s","issuerDn":"/DC=org/DC=example/CN=Other CA"}]}}}]}"""
                .formatted(pem, tag);
        TesseraHttp.Response patched = http.sendJson("PATCH", "/scim/Users/" + member, add, "Authorization", scim);
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        Map<String, Object> indigo = (Map<String, Object>) patched.json().get("urn:indigo-dc:scim:schemas:IndigoUser");
        assertThat((List<?>) indigo.get("certificates")).hasSize(2);
        // indigo-iam/voms-importer's exact request: "operations" in lower case, path "certificates"
        String other2 = eu.tessera.voms.testpki.TestPki.pem(eu.tessera.voms.testpki.TestPki.endEntity(pki.ca,
                "C=IT,O=Tessera Test,OU=Users,CN=Importer " + tag, false).certificate()).replace("\n", "\\n");
        assertThat(http.sendJson("PATCH", "/scim/Users/" + member, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"operations":[{"op":"add","path":
                 "certificates","value":{"urn:indigo-dc:scim:schemas:IndigoUser":{"certificates":[{"pemEncodedCertificate":
                 "%s"}]}}}]}""".formatted(other2), "Authorization", scim).status()).isEqualTo(200);
        assertThat(jdbc.queryForObject("select count(*) from account_certificate where account_id = ?", Integer.class,
                member)).isEqualTo(3);
        jdbc.update("delete from account_certificate where account_id = ? and subject_dn like ?", member, "%Importer%");
        // the same again changes nothing (an importer re-running)
        assertThat(http.sendJson("PATCH", "/scim/Users/" + member, add, "Authorization", scim).status()).isEqualTo(200);
        assertThat(jdbc.queryForObject("select count(*) from account_certificate where account_id = ?", Integer.class,
                member)).isEqualTo(2);
        // another account cannot take it
        String other = TestAccounts.insert(jdbc, encoder, "iamc2", "iam-contracts-password");
        try {
            TesseraHttp.Response taken = http.sendJson("PATCH", "/scim/Users/" + other, add, "Authorization", scim);
            assertThat(taken.status()).isEqualTo(409);
            assertThat(jdbc.queryForObject("select count(*) from account_certificate where account_id = ?",
                    Integer.class, other)).isZero();
        } finally {
            jdbc.update("delete from account where id = ?", other);
        }
        String remove = """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","value":
                 {"urn:indigo-dc:scim:schemas:IndigoUser":{"certificates":[{"pemEncodedCertificate":"%s"}]}}}]}"""
                .formatted(pem);
        assertThat(http.sendJson("PATCH", "/scim/Users/" + member, remove, "Authorization", scim).status())
                .isEqualTo(200);
        assertThat(jdbc.queryForList("select issuer_dn from account_certificate where account_id = ?", String.class,
                member)).singleElement().asString().contains("Other CA");
        assertThat(http.sendJson("PATCH", "/scim/Users/" + member, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","value":
                 {"urn:indigo-dc:scim:schemas:IndigoUser":{"certificates":[{"subjectDn":"not a dn","issuerDn":"CN=CA"}]}}}
                 ]}""", "Authorization", scim).body()).contains("subjectDn");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theOldServicesPublicKeysArePublishedBesideTesserasButNeverSignAnything() throws Exception {
        Map<String, Object> jwks = http.get("/jwk").json();
        List<Map<String, Object>> keys = (List<Map<String, Object>>) jwks.get("keys");
        Map<String, Object> old = keys.stream().filter(k -> eu.tessera.server.testsupport.PostgresAndPortInitializer
                .OLD_SERVICE_KID.equals(k.get("kid"))).findFirst().orElseThrow();
        assertThat(old).containsKeys("n", "e").doesNotContainKeys("d", "p", "q", "dp", "dq", "qi");
        assertThat(keys.size()).isGreaterThan(1);
        String token = TestClients.adminToken(properties.issuer(), "iam:admin.read");
        assertThat(com.nimbusds.jwt.SignedJWT.parse(token).getHeader().getKeyID())
                .isNotEqualTo(eu.tessera.server.testsupport.PostgresAndPortInitializer.OLD_SERVICE_KID);
    }

    @Test
    void aBadAdditionalJwksFileStopsTheStartWithTheReason() throws Exception {
        java.nio.file.Path bad = java.nio.file.Files.createTempFile("bad", ".jwks");
        java.nio.file.Files.writeString(bad, "not json");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> eu.tessera.server.keys.AdditionalKeys.load(
                bad.toString())).hasMessageContaining("is not a JWKS");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> eu.tessera.server.keys.AdditionalKeys.load(
                "/no/such/file.jwks")).hasMessageContaining("cannot read");
        assertThat(eu.tessera.server.keys.AdditionalKeys.load("")).isEmpty();
    }
}
