package eu.tessera.server.migration;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import eu.tessera.server.testsupport.VomsTestPki;
import eu.tessera.voms.testpki.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * After moving a member from VOMS-Admin (the STAND-IN, VO escape, the member holding a group and a role there), the
 * real voms-proxy-init (Debian's voms-clients-java) with the member's own certificate gets the same FQANs from
 * Tessera's VOMS AA: the group, and the role when asked for.
 */
@TesseraIntegrationTest
class VomsAdminProxyIT {

    @Autowired
    Importer importer;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TesseraProperties properties;

    @Test
    void theRealVomsProxyInitGetsTheFqansTheMemberHadAtVomsAdmin() throws Exception {
        VomsTestPki pki = VomsTestPki.get();
        Map<String, Object> member = new LinkedHashMap<>();
        member.put("id", 7001);
        member.put("name", "Nobody");
        member.put("surname", "Known");
        member.put("emailAddress", "nobody-known-moved@example.org");
        member.put("creationTime", "2018-01-10T08:00:00");
        member.put("endTime", null);
        member.put("suspended", false);
        member.put("certificates", List.of(Map.of("subjectString", "/C=IT/O=Tessera Test/OU=Users/CN=Nobody Known",
                "issuerString", "/C=IT/O=Tessera Test/CN=Tessera Test CA", "suspended", false)));
        member.put("fqans", List.of("/escape", "/escape/cms", "/escape/Role=data-manager"));
        member.put("attributes", List.of());
        member.put("aupAcceptanceRecords", List.of());
        TestPki.Credential admin = TestPki.proxy(pki.alice, true);
        Path proxy = Files.createTempFile("x509up_admin", ".pem");
        TestPki.write(proxy, admin.certificate(), admin.key(), pki.alice.certificate());
        String id = VomsAdminSource.accountId(VomsTestPki.VO, 7001);
        Path work = Files.createTempDirectory("voms-moved");
        try (VomsAdminStandIn standIn = new VomsAdminStandIn(VomsTestPki.VO, List.of(member), pki.aa,
                pki.ca.certificate(), Set.of(pki.alice.certificate().getSubjectX500Principal().getName()))) {
            ImportReport report = importer.run(standIn.url(), new VomsAdminSource(standIn.url(), VomsTestPki.VO, proxy,
                    pki.dir.resolve("certificates")).read(), false);
            assertThat(report.count("accounts", "created")).as(report.summary()).isOne();
            assertThat(report.count("certificates", "created")).isOne();

            TesseraHttp http = TesseraHttp.to(properties.issuer());
            Files.createDirectories(work.resolve("vomsdir").resolve(VomsTestPki.VO));
            Files.writeString(work.resolve("vomsdir").resolve(VomsTestPki.VO).resolve("localhost.lsc"),
                    http.get("/voms/lsc").body());
            Files.writeString(work.resolve("vomses"), http.get("/voms/vomses").body());
            Path out = work.resolve("proxy");
            ProcessBuilder builder = new ProcessBuilder("voms-proxy-init3", "--vomses", work.resolve("vomses")
                    .toString(), "--out", out.toString(), "--voms", "escape:/escape/Role=data-manager", "--order",
                    "/escape/cms").redirectErrorStream(true).directory(work.toFile());
            builder.environment().put("X509_CERT_DIR", pki.dir.resolve("certificates").toString());
            builder.environment().put("X509_VOMS_DIR", work.resolve("vomsdir").toString());
            builder.environment().put("X509_USER_CERT", pki.dir.resolve("nobody.pem").toString());
            builder.environment().put("X509_USER_KEY", pki.dir.resolve("nobody.key").toString());
            builder.environment().put("HOME", work.toString());
            Process init = builder.start();
            init.getOutputStream().close();
            assertThat(init.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String initOutput = new String(init.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(init.exitValue()).as(initOutput).isZero();
            Process info = new ProcessBuilder("voms-proxy-info3", "--all", "--file", out.toString())
                    .redirectErrorStream(true).start();
            assertThat(info.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String infoOutput = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(infoOutput).containsPattern(
                    "attribute : /escape/cms\\s+attribute : /escape/Role=data-manager\\s+attribute : /escape\\s");
        } finally {
            jdbc.update("delete from account where id = ?", id);
        }
    }
}
