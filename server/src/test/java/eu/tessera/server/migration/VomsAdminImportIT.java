package eu.tessera.server.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.tessera.server.testsupport.TesseraIntegrationTest;
import eu.tessera.server.testsupport.VomsTestPki;
import eu.tessera.server.voms.VomsAccountLookup;
import eu.tessera.voms.pki.DistinguishedNames;
import eu.tessera.voms.testpki.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Moving a VO from VOMS-Admin, against the VOMS-Admin STAND-IN ({@link VomsAdminStandIn}: VOMS-Admin cannot run
 * here) over HTTPS with a VO admin's RFC 3820 proxy: 2,000 users with certificates in the OpenSSL form (stored in RFC
 * 2253), groups, roles as optional groups, suspension, end times, AUP acceptance, attributes, a {@code voms.<vo>.id}
 * label per account, broken rows refused with their reason; a second run writes nothing; a proxy of someone who is
 * no VO admin is refused with the reason.
 */
@TesseraIntegrationTest
class VomsAdminImportIT {

    private static final int N = 2_000;

    @Autowired
    Importer importer;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    VomsAccountLookup voms;

    private final String vo = "vm" + UUID.randomUUID().toString().substring(0, 4);
    private VomsAdminStandIn standIn;
    private Path adminProxy;
    private Path strangerProxy;
    private VomsTestPki pki;

