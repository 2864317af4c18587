package eu.tessera.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox triggers on PostgreSQL (sync is disabled in the shared instance, so events stay in the table): every
 * kind of change writes its event in the change's transaction, a rolled-back change writes none, cascades and group
 * renames reach every member, and with sync disabled old events are dropped after the retention.
 */
@TesseraIntegrationTest
class SyncOutboxIT {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcOutboxStore store;

    private List<String> kinds(String accountId) {
        return jdbc.queryForList("select kind from sync_event where account_id = ? order by id", String.class,
                accountId);
    }

    private String account(String username) {
        String id = UUID.randomUUID().toString();
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.update("insert into account (id, username, email, created_at, updated_at) values (?, ?, ?, ?, ?)", id,
                username, username + "@example.org", now, now);
        return id;
    }

    @Test
    void changesThroughTheApiThenOneEventEachInTheirTransaction() {
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        String token = (String) http.token(TestClients.ADMIN_ID, TestClients.ADMIN_SECRET, "grant_type",
                "client_credentials", "scope", "iam:admin.write scim:write").json().get("access_token");
        String id = (String) http.sendJson("POST", "/scim/Users", "{\"userName\":\"outbox-user\",\"emails\":"
                + "[{\"value\":\"outbox@example.org\"}]}", "Authorization", "Bearer " + token).json().get("id");
        String group = (String) http.sendJson("POST", "/iam/group", "{\"name\":\"outbox\",\"parent\":\"/escape\"}",
                "Authorization", "Bearer " + token).json().get("id");
        http.sendJson("POST", "/iam/group/" + group + "/members/" + id, "{}", "Authorization", "Bearer " + token);
        http.sendJson("POST", "/iam/account/" + id + "/certificates", "{\"subjectDn\":\"/CN=outbox\",\"issuerDn\":"
                + "\"/CN=Outbox CA\"}", "Authorization", "Bearer " + token);
        http.sendJson("PUT", "/iam/group/" + group, "{\"name\":\"outbox-renamed\"}", "Authorization",
                "Bearer " + token);
        http.sendJson("POST", "/iam/account/" + id + "/suspend", "{}", "Authorization", "Bearer " + token);
        TesseraHttp.Response patched = http.sendJson("PATCH", "/scim/Users/" + id, "{\"schemas\":"
                + "[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"replace\","
                + "\"path\":\"emails\",\"value\":[{\"value\":\"new@example.org\"}]}]}", "Authorization",
                "Bearer " + token);
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        http.sendJson("DELETE", "/iam/group/" + group, null, "Authorization", "Bearer " + token);
        assertThat(kinds(id)).containsExactly("account.created", "membership.added", "identity.linked",
                "group.renamed", "account.status", "account.updated", "membership.removed");
        assertThat(http.sendJson("DELETE", "/scim/Users/" + id, null, "Authorization", "Bearer " + token).status())
                .isEqualTo(204);
        List<String> all = kinds(id);
        assertThat(all.subList(all.size() - 2, all.size())).containsExactlyInAnyOrder("identity.unlinked",
                "account.removed");   // the cascade's order is the database's
        assertThat(jdbc.queryForObject("select username from sync_event where account_id = ? and kind = "
                + "'account.removed'", String.class, id)).isEqualTo("outbox-user");
    }

    @Test
    void changeRolledBackThenNoEvent() {
        String id = account("outbox-rollback");
        jdbc.update("delete from sync_event where account_id = ?", id);
        transactions.executeWithoutResult(status -> {
            jdbc.update("update account set email = 'changed@example.org' where id = ?", id);
            assertThat(kinds(id)).containsExactly("account.updated");   // visible inside the transaction
            status.setRollbackOnly();
        });
        assertThat(kinds(id)).isEmpty();
        jdbc.update("update account set updated_at = ?, password_hash = 'x' where id = ?",
                Timestamp.from(Instant.now()), id);   // nothing a target sees
        assertThat(kinds(id)).isEmpty();
    }

    @Test
    void syncDisabledThenEventsOlderThanRetentionDropped() {
        String id = account("outbox-old");
        jdbc.update("update sync_event set created_at = ? where account_id = ?",
                Timestamp.from(Instant.now().minusSeconds(7200)), id);
        String fresh = account("outbox-fresh");
        store.purgeEvents(Instant.now().minus(properties.sync().eventRetention()));
        assertThat(kinds(id)).isEmpty();
        assertThat(kinds(fresh)).containsExactly("account.created");
    }

    @Test
    void pendingChangeOfAnAccountThenClaimedByOneWorkerAtATimeUntilItsLeaseEnds() {
        String id = account("outbox-lease");
        jdbc.update("delete from sync_event where account_id <> ?", id);
        assertThat(store.ingest(List.of("lease-test"), 1000)).isEqualTo(1);
        Instant now = Instant.now();
        List<eu.tessera.sync.PendingSync> first = store.claim("lease-test", 10, now, now.plusSeconds(60));
        assertThat(first).extracting(eu.tessera.sync.PendingSync::accountId).containsExactly(id);
        assertThat(store.claim("lease-test", 10, now, now.plusSeconds(60))).isEmpty();   // one worker per account
        // a newer change while it is delivered: the row stays and is delivered again
        jdbc.update("update account set email = 'lease2@example.org' where id = ?", id);
        store.ingest(List.of("lease-test"), 1000);
        store.delivered(first.get(0));
        Instant later = Instant.now();
        List<eu.tessera.sync.PendingSync> again = store.claim("lease-test", 10, later, later.plusSeconds(60));
        assertThat(again).hasSize(1);
        assertThat(again.get(0).kinds()).contains("account.created", "account.updated");
        store.delivered(again.get(0));
        assertThat(jdbc.queryForObject("select count(*) from sync_pending where target = 'lease-test'", Long.class))
                .isZero();
        // a claim whose worker died is taken again after its lease
        jdbc.update("update account set email = 'lease3@example.org' where id = ?", id);
        store.ingest(List.of("lease-test"), 1000);
        Instant last = Instant.now();
        assertThat(store.claim("lease-test", 10, last, last.plusSeconds(1))).hasSize(1);
        assertThat(store.claim("lease-test", 10, last, last.plusSeconds(60))).isEmpty();
        assertThat(store.claim("lease-test", 10, last.plusSeconds(2), last.plusSeconds(62))).hasSize(1);
    }
}
