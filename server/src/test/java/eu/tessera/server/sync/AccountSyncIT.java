package eu.tessera.server.sync;

import static eu.tessera.server.sync.SyncSource.within;
import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.BrowserFlows;
import eu.tessera.server.testsupport.EmbeddedPostgresServer;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import eu.tessera.sync.rucio.OwnerMarker;
import eu.tessera.sync.testing.RucioStandIn;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Account sync end to end. The source is a second Tessera instance on its own PostgreSQL database, restarted in one
 * test; its targets are (1) a STAND-IN for the Rucio REST API (Rucio, a Python service, cannot run here; the
 * stand-in follows Rucio's published API, see {@link RucioStandIn}), authenticated with the source's own tokens,
 * and (2) the shared integration-test Tessera as a real SCIM 2.0 server.
 */
@TesseraIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccountSyncIT {

    @Autowired
    TesseraProperties target;
    @Autowired
    JdbcTemplate targetJdbc;

    private SyncSource source;
    private RucioStandIn rucio;

    @BeforeAll
    void startSource() {
        SyncSource[] holder = new SyncSource[1];
        rucio = new RucioStandIn(token -> holder[0] == null ? null : holder[0].rucioTokenClaims(token));
        source = new SyncSource(EmbeddedPostgresServer.newDatabase("tessera_sync"), List.of(
                "--spring.datasource.username=postgres", "--spring.datasource.password=",
                "--tessera.sync.max-attempts=20", "--tessera.sync.batch=10",
                "--tessera.sync.targets[0].name=rucio", "--tessera.sync.targets[0].type=RUCIO",
                "--tessera.sync.targets[0].url=" + rucio.url(), "--tessera.sync.targets[0].groups=/escape",
                "--tessera.sync.targets[0].client-id=" + SyncSource.ADMIN_ID,
                "--tessera.sync.targets[0].client-secret=" + SyncSource.ADMIN_SECRET,
                "--tessera.sync.targets[0].audience=rucio",
                "--tessera.sync.targets[0].attribute-rules[0]=/escape/data-manager:admin=True",
                "--tessera.sync.targets[1].name=scim", "--tessera.sync.targets[1].type=SCIM",
                "--tessera.sync.targets[1].url=" + target.issuer() + "/scim",
                "--tessera.sync.targets[1].groups=/escape/mirrored",
                "--tessera.sync.targets[1].token-endpoint=" + target.issuer() + "/token",
                "--tessera.sync.targets[1].client-id=" + TestClients.ADMIN_ID,
                "--tessera.sync.targets[1].client-secret=" + TestClients.ADMIN_SECRET));
        holder[0] = source;
        source.start();
        String token = source.adminToken();
        TesseraHttp http = source.http();
        // The README's TOKEN mode: a client for the sync (client_credentials; the scopes Rucio expects by default,
        // openid profile), its identity SUB=<client>, ISS=<issuer> mapped to root in Rucio (the generic policy lets
        // only root create and delete accounts), then the target configured with it.
        Map<String, Object> client = http.sendJson("POST", "/register", "{\"client_name\":\"rucio-sync\","
                + "\"grant_types\":[\"client_credentials\"],\"scope\":\"openid profile\"}", "Authorization",
                "Bearer " + token).json();
        syncClient = (String) client.get("client_id");
        rucio.addIdentityDirectly("root", "OIDC", "SUB=" + syncClient + ", ISS=" + source.issuer());
        source.close();
        source.configure(List.of("--tessera.sync.targets[0].client-id=" + syncClient,
                "--tessera.sync.targets[0].client-secret=" + client.get("client_secret")));
        source.start();
        escape = (String) http.sendJson("POST", "/iam/group", "{\"name\":\"escape\"}", "Authorization",
                "Bearer " + token).json().get("id");
        dataManager = (String) http.sendJson("POST", "/iam/group", "{\"name\":\"data-manager\",\"parent\":\"/escape\"}",
                "Authorization", "Bearer " + token).json().get("id");
        mirrored = (String) http.sendJson("POST", "/iam/group", "{\"name\":\"mirrored\",\"parent\":\"/escape\"}",
                "Authorization", "Bearer " + token).json().get("id");
    }

    private String syncClient;
    private String escape;
    private String dataManager;
    private String mirrored;

    @AfterAll
    void stopSource() {
        source.close();
        rucio.close();
    }

    @AfterEach
    void healRucio() {
        rucio.failRandomly(0);
        rucio.delayRandomly(0, 0);
        rucio.start();   // no-op when running
    }

    private String bearer() {
        return "Bearer " + source.adminToken();
    }

    private String createUser(String username) {
        return source.createUser(username);
    }

    private void join(String group, String account) {
        source.join(group, account);
    }

    private Map<String, Object> targetUser(String externalId) {
        String token = TestClients.adminToken(target.issuer(), "scim:read");
        Map<String, Object> page = TesseraHttp.to(target.issuer()).get("/scim/Users?filter="
                + java.net.URLEncoder.encode("externalId eq \"" + externalId + "\"", java.nio.charset.StandardCharsets.UTF_8),
                "Authorization", "Bearer " + token).json();
        List<?> resources = (List<?>) page.get("Resources");
        return resources.isEmpty() ? null : (Map<String, Object>) resources.get(0);
    }

    @SuppressWarnings("unchecked")
    private static List<String> groupsOf(Map<String, Object> user) {
        return ((List<Map<String, Object>>) user.get("groups")).stream().map(g -> (String) g.get("display")).toList();
    }

    @Test
    void changesInTesseraThenRucioAndScimTargetFollowWithinSeconds() throws Exception {
        String id = createUser("sy-anna");
        join(escape, id);
        join(mirrored, id);
        String oidc = "SUB=" + id + ", ISS=" + source.issuer();
        assertThat(within(10_000, () -> rucio.account("sy-anna") != null
                && rucio.account("sy-anna").identities.contains(List.of("OIDC", oidc)))).isTrue();
        RucioStandIn.Account account = rucio.account("sy-anna");
        assertThat(account.type).isEqualTo("USER");
        assertThat(account.email).isEqualTo("sy-anna@example.org");
        assertThat(account.attributes).containsEntry("tessera_id", OwnerMarker.of(id)).doesNotContainKey("admin");
        // the SCIM target mirrors /escape/mirrored: the user, and that membership (the group created there)
        assertThat(within(10_000, () -> targetUser(id) != null
                && groupsOf(targetUser(id)).equals(List.of("escape/mirrored")))).isTrue();
        assertThat(targetUser(id)).containsEntry("userName", "sy-anna").containsEntry("active", true);

        // certificate linked -> X.509 identity in Rucio's RFC 2253 form; data-manager -> admin=True
        assertThat(source.http().sendJson("POST", "/iam/account/" + id + "/certificates",
                "{\"subjectDn\":\"/DC=org/DC=example/CN=Anna Sync\",\"issuerDn\":\"/DC=org/DC=example/CN=CA\"}",
                "Authorization", bearer()).status()).isEqualTo(201);
        join(dataManager, id);
        assertThat(within(10_000, () -> rucio.account("sy-anna").identities.contains(
                List.of("X509", "CN=Anna Sync,DC=example,DC=org"))
                && "True".equals(rucio.account("sy-anna").attributes.get("admin")))).isTrue();
        assertThat(groupsOf(targetUser(id))).containsExactly("escape/mirrored");

        // suspended -> identities and mapped attributes removed, the Rucio account kept; SCIM user inactive
        source.http().sendJson("POST", "/iam/account/" + id + "/suspend", "{}", "Authorization", bearer());
        assertThat(within(10_000, () -> rucio.account("sy-anna").identities.isEmpty()
                && !rucio.account("sy-anna").attributes.containsKey("admin"))).isTrue();
        assertThat(rucio.account("sy-anna").status).isEqualTo("ACTIVE");
        assertThat(within(10_000, () -> Boolean.FALSE.equals(targetUser(id).get("active")))).isTrue();

        // restored -> back
        source.http().sendJson("POST", "/iam/account/" + id + "/restore", "{}", "Authorization", bearer());
        assertThat(within(10_000, () -> rucio.account("sy-anna").identities.size() == 2
                && "True".equals(rucio.account("sy-anna").attributes.get("admin")))).isTrue();

        // leaves data-manager -> attribute removed; removed from Tessera -> identities gone, account kept
        assertThat(source.http().sendJson("DELETE", "/iam/group/" + dataManager + "/members/" + id, null,
                "Authorization", bearer()).status()).isLessThan(300);
        assertThat(within(10_000, () -> !rucio.account("sy-anna").attributes.containsKey("admin"))).isTrue();
        assertThat(source.http().sendJson("DELETE", "/scim/Users/" + id, null, "Authorization", bearer()).status())
                .isEqualTo(204);
        assertThat(within(10_000, () -> rucio.account("sy-anna").identities.isEmpty())).isTrue();
        assertThat(rucio.account("sy-anna")).isNotNull();
        assertThat(rucio.account("sy-anna").attributes).containsEntry("tessera_id", OwnerMarker.of(id));
        assertThat(within(10_000, () -> targetUser(id) == null)).isTrue();
    }

    /** 1,000 changes, written straight to the source database as another instance or a script would. */
    private List<String> burst(String prefix, int accounts) {
        JdbcTemplate jdbc = source.jdbc();
        List<String> ids = new java.util.ArrayList<>();
        Timestamp now = Timestamp.from(Instant.now());
        for (int i = 0; i < accounts; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            jdbc.update("insert into account (id, username, email, created_at, updated_at) values (?, ?, ?, ?, ?)",
                    id, prefix + i, prefix + i + "@old.example.org", now, now);                 // 1 account.created
            jdbc.update("insert into membership (account_id, group_id, created_at) values (?, ?, ?)", id, escape,
                    now);                                                                            // 2
            jdbc.update("update account set email = ? where id = ?", prefix + i + "@example.org", id); // 3
            jdbc.update("insert into membership (account_id, group_id, created_at) values (?, ?, ?)", id,
                    dataManager, now);                                                               // 4
            if (i % 2 == 0) {
                jdbc.update("delete from membership where account_id = ? and group_id = ?", id, dataManager);
            } else {
                jdbc.update("insert into account_certificate (id, account_id, subject_dn, issuer_dn, created_at) "
                        + "values (?, ?, ?, '/DC=org/DC=example/CN=CA', ?)", UUID.randomUUID().toString(), id,
                        "/DC=org/DC=example/CN=" + prefix + i, now);                                 // 5
            }
        }
        return ids;
    }

    private boolean converged(String prefix, List<String> ids) {
        for (int i = 0; i < ids.size(); i++) {
            RucioStandIn.Account account = rucio.account(prefix + i);
            if (account == null || !account.email.equals(prefix + i + "@example.org")) {
                return false;
            }
            List<List<String>> identities = i % 2 == 0
                    ? List.of(List.of("OIDC", "SUB=" + ids.get(i) + ", ISS=" + source.issuer()))
                    : List.of(List.of("OIDC", "SUB=" + ids.get(i) + ", ISS=" + source.issuer()),
                            List.of("X509", "CN=" + prefix + i + ",DC=example,DC=org"));
            if (!new java.util.HashSet<>(account.identities).equals(new java.util.HashSet<>(identities))
                    || account.attributes.containsKey("admin") == (i % 2 == 0)) {
                return false;
            }
        }
        return true;
    }

    private String metrics() {
        return source.http().get("/actuator/prometheus", "Authorization", bearer()).body();
    }

    private static double metric(String text, String name, String target) {
        for (String line : text.split("\n")) {
            if (line.startsWith(name + "{") && line.contains("target=\"" + target + "\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no metric " + name + " for " + target + " in:\n" + text);
    }

    @Test
    void thousandChangesWhileRucioDownThenEveryChangeAppliedOnceAfterItReturns() throws Exception {
        rucio.stop();
        int duplicatesBefore = rucio.duplicates();
        List<String> ids = burst("sy-burst", 200);   // 200 accounts x 5 changes
        assertThat(within(10_000, () -> metric(metrics(), "tessera_sync_pending", "rucio") >= 200)).isTrue();
        Thread.sleep(1500);
        String during = metrics();
        assertThat(metric(during, "tessera_sync_oldest_pending_age_seconds", "rucio")).isGreaterThan(0);
        assertThat(metric(during, "tessera_sync_failed_attempts_total", "rucio")).isGreaterThan(0);
        double parkedBefore = metric(during, "tessera_sync_parked", "rucio");
        double deliveredBefore = metric(during, "tessera_sync_delivered_total", "rucio");
        assertThat(rucio.account("sy-burst0")).isNull();

        rucio.start();
        assertThat(within(60_000, () -> converged("sy-burst", ids))).isTrue();
        assertThat(within(10_000, () -> metric(metrics(), "tessera_sync_pending", "rucio") == 0)).isTrue();
        assertThat(metric(metrics(), "tessera_sync_parked", "rucio")).isEqualTo(parkedBefore);
        assertThat(metric(metrics(), "tessera_sync_delivered_total", "rucio")).isGreaterThanOrEqualTo(
                deliveredBefore + 200);
        assertThat(rucio.duplicates()).isEqualTo(duplicatesBefore);   // nothing created twice
        Map<String, Object> dryRun = source.http().sendJson("POST", "/iam/sync/rucio/reconcile?dryRun=true", null,
                "Authorization", bearer()).json();
        assertThat(dryRun.get("operations")).asList().noneMatch(o -> String.valueOf(o).startsWith("sy-burst"));
    }

    @Test
    void intermittentErrorsAndTimeoutsThenEveryChangeApplied() throws Exception {
        rucio.failRandomly(0.1);
        rucio.delayRandomly(0.03, 1500);   // beyond the 1 s timeout
        List<String> ids = burst("sy-flaky", 40);
        assertThat(within(90_000, () -> converged("sy-flaky", ids))).isTrue();
        rucio.failRandomly(0);
        rucio.delayRandomly(0, 0);
        for (int i = 0; i < ids.size(); i++) {
            assertThat(rucio.account("sy-flaky" + i).identities).hasSize(i % 2 == 0 ? 1 : 2);
        }
    }

    @Test
    void restartedInTheMiddleOfASyncThenNothingLost() throws Exception {
        // every call slow (60 accounts need about 20 s in rounds of 10), so the instance stops in the middle: the
        // round in progress finishes, the next is not started; what was claimed and not finished is retried
        rucio.delayRandomly(1.0, 200);
        List<String> ids = burst("sy-restart", 60);
        try {
            assertThat(within(20_000, () -> rucio.account("sy-restart0") != null)).isTrue();
            source.close();
            long done = java.util.stream.IntStream.range(0, 60).filter(i -> rucio.account("sy-restart" + i) != null)
                    .count();
            assertThat(done).isBetween(1L, 59L);
        } finally {
            rucio.delayRandomly(0, 0);
            source.start();   // whatever happened above, the other tests need the source
        }
        assertThat(within(60_000, () -> converged("sy-restart", ids))).isTrue();
    }

    @Test
    void failingPermanentlyThenParkedShownToAdminsAndRetriedOnceFixed() throws Exception {
        // A Rucio account of that name that Tessera did not create (say, a service account): refused, parked at once.
        // The unit tests (SyncEngineTest) cover parking after max-attempts transient failures.
        rucio.createDirectly("sy-parked", "SERVICE", "ops@example.org");
        String id = createUser("sy-parked");
        join(escape, id);
        assertThat(within(30_000, () -> metric(metrics(), "tessera_sync_parked", "rucio") >= 1)).isTrue();
        Map<String, Object> parked = source.http().get("/iam/sync/rucio/parked", "Authorization", bearer()).json();
        assertThat((List<Map<String, Object>>) parked.get("Resources")).anySatisfy(row -> {
            assertThat(row.get("accountId")).isEqualTo(id);
            assertThat(row.get("attempts")).isEqualTo(1);
            assertThat((String) row.get("lastError")).contains("exists and was not created by Tessera");
        });
        assertThat(rucio.account("sy-parked").identities).isEmpty();
        TesseraHttp browser = TesseraHttp.browser(source.issuer());
        BrowserFlows.login(browser, "admin", "sync-admin-password");
        String page = browser.get("/admin/sync").body();
        assertThat(page).contains("Parked changes for", "sy-parked", "not created by Tessera");

        rucio.removeDirectly("sy-parked");   // the Rucio admin resolves the clash
        assertThat(browser.postForm("/admin/sync/rucio/retry", TesseraHttp.form("accountId", id,
                "_csrf", BrowserFlows.csrf(page))).location()).endsWith("/admin/sync");
        assertThat(within(10_000, () -> rucio.account("sy-parked") != null
                && rucio.account("sy-parked").identities.size() == 1)).isTrue();
        assertThat(rucio.account("sy-parked").attributes).containsEntry("tessera_id", OwnerMarker.of(id));
        assertThat(source.jdbc().queryForObject("select count(*) from audit_event where event_type = 'sync.retried' "
                + "and target = ?", Long.class, id)).isEqualTo(1);
        // without CSRF the retry is refused
        assertThat(browser.postForm("/admin/sync/rucio/retry", TesseraHttp.form("accountId", id)).status())
                .isEqualTo(403);
    }

    @Test
    void reconciliationDryRunReportsDriftWithoutChangingAndRepairFixesIt() throws Exception {
        String id = createUser("sy-drift");
        join(escape, id);
        assertThat(within(10_000, () -> rucio.account("sy-drift") != null
                && rucio.account("sy-drift").identities.size() == 1)).isTrue();
        rucio.removeIdentityDirectly("sy-drift", "OIDC", "SUB=" + id + ", ISS=" + source.issuer());
        rucio.setAttributeDirectly("sy-drift", "admin", "True");

        Map<String, Object> dry = source.http().sendJson("POST", "/iam/sync/rucio/reconcile?dryRun=true", null,
                "Authorization", bearer()).json();
        assertThat(dry.get("dryRun")).isEqualTo(true);
        assertThat(dry.get("operations")).asList().contains(
                "sy-drift: add identity OIDC SUB=" + id + ", ISS=" + source.issuer(), "sy-drift: remove attribute admin");
        assertThat(rucio.account("sy-drift").identities).isEmpty();

        Map<String, Object> repair = source.http().sendJson("POST", "/iam/sync/rucio/reconcile?dryRun=false", null,
                "Authorization", bearer()).json();
        assertThat((Integer) repair.get("accountsChanged")).isGreaterThanOrEqualTo(1);
        assertThat(rucio.account("sy-drift").identities).hasSize(1);
        assertThat(rucio.account("sy-drift").attributes).doesNotContainKey("admin");
        assertThat(source.jdbc().queryForObject("select count(*) from audit_event where event_type = "
                + "'sync.reconciled'", Long.class)).isGreaterThanOrEqualTo(2);
    }

    @Test
    void scimTargetOrphanRemovedByReconciliationAndForeignUserOfTheSameNameNotTakenOver() throws Exception {
        String targetToken = TestClients.adminToken(target.issuer(), "scim:read scim:write");
        // a user the SCIM target holds for a Tessera account that no longer exists
        String orphanExternalId = UUID.randomUUID().toString();
        assertThat(TesseraHttp.to(target.issuer()).sendJson("POST", "/scim/Users", "{\"userName\":\"sy-orphan\","
                + "\"externalId\":\"" + orphanExternalId + "\"}", "Authorization", "Bearer " + targetToken).status())
                .isEqualTo(201);
        Object orphanId = targetUser(orphanExternalId).get("id");
        Map<String, Object> report = source.http().sendJson("POST", "/iam/sync/scim/reconcile?dryRun=false", null,
                "Authorization", bearer()).json();
        assertThat(report.get("operations")).asList().contains("sy-orphan: delete user " + orphanId);
        assertThat(targetUser(orphanExternalId)).isNull();

        // a user of the same name that the sync did not create: refused (parked), left alone
        assertThat(TesseraHttp.to(target.issuer()).sendJson("POST", "/scim/Users", "{\"userName\":\"sy-foreign\"}",
                "Authorization", "Bearer " + targetToken).status()).isEqualTo(201);
        String id = createUser("sy-foreign");
        join(escape, id);
        join(mirrored, id);
        assertThat(within(15_000, () -> source.jdbc().queryForList("select last_error from sync_pending where "
                + "target = 'scim' and account_id = ? and status = 'PARKED'", String.class, id).stream()
                .anyMatch(e -> e.contains("already has a user named sy-foreign")))).isTrue();
        assertThat(targetUser(id)).isNull();
    }

    @Test
    void badRequestsThenProblemJsonAndNonAdminsRefused() {
        TesseraHttp http = source.http();
        TesseraHttp.Response unknown = http.get("/iam/sync/nope/parked", "Authorization", bearer());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.header("Content-Type")).contains("application/problem+json");
        assertThat(http.get("/iam/sync/rucio/parked?count=0", "Authorization", bearer()).status()).isEqualTo(400);
        assertThat(http.sendJson("POST", "/iam/sync/rucio/parked/not-an-account/retry", null, "Authorization",
                bearer()).status()).isEqualTo(404);
        String readOnly = (String) http.token(SyncSource.ADMIN_ID, SyncSource.ADMIN_SECRET, "grant_type",
                "client_credentials", "scope", "iam:admin.read").json().get("access_token");
        assertThat(http.sendJson("POST", "/iam/sync/rucio/reconcile", null, "Authorization", "Bearer " + readOnly)
                .status()).isEqualTo(403);
        assertThat(http.get("/actuator/prometheus").status()).isEqualTo(401);
        Map<String, Object> status = http.get("/iam/sync", "Authorization", "Bearer " + readOnly).json();
        assertThat(status.get("enabled")).isEqualTo(true);
        assertThat((List<Map<String, Object>>) status.get("targets")).extracting(t -> t.get("name"))
                .containsExactly("rucio", "scim");
    }
}
