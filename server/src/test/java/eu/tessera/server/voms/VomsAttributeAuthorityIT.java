package eu.tessera.server.voms;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import eu.tessera.server.testsupport.UserTokens;
import eu.tessera.server.testsupport.VomsTestPki;
import eu.tessera.voms.VomsError;
import eu.tessera.voms.pki.DistinguishedNames;
import eu.tessera.voms.protocol.VomsResponse;
import eu.tessera.voms.testpki.TestPki;
import eu.tessera.voms.testpki.TestPki.Credential;
import eu.tessera.voms.testpki.VomsOracle;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.bouncycastle.cert.X509AttributeCertificateHolder;
import org.italiangrid.voms.ac.VOMSValidationResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The VOMS AA end to end on the running server: certificates linked through the admin API, ACs requested over
 * Tessera's TLS listener (as the Java and the C++ clients send requests) and through a trusted TLS-terminating
 * proxy's headers on the main port, validated with voms-api-java; every refusal in the VOMS error format.
 */
@TesseraIntegrationTest
class VomsAttributeAuthorityIT {

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;
    TesseraHttp http;
    String admin;
    String aliceId;
    final VomsTestPki pki = VomsTestPki.get();

    @BeforeEach
    void linkAlice() {
        http = TesseraHttp.to(properties.issuer());
        admin = "Bearer " + http.token(TestClients.ADMIN_ID, TestClients.ADMIN_SECRET, "grant_type",
                "client_credentials", "scope", "iam:admin.read iam:admin.write").json().get("access_token");
        aliceId = jdbc.queryForObject("select id from account where username = 'alice'", String.class);
        jdbc.update("delete from account_certificate");
        jdbc.update("delete from account_attribute");
        jdbc.update("update account set active = true, end_time = null where id = ?", aliceId);
        TesseraHttp.Response linked = http.sendJson("POST", "/iam/account/" + aliceId + "/certificates",
                json(Map.of("pem", TestPki.pem(pki.alice.certificate()), "label", "grid certificate")),
                "Authorization", admin);
        assertThat(linked.status()).as(linked.body()).isEqualTo(201);
    }

