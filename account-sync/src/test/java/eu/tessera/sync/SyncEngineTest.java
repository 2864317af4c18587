package eu.tessera.sync;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.sync.rucio.OwnerMarker;
import eu.tessera.sync.rucio.RucioCatalogue;
import eu.tessera.sync.rucio.RucioSettings;
import eu.tessera.sync.rucio.RucioUserpass;
import eu.tessera.sync.testing.RucioStandIn;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine against the Rucio stand-in (a test stand-in for the Rucio REST API: Rucio itself cannot run here),
 * with the outbox in memory; the server's ITs repeat the important cases on PostgreSQL.
 */
class SyncEngineTest {

    private static final String ISS = "https://tessera.example.org";
    private RucioStandIn rucio;
    private InMemoryOutbox outbox;
    private RucioCatalogue catalogue;
    private SyncEngine engine;

    @BeforeEach
    void setUp() {
        rucio = new RucioStandIn(token -> null);
        rucio.addUserpass("root", "sync", "sync-password");
        outbox = new InMemoryOutbox();
        HttpTransport http = new HttpTransport(Duration.ofMillis(500));
        catalogue = new RucioCatalogue(new RucioSettings("rucio", rucio.url(), ISS, List.of("/escape"),
                List.of(RucioSettings.AttributeRule.parse("/escape/data-manager:admin=True")),
                RucioSettings.DnFormat.RFC2253, false, false, null, null),
                http, new RucioUserpass(http, rucio.url(), "root", "sync", "sync-password", null, Clock.systemUTC()), outbox);
        engine = new SyncEngine(outbox, outbox, new SyncEngine.Settings(4,
                new Backoff(Duration.ofMillis(20), Duration.ofMillis(80)), 100, Duration.ofMinutes(1), 4),
                Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        rucio.close();
    }

    /** Tessera account ids are UUIDs (account.id VARCHAR(36)): what Rucio's attribute check must accept. */
    static String id(int i) {
        return java.util.UUID.nameUUIDFromBytes(("account-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString();
    }

    private static AccountState member(int i, String... groups) {
        return new AccountState(id(i), "user" + i, "user" + i + "@example.org", "U", "Ser", AccountState.Status.ACTIVE,
                false, List.of(groups), List.of());
    }

    private void drain() throws InterruptedException {
        long end = System.currentTimeMillis() + 20_000;
        do {
            engine.ingest(List.of("rucio"));
            engine.deliver(catalogue);
            if (outbox.rows.values().stream().noneMatch(r -> r.status.equals("PENDING"))) {
                return;
            }
            Thread.sleep(20);
        } while (System.currentTimeMillis() < end);
    }

    @Test
    void burstWhileRucioDownThenEveryChangeAppliedAfterItReturnsOnce() throws Exception {
        rucio.stop();
        for (int i = 0; i < 50; i++) {
            outbox.change(member(i, "/escape"), "account.created");
            outbox.change(member(i, "/escape", "/escape/data-manager"), "membership.added");
        }
        engine.ingest(List.of("rucio"));
        assertThat(engine.deliver(catalogue)).isZero();
        assertThat(outbox.rows).hasSize(50);
        assertThat(outbox.rows.values()).allMatch(r -> r.error.contains("ConnectException") && r.item.attempts() == 1);
        rucio.start();
        drain();
        assertThat(outbox.rows).isEmpty();
        for (int i = 0; i < 50; i++) {
            RucioStandIn.Account account = rucio.account("user" + i);
            assertThat(account.attributes).containsEntry("admin", "True").containsEntry("tessera_id", OwnerMarker.of(id(i)));
            assertThat(account.identities).containsExactly(List.of("OIDC", "SUB=" + id(i) + ", ISS=" + ISS));
        }
        assertThat(rucio.duplicates()).isZero();
        int writes = rucio.writes();
        assertThat(engine.reconcile(catalogue, false).accountsChanged()).isZero();
        assertThat(rucio.writes()).isEqualTo(writes);
    }

    @Test
    void intermittentErrorsAndTimeoutsThenConvergesWithoutDuplicates() throws Exception {
        rucio.failRandomly(0.2);
        rucio.delayRandomly(0.05, 800);
        engine = new SyncEngine(outbox, outbox, new SyncEngine.Settings(50,
                new Backoff(Duration.ofMillis(10), Duration.ofMillis(50)), 100, Duration.ofMinutes(1), 4),
                Clock.systemUTC());
        for (int i = 0; i < 40; i++) {
            outbox.change(member(i, "/escape", "/escape/data-manager"), "account.created");
        }
        drain();
        rucio.failRandomly(0);
        rucio.delayRandomly(0, 0);
        assertThat(outbox.rows).isEmpty();
        for (int i = 0; i < 40; i++) {
            assertThat(rucio.account("user" + i).identities).hasSize(1);
            assertThat(rucio.account("user" + i).attributes).containsEntry("admin", "True");
        }
        assertThat(engine.reconcile(catalogue, true).accountsChanged()).isZero();
    }

    @Test
    void keepsFailingThenParkedAfterMaxAttemptsAndPermanentFailureParkedAtOnce() throws Exception {
        rucio.createDirectly("user7", "SERVICE", "ops@example.org");   // not Tessera's
        outbox.change(member(7, "/escape"), "account.created");
        engine.ingest(List.of("rucio"));
        engine.deliver(catalogue);
        InMemoryOutbox.Row row = outbox.rows.get("rucio/" + id(7));
        assertThat(row.status).isEqualTo("PARKED");
        assertThat(row.error).contains("not created by Tessera");
        assertThat(engine.counters("rucio").parked.get()).isEqualTo(1);

        rucio.failRandomly(1.0);
        outbox.change(member(8, "/escape"), "account.created");
        for (int attempt = 0; attempt < 4; attempt++) {
            engine.ingest(List.of("rucio"));
            engine.deliver(catalogue);
            Thread.sleep(100);
        }
        assertThat(outbox.rows.get("rucio/" + id(8)).status).isEqualTo("PARKED");
        assertThat(outbox.rows.get("rucio/" + id(8)).item.attempts()).isEqualTo(4);
        assertThat(outbox.rows.get("rucio/" + id(8)).error).contains("HTTP 500");
    }

    @Test
    void rucioSchemaRefusalThenParkedAtOnceWithRucioMessageWhileServerFaultsKeepTheBackoff() throws Exception {
        // a Rucio whose VO schema allows attribute values of at most 8 characters: the owner marker is refused
        // with HTTP 500 InvalidObject, which no retry can change
        rucio.restrictAttributes("^[a-z0-9]{1,8}$");
        outbox.change(member(5, "/escape"), "account.created");
        engine.ingest(List.of("rucio"));
        engine.deliver(catalogue);
        InMemoryOutbox.Row row = outbox.rows.get("rucio/" + id(5));
        assertThat(row.status).isEqualTo("PARKED");
        assertThat(row.item.attempts()).isEqualTo(1);
        assertThat(row.error).contains("add attribute tessera_id=", "HTTP 500 InvalidObject",
                "Problem validating account_attribute");
        assertThat(rucio.refusals()).anyMatch(r -> r.startsWith("500 InvalidObject"));

        // the same status without InvalidObject (a server fault) is retried with backoff, not parked
        rucio.restrictAttributes(".*");
        rucio.failRandomly(1.0);
        outbox.change(member(6, "/escape"), "account.created");
        engine.ingest(List.of("rucio"));
        engine.deliver(catalogue);
        assertThat(outbox.rows.get("rucio/" + id(6)).status).isEqualTo("PENDING");
        assertThat(outbox.rows.get("rucio/" + id(6)).error).contains("HTTP 500", "RucioException");
    }

    @Test
    void accountDeletedInRucioByTheSyncThenReactivatedAndCompletedWhenTheMemberReturns() throws Exception {
        RucioCatalogue deleting = new RucioCatalogue(new RucioSettings("rucio", rucio.url(), ISS, List.of("/escape"),
                List.of(), RucioSettings.DnFormat.RFC2253, true, false, null, null), new HttpTransport(
                Duration.ofSeconds(2)), new RucioUserpass(new HttpTransport(Duration.ofSeconds(2)), rucio.url(), "root",
                "sync", "sync-password", null, Clock.systemUTC()), outbox);
        deleting.synchronize(member(4, "/escape"), false);
        assertThat(deleting.synchronize(member(4, "/other"), false)).extracting(Operation::toString)
                .contains("user4: delete account");
        assertThat(rucio.account("user4").status).isEqualTo("DELETED");
        assertThat(deleting.synchronize(member(4, "/other"), false)).isEmpty();   // nothing Rucio would show
        assertThat(deleting.synchronize(member(4, "/escape"), false)).extracting(Operation::toString)
                .containsExactly("user4: reactivate account", "user4: add identity OIDC SUB=" + id(4) + ", ISS=" + ISS);
        assertThat(rucio.account("user4").status).isEqualTo("ACTIVE");
        assertThat(rucio.account("user4").attributes).containsEntry("tessera_id", OwnerMarker.of(id(4)));
        // deleted in Rucio with no record that Tessera made it: refused, not taken over
        rucio.createDirectly("user3", "USER", "user3@example.org").status = "DELETED";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> deleting.synchronize(member(3, "/escape"), false))
                .hasMessageContaining("no record of creating it");
        assertThat(rucio.account("user3").status).isEqualTo("DELETED");
    }

    @Test
    void reconciliationDryRunReportsDriftAndApplyRepairsItAndRemovesOrphans() throws Exception {
        for (int i = 0; i < 5; i++) {
            outbox.change(member(i, "/escape"), "account.created");
        }
        drain();
        rucio.removeIdentityDirectly("user1", "OIDC", "SUB=" + id(1) + ", ISS=" + ISS);
        rucio.setAttributeDirectly("user2", "admin", "True");
        outbox.accounts.remove(id(3));   // removed while the event was lost
        rucio.createDirectly("legacy", "USER", "legacy@example.org");   // not ours: left alone
        outbox.accounts.put(id(9), member(9, "/escape"));   // never synchronized

        SyncEngine.Report dry = engine.reconcile(catalogue, true);
        assertThat(dry.operations()).extracting(Operation::toString).containsExactlyInAnyOrder(
                "user1: add identity OIDC SUB=" + id(1) + ", ISS=" + ISS, "user2: remove attribute admin",
                "user3: remove identity OIDC SUB=" + id(3) + ", ISS=" + ISS, "user9: create account USER user9@example.org",
                "user9: add attribute tessera_id=" + OwnerMarker.of(id(9)), "user9: add identity OIDC SUB=" + id(9) + ", ISS=" + ISS);
        assertThat(dry.accountsChanged()).isEqualTo(4);
        assertThat(rucio.account("user9")).isNull();

        SyncEngine.Report applied = engine.reconcile(catalogue, false);
        assertThat(applied.accountsChanged()).isEqualTo(4);
        assertThat(rucio.account("user1").identities).hasSize(1);
        assertThat(rucio.account("user2").attributes).doesNotContainKey("admin");
        assertThat(rucio.account("user3").identities).isEmpty();
        assertThat(rucio.account("user9").identities).hasSize(1);
        assertThat(rucio.account("legacy").identities).isEmpty();
        assertThat(engine.reconcile(catalogue, true).accountsChanged()).isZero();
    }

    @Test
    void userpassTokenExpiredThenRenewedOnce() throws Exception {
        outbox.change(member(1, "/escape"), "account.created");
        drain();
        rucio.close();
        rucio.start();   // same port; tokens issued before are still known, so revoke them by a new stand-in
        RucioStandIn fresh = new RucioStandIn(token -> null);
        fresh.addUserpass("root", "sync", "sync-password");
        HttpTransport http = new HttpTransport(Duration.ofSeconds(2));
        RucioUserpass login = new RucioUserpass(http, fresh.url(), "root", "sync", "sync-password", null,
                Clock.systemUTC());
        RucioCatalogue other = new RucioCatalogue(new RucioSettings("rucio", fresh.url(), ISS, List.of(), List.of(),
                null, false, false, null, null), http, login, outbox);
        String first = login.token(false);
        assertThat(login.token(false)).isEqualTo(first);
        other.synchronize(member(2, "/x"), false);
        assertThat(fresh.account("user2")).isNotNull();
        fresh.close();
    }
}
