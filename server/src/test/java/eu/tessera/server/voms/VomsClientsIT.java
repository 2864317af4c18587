package eu.tessera.server.voms;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import eu.tessera.server.testsupport.VomsTestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The real VOMS clients against Tessera's AA: Debian's voms-clients-java (voms-proxy-init3, voms-proxy-info3)
 * and the C++ voms-clients (voms-proxy-init2, voms-proxy-info2, the strict ASN.1 parser that could not read
 * voms-api-java 3.3.5's ACs). Both are installed by the README's test command.
 */
@TesseraIntegrationTest
class VomsClientsIT {

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    eu.tessera.server.group.GroupAdmin groups;
    @Autowired
    eu.tessera.server.group.VoAdmins vos;
    @Autowired
    eu.tessera.server.aup.VoAupService addenda;
    final VomsTestPki pki = VomsTestPki.get();
    Path work;

    /** Output and exit code of a command. */
    record Run(int exit, String output) {
    }

    @BeforeEach
    void setUp() throws Exception {
        work = Files.createTempDirectory("voms-clients");
        String aliceId = jdbc.queryForObject("select id from account where username = 'alice'", String.class);
        jdbc.update("delete from account_certificate");
        jdbc.update("update account set active = true, end_time = null where id = ?", aliceId);
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        String admin = "Bearer " + http.token(TestClients.ADMIN_ID, TestClients.ADMIN_SECRET, "grant_type",
                "client_credentials", "scope", "iam:admin.write").json().get("access_token");
        TesseraHttp.Response linked = http.sendJson("POST", "/iam/account/" + aliceId + "/certificates",
                "{\"subjectDn\":\"CN=Alice Member,OU=Users,O=Tessera Test,C=IT\","
                        + "\"issuerDn\":\"/C=IT/O=Tessera Test/CN=Tessera Test CA\"}", "Authorization", admin);
        assertThat(linked.status()).as(linked.body()).isEqualTo(201);
        // the clients trust the AA through what Tessera serves for copying (GET /voms/vomses, /voms/lsc), with the
        // server configured as the README says (tessera.voms.certificate: the AA certificate, then its CA chain)
        TesseraHttp.Response vomses = http.get("/voms/vomses");
        TesseraHttp.Response lsc = http.get("/voms/lsc");
        assertThat(vomses.status()).isEqualTo(200);
        assertThat(lsc.status()).isEqualTo(200);
        Files.createDirectories(work.resolve("vomsdir").resolve(VomsTestPki.VO));
        Files.writeString(work.resolve("vomsdir").resolve(VomsTestPki.VO).resolve("localhost.lsc"), lsc.body());
        Files.writeString(work.resolve("vomses"), vomses.body());
    }

    @Test
    void servedVomsesLineAndLscThenWhatTheClientsReadForThisAa() throws Exception {
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        assertThat(http.get("/voms/vomses").body()).as("the default VO first, then the others served")
                .startsWith("\"escape\" \"localhost\" \"" + pki.port + "\" \"/C=IT/O=Tessera Test/CN=localhost\" \"escape\"\n")
                .contains("\"lofar\" \"localhost\" \"" + pki.voPort + "\" \"/C=IT/O=Tessera Test/CN=localhost\" \"lofar\"\n");
        assertThat(http.get("/voms/vomses?vo=escape").body()).isEqualTo("\"escape\" \"localhost\" \"" + pki.port
                + "\" \"/C=IT/O=Tessera Test/CN=localhost\" \"escape\"\n");
        assertThat(http.get("/voms/vomses?vo=atlas").status()).isEqualTo(404);
        TesseraHttp.Response lsc = http.get("/voms/lsc");
        assertThat(lsc.body()).isEqualTo("/C=IT/O=Tessera Test/CN=localhost\n/C=IT/O=Tessera Test/CN=Tessera Test CA\n");
        assertThat(lsc.header("Content-Type")).startsWith("text/plain");
        assertThat(lsc.body()).isEqualTo(Files.readString(pki.dir.resolve("vomsdir/escape/localhost.lsc")));
        String chainFile = Files.readString(pki.dir.resolve("aa.pem"));
        assertThat(chainFile.split("BEGIN CERTIFICATE", -1)).as("the documented chain file: AA, then its CA")
                .hasSize(3);
    }

    private Run run(String user, List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).directory(work.toFile());
        Map<String, String> env = builder.environment();
        env.put("X509_CERT_DIR", pki.dir.resolve("certificates").toString());
        env.put("X509_VOMS_DIR", work.resolve("vomsdir").toString());
        env.put("X509_USER_CERT", pki.dir.resolve(user + ".pem").toString());
        env.put("X509_USER_KEY", pki.dir.resolve(user + ".key").toString());
        env.put("VOMS_USERCONF", work.resolve("vomses").toString());
        env.put("HOME", work.toString());
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static List<String> cmd(String... parts) {
        return new ArrayList<>(List.of(parts));
    }

    private Run init3(String user, Path out, String... options) throws Exception {
        List<String> command = cmd("voms-proxy-init3", "--vomses", work.resolve("vomses").toString(),
                "--out", out.toString());
        command.addAll(List.of(options));
        return run(user, command);
    }

    private Run init2(String user, Path out, String... options) throws Exception {
        List<String> command = cmd("voms-proxy-init2", "-vomses", work.resolve("vomses").toString(),
                "-out", out.toString());
        command.addAll(List.of(options));
        return run(user, command);
    }

    @Test
    void javaClientGetsTheDefaultAndRequestedFqans() throws Exception {
        Path proxy = work.resolve("proxy-java");
        Run init = init3("alice", proxy, "--voms", "escape:/escape/Role=data-manager", "--order", "/escape/cms",
                "--valid", "1:00", "--debug");
        assertThat(init.exit()).as(init.output()).isZero();
        assertThat(init.output()).contains("Remote VOMS server contacted succesfully.")
                .contains("VOMS AC validation for VO escape succeded.");
        Run info3 = run("alice", cmd("voms-proxy-info3", "--all", "--file", proxy.toString()));
        assertThat(info3.exit()).as(info3.output()).isZero();
        assertThat(info3.output()).containsPattern(
                "attribute : /escape/cms\\s+attribute : /escape/Role=data-manager\\s+attribute : /escape\\s");
        assertThat(info3.output()).contains("uri       : localhost:" + pki.port);
        // The AC's validity as requested (--valid 1:00): the VO section's timeleft.
        assertThat(info3.output()).containsPattern("attribute : /escape\\s+timeleft  : (0?1:00:00|0?0:5\\d:\\d\\d)");
        Run info2 = run("alice", cmd("voms-proxy-info2", "-all", "-file", proxy.toString()));
        assertThat(info2.exit()).as(info2.output()).isZero();
        assertThat(info2.output()).contains("attribute : /escape/cms", "attribute : /escape/Role=data-manager")
                .contains("VO        : escape");
        assertThat(info2.output()).containsPattern("attribute : /escape\\s+timeleft  : (0?1:00:00|0?0:5\\d:\\d\\d)");
    }

    @Test
    void cppClientThroughItsOwnProxyAndTheLegacyByte() throws Exception {
        Path proxy = work.resolve("proxy-cpp");
        Run init = init2("alice", proxy, "-voms", "escape", "-valid", "2:00");
        assertThat(init.exit()).as(init.output()).isZero();
        Run info2 = run("alice", cmd("voms-proxy-info2", "-all", "-file", proxy.toString()));
        assertThat(info2.exit()).as(info2.output()).isZero();
        assertThat(info2.output()).containsPattern("attribute : /escape\\s+attribute : /escape/cms\\s");
        assertThat(info2.output()).containsPattern("timeleft  : (0?2:00:00|0?1:5\\d:\\d\\d)");
        Run info3 = run("alice", cmd("voms-proxy-info3", "--all", "--file", proxy.toString()));
        assertThat(info3.exit()).as(info3.output()).isZero();
        assertThat(info3.output()).containsPattern(
                "attribute : /escape\\s+attribute : /escape/cms\\s+timeleft  : (0?2:00:00|0?1:5\\d:\\d\\d)");
    }

    @Test
    void refusalsReachTheClients() throws Exception {
        Run unknown = init3("nobody", work.resolve("p1"), "--voms", "escape");
        assertThat(unknown.exit()).as(unknown.output()).isNotZero();
        assertThat(unknown.output()).contains("not linked to a member of the escape VO");
        Run unentitled = init3("alice", work.resolve("p2"), "--voms", "escape:/escape/atlas");
        assertThat(unentitled.exit()).as(unentitled.output()).isNotZero();
        assertThat(unentitled.output()).contains("not entitled to the attribute /escape/atlas");
        Run unentitledCpp = init2("alice", work.resolve("p3"), "-voms", "escape:/escape/atlas");
        assertThat(unentitledCpp.exit()).as(unentitledCpp.output()).isNotZero();
        assertThat(unentitledCpp.output())
                .contains("Error: You are not entitled to the attribute /escape/atlas in the escape VO.");
        jdbc.update("update account set active = false where username = 'alice'");
        try {
            Run suspended = init2("alice", work.resolve("p4"), "-voms", "escape");
            assertThat(suspended.exit()).as(suspended.output()).isNotZero();
            assertThat(suspended.output()).contains("Error: The account alice is suspended in the escape VO.");
        } finally {
            jdbc.update("update account set active = true where username = 'alice'");
        }
        Run stranger = init3("stranger", work.resolve("p5"), "--voms", "escape");
        assertThat(stranger.exit()).as(stranger.output()).isNotZero();
        assertThat(Files.exists(work.resolve("p5"))).isFalse();
    }

    /**
     * Issue 18: one AA serves several VOs. /cms is marked as a VO by a global admin (served on the shared port),
     * lofar has a port of its own (tessera.voms.vo-ports.lofar); alice is in escape, cms and lofar. Each client gets an
     * AC naming the VO it asked for (policy authority vo://localhost:port, validated by both clients against the same
     * .lsc file in that VO's vomsdir directory), with only that VO's FQANs.
     */
    @Test
    void oneServerSeveralVosForBothClients() throws Exception {
        try {
            String aliceId = jdbc.queryForObject("select id from account where username = 'alice'", String.class);
            String cms = groups.find("/cms").orElseGet(() -> groups.create("cms", null, false)).id();
            String production = groups.find("/cms/production").orElseGet(() -> groups.create("production", cms, true)).id();
            String lofar = groups.find("/lofar").orElseGet(() -> groups.create("lofar", null, false)).id();
            String survey = groups.find("/lofar/survey").orElseGet(() -> groups.create("survey", lofar, false)).id();
            for (String vo : List.of(cms, lofar)) {
                if (!vos.isVo(vo)) {
                    vos.mark(vo, "test");
                }
            }
            for (String group : List.of(cms, lofar, survey)) {
                groups.removeMember(group, aliceId, "test");
                groups.addMember(group, aliceId, false, null, "test");
            }
            groups.removeMember(production, aliceId, "test");
            groups.addMember(production, aliceId, true, null, "test");
            TesseraHttp http = TesseraHttp.to(properties.issuer());
            String lsc = http.get("/voms/lsc").body();
            StringBuilder vomses = new StringBuilder();
            for (String vo : List.of("cms", "lofar")) {
                TesseraHttp.Response line = http.get("/voms/vomses?vo=" + vo);
                assertThat(line.status()).as(vo).isEqualTo(200);
                vomses.append(line.body());
                Files.createDirectories(work.resolve("vomsdir").resolve(vo));
                Files.writeString(work.resolve("vomsdir").resolve(vo).resolve("localhost.lsc"), lsc);
            }
            assertThat(vomses.toString()).contains("\"cms\" \"localhost\" \"" + pki.port + "\"")
                    .contains("\"lofar\" \"localhost\" \"" + pki.voPort + "\"");
            Files.writeString(work.resolve("vomses"), vomses.toString());

            Path cmsJava = work.resolve("proxy-cms-java");
            Run init = init3("alice", cmsJava, "--voms", "cms:/cms/Role=production", "--debug");
            assertThat(init.exit()).as(init.output()).isZero();
            assertThat(init.output()).contains("VOMS AC validation for VO cms succeded.");
            Run info = run("alice", cmd("voms-proxy-info2", "-all", "-file", cmsJava.toString()));
            assertThat(info.exit()).as(info.output()).isZero();
            assertThat(info.output()).contains("VO        : cms", "attribute : /cms/Role=production", "attribute : /cms")
                    .contains("uri       : localhost:" + pki.port).doesNotContain("/escape").doesNotContain("/lofar");

            // the C++ client names no VO (fqans=all): lofar's own port decides
            Path lofarCpp = work.resolve("proxy-lofar-cpp");
            Run cpp = init2("alice", lofarCpp, "-voms", "lofar");
            assertThat(cpp.exit()).as(cpp.output()).isZero();
            Run info3 = run("alice", cmd("voms-proxy-info3", "--all", "--file", lofarCpp.toString()));
            assertThat(info3.exit()).as(info3.output()).isZero();
            assertThat(info3.output()).containsPattern("attribute : /lofar\\s+attribute : /lofar/survey\\s")
                    .contains("uri       : localhost:" + pki.voPort).doesNotContain("/cms").doesNotContain("/escape");
            Run javaLofar = init3("alice", work.resolve("proxy-lofar-java"), "--voms", "lofar", "--debug");
            assertThat(javaLofar.exit()).as(javaLofar.output()).isZero();
            assertThat(javaLofar.output()).contains("VOMS AC validation for VO lofar succeded.");

            // another VO's attributes on lofar's port, and a VO not served: refused with the reason
            Files.writeString(work.resolve("vomses"), http.get("/voms/vomses?vo=lofar").body().replace("\"lofar\"", "\"cms\""));
            Run crossed = init3("alice", work.resolve("proxy-crossed"), "--voms", "cms:/cms");
            assertThat(crossed.exit()).as(crossed.output()).isNotZero();
            assertThat(crossed.output()).contains("This port serves the lofar VO; /cms is not one of its attributes.");
            // the C++ client on the shared port names the VO's root group (-voms cms): the cms AC
            Files.writeString(work.resolve("vomses"), http.get("/voms/vomses?vo=cms").body());
            Path cmsCpp = work.resolve("proxy-cms-cpp");
            Run named = init2("alice", cmsCpp, "-voms", "cms");
            assertThat(named.exit()).as(named.output()).isZero();
            Run cmsInfo = run("alice", cmd("voms-proxy-info3", "--all", "--file", cmsCpp.toString()));
            assertThat(cmsInfo.output()).containsPattern("attribute : /cms\\s").doesNotContain("/lofar")
                    .doesNotContain("/escape");
            // a request naming no VO on the shared port, from a member of several: asked to name one, nothing issued
            String ambiguous = pki.get(pki.alice, "fqans=all");
            assertThat(ambiguous).startsWith("HTTP/1.1 400").contains("<code>BadRequest</code>")
                    .contains("You are a member of several VOs served here (").doesNotContain("<ac>");

            // the VO's own AUP addendum, unsigned: that VO's ACs are refused with the reason, the other VO's are not
            Files.writeString(work.resolve("vomses"), http.get("/voms/vomses?vo=lofar").body());
            addenda.publish(lofar, "LOFAR data rules", null, 30, List.of(10), "test");
            try {
                Run refused = init2("alice", work.resolve("proxy-lofar-unsigned"), "-voms", "lofar");
                assertThat(refused.exit()).as(refused.output()).isNotZero();
                assertThat(refused.output()).contains("The lofar addendum to the acceptable use policy must be signed at "
                        + properties.baseUrl() + "/aup before attributes are issued.");
                assertThat(pki.get(pki.alice, "fqans=/cms")).startsWith("HTTP/1.1 200");
                addenda.sign(lofar, aliceId, java.time.Instant.now(), aliceId);
                Run signed = init2("alice", work.resolve("proxy-lofar-signed"), "-voms", "lofar");
                assertThat(signed.exit()).as(signed.output()).isZero();
            } finally {
                addenda.withdraw(lofar, "test");
            }
        } finally {
            // other tests expect alice's groups and an instance without these VOs
            jdbc.update("delete from vo_group where path in ('/cms/production', '/lofar/survey')");
            jdbc.update("delete from vo_group where path in ('/cms', '/lofar')");
        }
    }
}
