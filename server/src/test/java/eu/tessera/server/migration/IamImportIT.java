package eu.tessera.server.migration;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.BrowserFlows;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TestMail;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import eu.tessera.server.testsupport.TokenVerifier;
import eu.tessera.server.voms.VomsAccountLookup;
import eu.tessera.voms.pki.DistinguishedNames;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Moving a VO from INDIGO IAM, against the IAM STAND-IN ({@link IamStandIn}: IAM cannot run here) serving 2,000
 * accounts with broken rows among them: a dry run writes nothing; the import keeps every id as the token {@code sub}
 * and the groups a token carries, refuses each broken row with its reason and imports the rest; a second run writes
 * nothing; one membership changed at the source changes exactly that; a run stopped halfway and started again
 * completes without duplicates. The steps build on each other (ordered).
 */
@TesseraIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IamImportIT {

    private static final int N = 2_000;
    private static final String TOKEN = "iam-admin-token-" + UUID.randomUUID();

    @Autowired
    Importer importer;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TesseraProperties properties;
    @Autowired
    PasswordEncoder encoder;
    @Autowired
    VomsAccountLookup voms;

    private final String tag = "mv" + UUID.randomUUID().toString().substring(0, 4);
    private IamDataset data;
    private IamStandIn iam;

    @BeforeAll
    void start() throws Exception {
        data = IamDataset.generate(N, tag);
        iam = new IamStandIn(data, TOKEN);
    }

    @AfterAll
    void stop() {
        iam.close();
        jdbc.update("delete from account where username like ?", tag + "%");
        jdbc.update("delete from account where id in (select a.id from account a where a.email like ?)", tag + "%");
        jdbc.update("delete from vo_group where path like ?", "/" + tag + "/%/%/%");
        jdbc.update("delete from vo_group where path like ?", "/" + tag + "/%/%");
        jdbc.update("delete from vo_group where path like ?", "/" + tag + "/%");
        jdbc.update("delete from vo_group where path = ?", "/" + tag);
        jdbc.update("delete from aup");
        jdbc.update("delete from oauth_client where client_id like ?", tag + "-%");
        jdbc.update("delete from scope_policy where description like ?", tag + " %");
        jdbc.update("delete from exchange_policy where description like ?", tag + " %");
    }

    private int audits() {
        return jdbc.queryForObject("select count(*) from audit_event", Integer.class);
    }

    private int accounts() {
        return jdbc.queryForObject("select count(*) from account where username like ?", Integer.class, tag + "%");
    }

    private ImportReport importNow(boolean dryRun) {
        return importer.run(iam.url(), new IamSource(iam.url(), TOKEN).read(), dryRun);
    }

    @Test
    @Order(1)
    void aDryRunReadsEverythingAndWritesNothing() {
        int audits = audits();
        ImportReport report = importNow(true);
        assertThat(report.count("accounts", "created")).isEqualTo(N - 2);   // the duplicate email, the bad username
        assertThat(report.count("groups", "created")).isEqualTo(1 + 3 * 5 + 1);
        assertThat(report.writes()).isPositive();
        assertThat(accounts()).isZero();
        assertThat(jdbc.queryForObject("select count(*) from vo_group where path like ?", Integer.class, "/" + tag + "%"))
                .isZero();
        assertThat(audits()).isEqualTo(audits);
        assertThat(report.summary()).startsWith("Dry run (nothing written)").contains("accounts", "created 1998");
        // the reader paged as IAM pages: 100 at a time
        assertThat(iam.byPath.get("/scim/Users")).isEqualTo(N / IamStandIn.MAX_COUNT);
    }

    @Test
    @Order(2)
    @SuppressWarnings("unchecked")
    void theImportKeepsIdsGroupsAndIdentitiesAndRefusesEachBrokenRowWithItsReason() throws Exception {
        ImportReport report = importNow(false);
        assertThat(accounts()).isEqualTo(N - 2);
        Map<String, String> refused = report.refusals().stream().collect(Collectors.toMap(r -> r.kind() + " " + r.key(),
                ImportReport.Refusal::reason, (a, b) -> a + "; " + b));
        assertThat(refused).containsKeys("accounts " + data.users.get(99).username, "accounts bad user!");
        assertThat(refused.entrySet().stream().filter(e -> e.getKey().startsWith("source group " + tag + "/ghost/orphan"))
                .map(Map.Entry::getValue)).containsExactly("its parent group is missing");
        assertThat(refused.get("accounts " + data.users.get(99).username)).contains("belongs to another account");
        assertThat(refused.get("accounts bad user!")).contains("Username");
        assertThat(refused.entrySet().stream().filter(e -> e.getKey().startsWith("certificates "))
                .map(Map.Entry::getValue)).anyMatch(r -> r.contains("not a DN"));

        // SSH keys: every valid one moved with its label (an over-long label replaced by the key's comment); the
        // damaged key and the key already on another account refused
        assertThat(refused.get("sshKeys " + data.users.get(102).username + " old")).contains("cut short");
        assertThat(refused.get("sshKeys " + data.users.get(104).username + " laptop"))
                .contains("belongs to another account");
        long keys = data.users.stream().filter(x -> x != data.users.get(99) && x != data.users.get(101))
                .mapToLong(x -> x.sshKeys.size()).sum() - 2;
        assertThat(jdbc.queryForObject("select count(*) from account_ssh_key k join account a on a.id = k.account_id "
                + "where a.username like ?", Long.class, tag + "%")).isEqualTo(keys);
        IamDataset.User keyHolder = data.users.get(3);
        assertThat(jdbc.queryForList("select label from account_ssh_key where account_id = ? order by created_at",
                String.class, keyHolder.id)).containsExactly("laptop", "cluster");
        assertThat(jdbc.queryForObject("select key_value from account_ssh_key where account_id = ? and label = "
                + "'laptop'", String.class, keyHolder.id)).isEqualTo(keyHolder.sshKeys.get(0).value());
        // the same fingerprint as IAM serves for it, so scripts matching keys by fingerprint keep working
        Map<String, Object> served = (Map<String, Object>) ((List<?>) ((Map<String, Object>) IamStandIn.user(
                keyHolder, data).get("urn:indigo-dc:scim:schemas:IndigoUser")).get("sshKeys")).get(0);
        assertThat(jdbc.queryForObject("select fingerprint from account_ssh_key where account_id = ? and label = "
                + "'laptop'", String.class, keyHolder.id)).isEqualTo(served.get("fingerprint"));

        // same ids, names, state, end times, identities, labels, attributes
        IamDataset.User u = data.users.get(40);   // in /tag, its experiment, analysis; certificates, oidc, saml
        assertThat(jdbc.queryForMap("select username, email, given_name, family_name, lifecycle_state from account "
                + "where id = ?", u.id)).containsEntry("username", u.username).containsEntry("email", u.email)
                .containsEntry("given_name", u.givenName).containsEntry("lifecycle_state", "ACTIVE");
        assertThat(jdbc.queryForObject("select count(*) from account_certificate where account_id = ?", Integer.class,
                u.id)).isEqualTo(2);   // the same subject from two CAs
        assertThat(jdbc.queryForList("select type from account_identity where account_id = ?", String.class, u.id))
                .containsExactly("SAML");   // 40: SAML (every 10th), no OpenID (every 6th)
        assertThat(jdbc.queryForList("select type from account_identity where account_id = ?", String.class,
                data.users.get(30).id)).containsExactlyInAnyOrder("SAML", "OIDC");
        assertThat(jdbc.queryForObject("select label_value from account_label where account_id = ? and prefix = "
                + "'voms.escape.eu' and name = 'id'", String.class, u.id)).isEqualTo("1040");
        assertThat(jdbc.queryForObject("select lifecycle_state from account where id = ?", String.class,
                data.users.get(49).id)).isEqualTo("SUSPENDED");
        assertThat(jdbc.queryForObject("select end_time from account where id = ?", java.sql.Timestamp.class,
                data.users.get(9).id).toInstant()).isEqualTo(data.users.get(9).endTime);
        assertThat(jdbc.queryForObject("select count(*) from account where admin = true and id = ?", Integer.class,
                data.users.get(0).id)).isOne();
        assertThat(jdbc.queryForObject("select count(*) from account where reader = true and id = ?", Integer.class,
                data.users.get(1).id)).isOne();
        assertThat(jdbc.queryForObject("select optional from vo_group where path = ?", Boolean.class,
                "/" + tag + "/cms/pilot")).isTrue();
        assertThat(jdbc.queryForObject("select prop_value from group_property p join vo_group g on g.id = p.group_id "
                + "where g.path = ? and p.name = 'cern.ch/experiment-class'", String.class, "/" + tag)).isEqualTo("escape");
        assertThat(jdbc.queryForObject("select count(*) from group_manager m join vo_group g on g.id = m.group_id where "
                + "g.path like ?", Integer.class, "/" + tag + "/%")).isEqualTo(3);
        assertThat(jdbc.queryForObject("select count(*) from aup_signature where account_id = ?", Integer.class,
                data.users.get(2).id)).isOne();

        // every member of every group, as at the source (SCIM lists the same members)
        String scim = "Bearer " + TestClients.adminToken(properties.issuer(), "scim:read");
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        for (String path : List.of("/" + tag + "/atlas/production/disk", "/" + tag + "/cms/pilot")) {
            IamDataset.Group group = data.groupByPath(path);
            Set<String> expected = data.users.stream().filter(x -> x.groups.contains(group.id))
                    .filter(x -> x != data.users.get(99) && x != data.users.get(101)).map(x -> x.id)
                    .collect(Collectors.toSet());
            String tesseraId = jdbc.queryForObject("select id from vo_group where path = ?", String.class, path);
            List<Map<String, Object>> members = (List<Map<String, Object>>) http.get("/scim/Groups/" + tesseraId,
                    "Authorization", scim).json().get("members");
            assertThat(members.stream().map(m -> (String) m.get("value")).collect(Collectors.toSet()))
                    .as(path).isEqualTo(expected).isNotEmpty();
        }

        // a member's token: the same sub, the groups IAM's WLCG profile would give (default groups, not the optional)
        IamDataset.User member = data.users.get(28);   // tag, cms, production, disk (28 % 7 == 0, 28 % 14 == 0)
        jdbc.update("update account set password_hash = ? where id = ?", encoder.encode("moved-member-password"),
                member.id);
        String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
        String redirect = BrowserFlows.authorize(TesseraHttp.browser(properties.issuer()), TesseraHttp.form(
                "response_type", "code", "client_id", TestClients.DEMO_ID, "redirect_uri", TestClients.DEMO_REDIRECT,
                "scope", "openid wlcg.groups", "state", "s", "code_challenge", BrowserFlows.s256(verifier),
                "code_challenge_method", "S256"), member.username, "moved-member-password");
        String code = TesseraHttp.queryParameter(redirect, "code").orElseThrow(() -> new AssertionError(redirect));
        SignedJWT jwt = TokenVerifier.verify(http, (String) BrowserFlows.redeemDemoCode(http, code, verifier).json()
                .get("access_token"));
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo(member.id);
        Set<String> expectedGroups = new HashSet<>();
        member.groups.stream().filter(g -> !data.optional(g)).forEach(g -> expectedGroups.add(data.group(g).path()));
        assertThat(new HashSet<>(BrowserFlows.groups(jwt))).isEqualTo(expectedGroups);

        // the VOMS lookup finds a member by a certificate imported without PEM, in either DN form
        IamDataset.User holder = data.users.get(4);
        var found = voms.find(DistinguishedNames.canonical("CN=User 4,OU=Users,O=Example,DC=org"),
                DistinguishedNames.canonical(IamDataset.CA1)).orElseThrow();
        assertThat(found.id()).isEqualTo(holder.id);
        assertThat(found.memberships()).extracting(m -> m.groupPath()).containsAll(data.paths(holder).stream()
                .filter(p -> !p.endsWith("/pilot")).toList());

        // scope policies (IAM's seeded default is Tessera's too) and clients with their ids
        assertThat(report.count("policies", "created")).isEqualTo(2);
        assertThat(report.count("policies", "unchanged")).isEqualTo(1);
        TesseraHttp.Response decision = http.get("/iam/scope_policies/decision?" + TesseraHttp.form("account",
                data.users.get(2).username, "scope", "storage.modify:/data"), "Authorization", "Bearer "
                + TestClients.adminToken(properties.issuer(), "iam:admin.read"));
        assertThat(decision.json()).containsEntry("denied", List.of("storage.modify:/data"));   // user 2 is in lofar
        assertThat(http.token(tag + "-rucio", "rucio-secret-" + tag, "grant_type", "client_credentials").status())
                .isEqualTo(200);   // the secret IAM gave moved with the client
        String jupyterSecret = report.secrets().get(tag + "-jupyter");
        assertThat(jupyterSecret).isNotBlank();
        assertThat(report.secrets()).doesNotContainKeys(tag + "-rucio", tag + "-agent");
        assertThat(report.summary()).doesNotContain(jupyterSecret).contains("got a new secret");
        assertThat(jdbc.queryForObject("select owner_account_id from oauth_client where client_id = ?", String.class,
                tag + "-jupyter")).isEqualTo(data.users.get(0).id);
        assertThat(jdbc.queryForObject("select access_token_ttl_seconds from oauth_client where client_id = ?",
                Integer.class, tag + "-rucio")).isEqualTo(900);
        assertThat(refused.get("clients " + tag + "-legacy")).contains("password");
        // exchange policies: IAM's seeded "Allow all" is Tessera's too; a BY_ID one moves; one limiting scopes is refused
        assertThat(report.count("exchanges", "created")).isOne();
        assertThat(jdbc.queryForObject("select count(*) from exchange_policy where description = ?", Integer.class,
                tag + " rucio to fts")).isOne();
        assertThat(refused.get("exchanges " + tag + " scoped")).contains("scopePolicies");

        // a password holder (no external identity, no certificate) is asked to set a password
        IamDataset.User local = data.users.get(2);
        assertThat(TestMail.body(TestMail.get().awaitContaining(local.email, "Passwords could not be moved")))
                .contains("/reset-password?token=");
    }

    @Test
    @Order(3)
    void aSecondRunWithNothingChangedWritesNothing() {
        // an end time an admin set in Tessera during the parallel run: IAM's API gives none, so it stays
        IamDataset.User member = data.users.get(7);
        String group = jdbc.queryForObject("select id from vo_group where path = ?", String.class, "/" + tag);
        java.time.Instant end = java.time.Instant.parse("2031-01-01T00:00:00Z");
        jdbc.update("update membership set end_time = ? where account_id = ? and group_id = ?",
                java.sql.Timestamp.from(end), member.id, group);
        int audits = audits();
        ImportReport report = importNow(false);
        assertThat(jdbc.queryForObject("select end_time from membership where account_id = ? and group_id = ?",
                java.sql.Timestamp.class, member.id, group).toInstant()).isEqualTo(end);
        assertThat(report.writes()).as(report.summary()).isZero();
        assertThat(report.count("accounts", "unchanged")).isEqualTo(N - 2);
        assertThat(report.count("clients", "unchanged")).isEqualTo(3);
        assertThat(report.count("policies", "unchanged")).isEqualTo(3);
        assertThat(audits()).isEqualTo(audits);
    }

    @Test
    @Order(4)
    void oneMembershipChangedAtTheSourceChangesExactlyThat() {
        IamDataset.User moved = data.users.get(3);
        String analysis = data.groupByPath("/" + tag + "/atlas/analysis").id;
        assertThat(moved.groups).doesNotContain(analysis);
        moved.groups.add(analysis);
        IamDataset.User left = data.users.get(5);   // in /tag/lofar/analysis (5 % 3 == 2, 5 % 5 == 0)
        String lofarAnalysis = data.groupByPath("/" + tag + "/lofar/analysis").id;
        assertThat(left.groups.remove(lofarAnalysis)).isTrue();
        int audits = audits();
        ImportReport report = importNow(false);
        assertThat(report.writes()).as(report.summary()).isEqualTo(2);
        assertThat(report.count("memberships", "created")).isOne();
        assertThat(report.count("memberships", "removed")).isOne();
        assertThat(audits()).isEqualTo(audits + 2);
        assertThat(jdbc.queryForObject("select count(*) from membership m join vo_group g on g.id = m.group_id where "
                + "m.account_id = ? and g.path = ?", Integer.class, moved.id, "/" + tag + "/atlas/analysis")).isOne();
        assertThat(jdbc.queryForObject("select count(*) from membership m join vo_group g on g.id = m.group_id where "
                + "m.account_id = ? and g.path = ?", Integer.class, left.id, "/" + tag + "/lofar/analysis")).isZero();
    }

    @Test
    @Order(5)
    void aRunStoppedHalfwayAndStartedAgainCompletesWithoutDuplicates() {
        // a second VO's IAM: the first run stops after half its accounts (each account is its own transaction)
        String other = tag + "b";
        IamDataset second = IamDataset.generate(200, other);
        iam.data(second);
        SourceData.Snapshot full = new IamSource(iam.url(), TOKEN).read();
        SourceData.Snapshot half = new SourceData.Snapshot(full.accounts().subList(0, 100), full.groups(),
                full.managers(), full.admins(), full.readers(), full.aup(), full.scopePolicies(),
                full.exchangePolicies(), full.clients(), List.of());
        importer.run(iam.url(), half, false);
        ImportReport rest = importer.run(iam.url(), full, false);
        // user 99 (a duplicate email) is refused in both runs, user 101 (a bad username) in the second
        assertThat(rest.count("accounts", "created")).isEqualTo(100 - 1);
        assertThat(rest.count("accounts", "unchanged")).isEqualTo(100 - 1);
        assertThat(jdbc.queryForObject("select count(*) from account where username like ?", Integer.class,
                other + "%")).isEqualTo(200 - 2);
        assertThat(jdbc.queryForObject("select count(*) from (select account_id, group_id from membership group by "
                + "account_id, group_id having count(*) > 1) d", Integer.class)).isZero();
        jdbc.update("delete from account where username like ?", other + "%");
        jdbc.update("delete from vo_group where path like ?", "/" + other + "/%/%/%");
        jdbc.update("delete from vo_group where path like ?", "/" + other + "/%/%");
        jdbc.update("delete from vo_group where path like ?", "/" + other + "/%");
        jdbc.update("delete from vo_group where path = ?", "/" + other);
        iam.data(data);
    }

    @Test
    @Order(6)
    void theCommandRefusesAWrongTokenAndBadArgumentsClearly() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path report = Files.createTempFile("import-report", ".json");
        int status = ImportCommand.importIam(importer, iam.url(), "wrong-token", false, report,
                new PrintStream(out), new PrintStream(err));
        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).contains("401", "scim:read and iam:admin.read").doesNotContain("wrong-token");
        assertThat(ImportCommand.run(new String[] {"keycloak"}, new PrintStream(out), new PrintStream(err)))
                .isEqualTo(2);
        assertThat(ImportCommand.run(new String[] {"iam", "--url", "ftp://x"}, new PrintStream(out),
                new PrintStream(err))).isEqualTo(2);
        assertThat(err.toString()).contains("usage: tessera import iam");
        // a dry run through the command writes its report
        assertThat(ImportCommand.importIam(importer, iam.url(), TOKEN, true, report, new PrintStream(out),
                new PrintStream(err))).isZero();
        assertThat(Files.readString(report)).contains("\"dryRun\" : true", "\"refused\"").doesNotContain(TOKEN);
        assertThat(out.toString()).contains("Dry run (nothing written)");
    }

}