    static List<Map<String, Object>> users(String vo, int n) {
        List<Map<String, Object>> users = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("id", i + 1);
            u.put("name", "Name" + i);
            u.put("surname", "Surname" + i);
            u.put("institution", "INFN");
            u.put("emailAddress", i == 50 ? "voms49@example.org" : "voms" + i + "@example.org");   // 50: a duplicate
            u.put("creationTime", "2019-05-01T10:00:00");
            u.put("endTime", i % 10 == 0 ? "2028-01-01T00:00:00" : null);
            u.put("suspended", i % 40 == 39);
            List<Map<String, Object>> certificates = new ArrayList<>();
            certificates.add(Map.of("subjectString", i == 60 ? "garbage, not a DN" : "/C=IT/O=VOMS Test/CN=Voms User " + i,
                    "issuerString", "/C=IT/O=VOMS Test/CN=VOMS Test CA", "suspended", false, "creationTime",
                    "2019-05-01T10:00:00"));
            if (i % 5 == 0) {
                certificates.add(Map.of("subjectString", "/C=IT/O=VOMS Test/CN=Old Voms User " + i, "issuerString",
                        "/C=IT/O=VOMS Test/CN=VOMS Test CA", "suspended", true, "suspensionReason", "expired"));
            }
            u.put("certificates", certificates);
            List<String> fqans = new ArrayList<>(List.of("/" + vo));
            if (i % 2 == 0) {
                fqans.add("/" + vo + "/atlas");
            }
            if (i % 4 == 0) {
                fqans.add("/" + vo + "/atlas/Role=production");
            }
            if (i % 3 == 0) {
                fqans.add("/" + vo + "/cms/analysis");
            }
            if (i % 7 == 0) {
                fqans.add("/" + vo + "/Role=VO-Admin");
            }
            u.put("fqans", fqans);
            u.put("attributes", List.of(Map.of("name", "nickname", "value", "nick" + i)));
            u.put("aupAcceptanceRecords", List.of(Map.of("aupVersion", "1.0", "lastAcceptanceDate",
                    "2026-02-01T12:00:00", "daysBeforeExpiration", 300, "valid", true)));
            u.put("pendingSignAUPTask", null);
            users.add(u);
        }
        return users;
    }

    @BeforeEach
    void start() throws Exception {
        pki = VomsTestPki.get();
        TestPki.Credential admin = TestPki.proxy(pki.alice, true);
        adminProxy = Files.createTempFile("x509up_admin", ".pem");
        TestPki.write(adminProxy, admin.certificate(), admin.key(), pki.alice.certificate());
        TestPki.Credential other = TestPki.proxy(pki.nobody, true);
        strangerProxy = Files.createTempFile("x509up_other", ".pem");
        TestPki.write(strangerProxy, other.certificate(), other.key(), pki.nobody.certificate());
        standIn = new VomsAdminStandIn(vo, users(vo, N), pki.aa, pki.ca.certificate(),
                Set.of(pki.alice.certificate().getSubjectX500Principal().getName()));
    }

    @AfterEach
    void stop() {
        standIn.close();
        jdbc.update("delete from account where exists (select 1 from account_label l where l.account_id = account.id "
                + "and l.name = ?)", "voms." + vo + ".id");
        for (int depth = 4; depth >= 1; depth--) {
            jdbc.update("delete from vo_group where path like ? and path not like ?", "/" + vo + "/%".repeat(1)
                    + "/%".repeat(depth - 1), "/" + vo + "/%".repeat(1) + "/%".repeat(depth));
        }
        jdbc.update("delete from vo_group where path = ?", "/" + vo);
    }

    private ImportReport importNow(Path proxy) {
        return importer.run(standIn.url(), new VomsAdminSource(standIn.url(), vo, proxy, pki.dir.resolve(
                "certificates")).read(), false);
    }

    @Test
    void usersGroupsRolesAndCertificatesMoveWithTheirVomsIdsAndASecondRunWritesNothing() {
        ImportReport report = importNow(adminProxy);
        assertThat(report.count("accounts", "created")).as(report.summary()).isEqualTo(N - 1);
        assertThat(report.refusals()).anyMatch(r -> r.kind().equals("accounts") && r.key().equals("user.51")
                && r.reason().contains("belongs to another account"));
        assertThat(report.refusals()).anyMatch(r -> r.kind().equals("certificates") && r.key().startsWith("user.61")
                && r.reason().contains("not a DN"));

        String id = VomsAdminSource.accountId(vo, 5);   // i = 4
        assertThat(jdbc.queryForMap("select username, email, given_name, family_name from account where id = ?", id))
                .containsEntry("username", "user.5").containsEntry("email", "voms4@example.org")
                .containsEntry("family_name", "Surname4");
        assertThat(jdbc.queryForObject("select label_value from account_label where account_id = ? and name = ?",
                String.class, id, "voms." + vo + ".id")).isEqualTo("5");
        assertThat(jdbc.queryForList("select g.path from membership m join vo_group g on g.id = m.group_id where "
                + "m.account_id = ?", String.class, id)).containsExactlyInAnyOrder("/" + vo, "/" + vo + "/atlas",
                "/" + vo + "/atlas/production");
        assertThat(jdbc.queryForObject("select optional from vo_group where path = ?", Boolean.class,
                "/" + vo + "/atlas/production")).isTrue();
        assertThat(jdbc.queryForObject("select optional from vo_group where path = ?", Boolean.class,
                "/" + vo + "/VO-Admin")).isTrue();
        assertThat(jdbc.queryForObject("select optional from vo_group where path = ?", Boolean.class,
                "/" + vo + "/cms")).isFalse();
        // certificates in RFC 2253, the suspended one left behind; the VOMS lookup finds the holder
        assertThat(jdbc.queryForList("select subject_dn from account_certificate where account_id = ?", String.class,
                VomsAdminSource.accountId(vo, 6))).containsExactly(DistinguishedNames.canonical(
                "/C=IT/O=VOMS Test/CN=Voms User 5"));
        var found = voms.find(DistinguishedNames.canonical("/C=IT/O=VOMS Test/CN=Voms User 4"),
                DistinguishedNames.canonical("/C=IT/O=VOMS Test/CN=VOMS Test CA")).orElseThrow();
        assertThat(found.id()).isEqualTo(id);
        assertThat(jdbc.queryForObject("select lifecycle_state from account where id = ?", String.class,
                VomsAdminSource.accountId(vo, 40))).isEqualTo("SUSPENDED");
        assertThat(jdbc.queryForObject("select end_time from account where id = ?", java.sql.Timestamp.class,
                VomsAdminSource.accountId(vo, 1)).toInstant()).isEqualTo(java.time.Instant.parse("2028-01-01T00:00:00Z"));
        assertThat(jdbc.queryForObject("select attr_value from account_attribute where account_id = ? and name = "
                + "'nickname'", String.class, id)).isEqualTo("nick4");

        ImportReport again = importNow(adminProxy);
        assertThat(again.writes()).as(again.summary()).isZero();
        assertThat(again.count("accounts", "unchanged")).isEqualTo(N - 1);
    }

    @Test
    void usernamesFromAGenericAttributeAsVomsImportersUsernameAttrAndUserIdWhereItIsMissingOrUnusable() throws Exception {
        List<Map<String, Object>> users = users(vo, 12);
        users.get(3).put("attributes", List.of(Map.of("name", "nickname", "value", "not a username!")));
        users.get(8).put("attributes", List.of());
        standIn.close();
        standIn = new VomsAdminStandIn(vo, users, pki.aa, pki.ca.certificate(),
                Set.of(pki.alice.certificate().getSubjectX500Principal().getName()));
        ImportReport report = importer.run(standIn.url(), new VomsAdminSource(standIn.url(), vo, adminProxy,
                pki.dir.resolve("certificates"), "nickname").read(), false);
        assertThat(jdbc.queryForObject("select username from account where id = ?", String.class,
                VomsAdminSource.accountId(vo, 5))).isEqualTo("nick4");
        assertThat(jdbc.queryForObject("select username from account where id = ?", String.class,
                VomsAdminSource.accountId(vo, 4))).isEqualTo("user.4");
        assertThat(jdbc.queryForObject("select username from account where id = ?", String.class,
                VomsAdminSource.accountId(vo, 9))).isEqualTo("user.9");
        assertThat(report.refusals()).anyMatch(r -> r.key().equals("user 4") && r.reason().contains(
                "attribute nickname is not a username Tessera accepts") && r.reason().contains("imported as user.4"));
        assertThat(report.refusals()).anyMatch(r -> r.key().equals("user 9") && r.reason().contains(
                "no attribute nickname; imported as user.9"));
        assertThat(report.count("accounts", "created")).isEqualTo(12);
        // the command takes the option
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        assertThat(ImportCommand.run(new String[] {"voms-admin", "--url", standIn.url(), "--username-attribute"},
                System.out, new java.io.PrintStream(err))).isEqualTo(2);
        assertThat(err.toString()).contains("--username-attribute needs a value");
    }

    @Test
    void aProxyOfSomeoneWhoIsNoVoAdminIsRefusedWithTheReason() {
        assertThatThrownBy(() -> importNow(strangerProxy)).isInstanceOf(ImportException.class)
                .hasMessageContaining("403").hasMessageContaining("VO admin");
        assertThatThrownBy(() -> new VomsAdminSource(standIn.url(), vo, Path.of("/no/such/proxy"),
                pki.dir.resolve("certificates"))).isInstanceOf(ImportException.class)
                .hasMessageContaining("cannot read the credential");
        // the command says what is wrong before it starts anything
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream errors = new java.io.PrintStream(err);
        assertThat(ImportCommand.run(new String[] {"voms-admin", "--url", "http://voms.example.org/voms/x"},
                System.out, errors)).isEqualTo(2);
        assertThat(ImportCommand.run(new String[] {"voms-admin", "--url", standIn.url(), "--proxy", "/no/such/proxy"},
                System.out, errors)).isEqualTo(2);
        assertThat(err.toString()).contains("https://<host>:8443/voms/<vo>", "cannot read the proxy /no/such/proxy");
    }
}