    private static String json(Map<String, String> fields) {
        StringBuilder out = new StringBuilder("{");
        fields.forEach((k, v) -> out.append(out.length() > 1 ? "," : "").append('"').append(k).append("\":\"")
                .append(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"'));
        return out.append('}').toString();
    }

    private static VomsResponse body(String response) {
        return VomsResponse.parse(response.substring(response.indexOf("\r\n\r\n") + 4));
    }

    private static byte[] ac(String response) {
        assertThat(response).startsWith("HTTP/1.1 200 ");
        return ((VomsResponse.Success) body(response)).ac();
    }

    private VOMSValidationResult validate(byte[] ac, Credential holder) throws Exception {
        return VomsOracle.validateInProxy(ac, holder, pki.dir.resolve("certificates"), pki.dir.resolve("vomsdir"));
    }

    @Test
    void defaultRequestGivesTheDefaultGroupsValidatedByVomsApiJava() throws Exception {
        String response = pki.get(pki.alice, "fqans=/escape");
        assertThat(response).contains("Content-Type: text/xml");
        VOMSValidationResult result = validate(ac(response), pki.alice);
        assertThat(result.isValid()).as(result.getValidationErrors().toString()).isTrue();
        assertThat(result.getAttributes().getFQANs()).containsExactly("/escape", "/escape/cms");
        assertThat(result.getAttributes().getVO()).isEqualTo("escape");
        assertThat(result.getAttributes().getHost()).isEqualTo("localhost");
        assertThat(result.getAttributes().getPort()).isEqualTo(pki.port);
        assertThat(result.getAttributes().getHolderSerialNumber()).isEqualTo(pki.alice.certificate().getSerialNumber());
        Duration validity = Duration.between(result.getAttributes().getNotBefore().toInstant(),
                result.getAttributes().getNotAfter().toInstant());
        assertThat(validity).isEqualTo(Duration.ofHours(12));
    }

    @Test
    void cppClientRequestThroughAProxyChainWithTheLeadingZeroByteAndBareLf() throws Exception {
        Credential proxy = TestPki.proxy(pki.alice, true);
        byte[] head = ("GET /generate-ac?fqans=/escape/Role=data-manager&lifetime=3600&order=/escape/cms"
                + "&targets=localhost HTTP/1.0\nUser-Agent: voms APIs 2.0\nAccept: */*\nHost: localhost:" + pki.port
                + "\n\n").getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[head.length + 1];
        System.arraycopy(head, 0, request, 1, head.length);
        request[0] = '0';   // the GSI no-delegation flag, as voms-proxy-init2 sends it
        String response = pki.send(proxy, request);
        assertThat(response.substring(0, 12)).isEqualTo("HTTP/1.1 200");
        X509AttributeCertificateHolder ac = new X509AttributeCertificateHolder(ac(response));
        assertThat(ac.getHolder().getSerialNumber()).isEqualTo(pki.alice.certificate().getSerialNumber());
        assertThat(Duration.between(ac.getNotBefore().toInstant(), ac.getNotAfter().toInstant()))
                .isEqualTo(Duration.ofHours(1));
        VOMSValidationResult result = validate(ac.getEncoded(), pki.alice);
        assertThat(result.getAttributes().getFQANs())
                .containsExactly("/escape/cms", "/escape/Role=data-manager", "/escape");
        assertThat(result.getAttributes().getTargets()).containsExactly("localhost");
        // The legacy XML protocol the C++ client falls back to after a refusal.
        String refused = pki.send(proxy, ("0<?xml version=\"1.0\" encoding=\"US-ASCII\"?><voms><command>G/escape/atlas"
                + "</command><base64>1</base64><version>4</version><lifetime>43200</lifetime></voms>")
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(refused).isEqualTo("<?xml version=\"1.0\" encoding = \"US-ASCII\"?><vomsans><version>3</version>"
                + "<error><item><number>1005</number><message>You are not entitled to the attribute /escape/atlas in the"
                + " escape VO.</message></item></error><ac>QQ==\n</ac></vomsans>");
        String granted = pki.send(proxy, ("0<?xml version=\"1.0\"?><voms><command>B/escape:data-manager</command>"
                + "<lifetime>600</lifetime></voms>").getBytes(StandardCharsets.US_ASCII));
        String base64 = granted.substring(granted.indexOf("<ac>") + 4, granted.indexOf("</ac>"));
        assertThat(validate(java.util.Base64.getDecoder().decode(base64), pki.alice).getAttributes().getFQANs())
                .containsExactly("/escape/Role=data-manager", "/escape", "/escape/cms");
        // A legacy Globus proxy identifies the same holder.
        String legacy = pki.get(TestPki.proxy(pki.alice, false), "fqans=/escape");
        assertThat(validate(ac(legacy), pki.alice).getAttributes().getFQANs()).containsExactly("/escape", "/escape/cms");
    }

    @Test
    void lifetimeIsCappedWithAWarningAndAccountAttributesBecomeGenericAttributes() throws Exception {
        TesseraHttp.Response set = http.sendJson("PUT", "/iam/account/" + aliceId + "/attributes",
                "{\"name\":\"nickname\",\"value\":\"alice-the-member\"}", "Authorization", admin);
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        String response = pki.get(pki.alice, "fqans=/escape&lifetime=999999&colour=blue");
        VomsResponse.Success success = (VomsResponse.Success) body(response);
        assertThat(success.warnings()).containsExactly(
                "The validity of this VOMS AC in your proxy is shortened to 43200 seconds!",
                "Unknown parameters in the request were ignored: colour");
        VOMSValidationResult result = validate(success.ac(), pki.alice);
        assertThat(result.isValid()).isTrue();
        assertThat(result.getAttributes().getGenericAttributes()).singleElement().satisfies(ga -> {
            assertThat(ga.getName()).isEqualTo("nickname");
            assertThat(ga.getValue()).isEqualTo("alice-the-member");
        });
        assertThat(http.get("/iam/account/" + aliceId + "/attributes", "Authorization", admin).body())
                .isEqualTo("[{\"name\":\"nickname\",\"value\":\"alice-the-member\"}]");
        assertThat(http.sendJson("PUT", "/iam/account/" + aliceId + "/attributes", "{\"name\":\"<b>\",\"value\":\"x\"}",
                "Authorization", admin).status()).isEqualTo(400);
        assertThat(http.sendJson("DELETE", "/iam/account/" + aliceId + "/attributes?name=nickname", null,
                "Authorization", admin).status()).isEqualTo(204);
    }

    @Test
    void refusalsInTheVomsErrorFormat() throws Exception {
        assertError(pki.get(pki.nobody, "fqans=/escape"), 403, VomsError.NoSuchUser, "not linked");
        assertError(pki.get(pki.alice, "fqans=/escape/atlas"), 400, VomsError.BadRequest, "not entitled");
        assertError(pki.get(pki.alice, "fqans=/escape&lifetime=soon"), 400, VomsError.BadRequest, "lifetime");
        assertError(pki.get(pki.alice, "fqans=%zz"), 400, VomsError.BadRequest, "percent");
        assertError(pki.get(pki.stranger, "fqans=/escape"), 403, VomsError.NoSuchUser, "not issued by a trusted CA");
        Instant now = Instant.now();
        Credential expired = TestPki.proxy(pki.alice, true, now.minus(Duration.ofHours(3)), now.minusSeconds(60));
        assertError(pki.get(expired, "fqans=/escape"), 403, VomsError.NoSuchUser, "expired");
        assertError(pki.get(null, "fqans=/escape"), 400, VomsError.BadRequest, "client certificate is required");
        assertThat(pki.send(pki.alice, "POST /generate-ac HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)))
                .startsWith("HTTP/1.1 405 ");
        assertThat(pki.send(pki.alice, "GET /other HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)))
                .startsWith("HTTP/1.1 404 ");
        assertThat(pki.send(pki.alice, "garbage\r\n\r\n".getBytes(StandardCharsets.US_ASCII)))
                .startsWith("HTTP/1.1 400 ");
        assertThat(pki.send(pki.alice, ("GET /generate-ac?" + "x".repeat(20_000) + " HTTP/1.1\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII))).startsWith("HTTP/1.1 400 ");

        jdbc.update("update account set active = false where id = ?", aliceId);
        assertError(pki.get(pki.alice, "fqans=/escape"), 403, VomsError.SuspendedUser, "suspended");
        jdbc.update("update account set active = true, end_time = ? where id = ?",
                java.sql.Timestamp.from(Instant.now().minusSeconds(10)), aliceId);
        assertError(pki.get(pki.alice, "fqans=/escape"), 403, VomsError.SuspendedUser, "suspended");
    }

    private static void assertError(String response, int status, VomsError code, String message) {
        assertThat(response).startsWith("HTTP/1.1 " + status + " ");
        assertThat(body(response)).isInstanceOfSatisfying(VomsResponse.Failure.class, failure -> {
            assertThat(failure.code()).isEqualTo(code);
            assertThat(failure.message()).containsIgnoringCase(message);
        });
    }

    @Test
    void certificateLinksApi() {
        String base = "/iam/account/" + aliceId + "/certificates";
        TesseraHttp.Response list = http.get(base, "Authorization", admin);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).contains("\"subjectDn\":\"/C=IT/O=Tessera Test/OU=Users/CN=Alice Member\"",
                "\"issuerDn\":\"/C=IT/O=Tessera Test/CN=Tessera Test CA\"", "\"label\":\"grid certificate\"");
        // The same certificate again, in RFC 2253 form: the same identity, so a conflict.
        TesseraHttp.Response again = http.sendJson("POST", base, json(Map.of(
                "subjectDn", "CN=Alice Member,OU=Users,O=Tessera Test,C=IT",
                "issuerDn", "CN=Tessera Test CA, O=Tessera Test, C=IT")), "Authorization", admin);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.header("Content-Type")).startsWith("application/problem+json");
        String adminId = jdbc.queryForObject("select id from account where username = 'admin'", String.class);
        assertThat(http.sendJson("POST", "/iam/account/" + adminId + "/certificates", json(Map.of(
                "subjectDn", "/C=IT/O=Tessera Test/OU=Users/CN=Alice Member",
                "issuerDn", "/C=IT/O=Tessera Test/CN=Tessera Test CA")), "Authorization", admin).status())
                .isEqualTo(409);
        // The same subject under another issuer is another certificate.
        TesseraHttp.Response otherIssuer = http.sendJson("POST", "/iam/account/" + adminId + "/certificates",
                json(Map.of("subjectDn", "/C=IT/O=Tessera Test/OU=Users/CN=Alice Member",
                        "issuerDn", "/C=IT/O=Other CA/CN=Other CA", "label", "<script>alert(1)</script>")),
                "Authorization", admin);
        assertThat(otherIssuer.status()).as(otherIssuer.body()).isEqualTo(201);
        assertThat(http.sendJson("POST", base, json(Map.of("subjectDn", "not a dn", "issuerDn", "/CN=x")),
                "Authorization", admin).body()).contains("subjectDn");
        assertThat(http.sendJson("POST", base, "{\"pem\":\"-----BEGIN CERTIFICATE-----\\nAAAA\\n"
                + "-----END CERTIFICATE-----\"}", "Authorization", admin).status()).isEqualTo(400);
        assertThat(http.sendJson("POST", base, "not json", "Authorization", admin).status()).isEqualTo(400);
        assertThat(http.sendJson("POST", "/iam/account/no-such/certificates", "{}", "Authorization", admin).status())
                .isEqualTo(404);
        String read = "Bearer " + http.token(TestClients.ADMIN_ID, TestClients.ADMIN_SECRET, "grant_type",
                "client_credentials", "scope", "iam:admin.read").json().get("access_token");
        assertThat(http.sendJson("POST", base, "{}", "Authorization", read).status()).isEqualTo(403);
        assertThat(http.get(base).status()).isEqualTo(401);

        String certificateId = jdbc.queryForObject("select id from account_certificate where account_id = ?",
                String.class, aliceId);
        assertThat(http.sendJson("DELETE", base + "/" + certificateId, null, "Authorization", admin).status())
                .isEqualTo(204);
        assertThat(jdbc.queryForObject("select count(*) from account_certificate where account_id = ?", Integer.class,
                aliceId)).isZero();
        assertThat(http.sendJson("DELETE", base + "/" + certificateId, null, "Authorization", admin).status())
                .isEqualTo(404);
    }

    @Test
    void trustedProxyHeadersOnTheMainPort() throws Exception {
        String pem = URLEncoder.encode(TestPki.pem(pki.alice.certificate()), StandardCharsets.UTF_8);
        // From a trusted proxy (127.0.0.2): the AC is issued for the certificate in the headers.
        String ok = rawHttp("127.0.0.2", "/generate-ac?fqans=/escape/cms&lifetime=600",
                "X-SSL-Client-Verify: SUCCESS", "X-SSL-Client-Cert: " + pem);
        assertThat(ok).startsWith("HTTP/1.1 200");
        VOMSValidationResult result = validate(ac(ok), pki.alice);
        assertThat(result.getAttributes().getFQANs()).containsExactly("/escape/cms", "/escape");
        // The same headers from any other address are not believed.
        String forged = rawHttp("127.0.0.1", "/generate-ac?fqans=/escape",
                "X-SSL-Client-Verify: SUCCESS", "X-SSL-Client-Cert: " + pem);
        assertThat(forged).startsWith("HTTP/1.1 400");
        assertThat(body(forged)).isInstanceOfSatisfying(VomsResponse.Failure.class,
                f -> assertThat(f.message()).contains("No client certificate"));
        // A trusted proxy that did not verify the certificate, or a certificate our CAs do not trust.
        assertThat(rawHttp("127.0.0.2", "/generate-ac", "X-SSL-Client-Verify: FAILED:unknown CA",
                "X-SSL-Client-Cert: " + pem)).startsWith("HTTP/1.1 400");
        String stranger = rawHttp("127.0.0.2", "/generate-ac", "X-SSL-Client-Verify: SUCCESS",
                "X-SSL-Client-Cert: " + URLEncoder.encode(TestPki.pem(pki.stranger.certificate()), StandardCharsets.UTF_8));
        assertThat(stranger).startsWith("HTTP/1.1 403");
        // A proxy certificate without the end-entity header.
        String proxyOnly = rawHttp("127.0.0.2", "/generate-ac", "X-SSL-Client-Verify: SUCCESS", "X-SSL-Client-Cert: "
                + URLEncoder.encode(TestPki.pem(TestPki.proxy(pki.alice, true).certificate()), StandardCharsets.UTF_8));
        assertThat(proxyOnly).startsWith("HTTP/1.1 400").contains("X-SSL-Client-EE-Cert");
    }

    @Test
    void usersLinkTheCertificateOfAnX509AuthenticatedRequest() throws Exception {
        jdbc.update("delete from account_certificate");
        String token = (String) UserTokens.alice(properties.issuer(), "openid").get("access_token");
        String pem = URLEncoder.encode(TestPki.pem(pki.alice.certificate()), StandardCharsets.UTF_8);
        String withoutCertificate = rawRequest("127.0.0.1", "POST", "/iam/me/certificates",
                "Authorization: Bearer " + token);
        assertThat(withoutCertificate).startsWith("HTTP/1.1 400").contains("client certificate");
        String linked = rawRequest("127.0.0.2", "POST", "/iam/me/certificates", "Authorization: Bearer " + token,
                "X-SSL-Client-Verify: SUCCESS", "X-SSL-Client-Cert: " + pem);
        assertThat(linked).startsWith("HTTP/1.1 201").contains(
                DistinguishedNames.canonical(pki.alice.certificate().getSubjectX500Principal()));
        assertThat(jdbc.queryForObject("select account_id from account_certificate", String.class)).isEqualTo(aliceId);
        assertThat(http.get("/iam/me/certificates", "Authorization", "Bearer " + token).body())
                .contains("/C=IT/O=Tessera Test/OU=Users/CN=Alice Member");
        assertThat(pki.get(pki.alice, "fqans=/escape")).startsWith("HTTP/1.1 200");
    }

    private String rawHttp(String from, String path, String... headers) throws Exception {
        return rawRequest(from, "GET", path, headers);
    }

    /** An HTTP/1.1 request to the main port from a chosen loopback address (the trusted proxy is 127.0.0.2). */
    private String rawRequest(String from, String method, String path, String... headers) {
        return TesseraHttp.raw(properties.issuer(), from, method, path, headers);
    }
}
