package eu.tessera.db.h2;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The H2 migrations and trigger write the same sync events as the PostgreSQL functions (tested in the server). */
class SyncEventTriggerTest {

    private String url;

    @BeforeEach
    void migrate() {
        url = "jdbc:h2:mem:sync" + System.nanoTime()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration", "classpath:db/vendor/h2")
                .load().migrate();
    }

    private List<String> events(Connection connection) throws SQLException {
        List<String> events = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select account_id, username, kind from sync_event order by id")) {
            while (rows.next()) {
                events.add(rows.getString(1) + " " + rows.getString(2) + " " + rows.getString(3));
            }
        }
        return events;
    }

    @Test
    void changesWhenCommittedThenOneEventEachAndRolledBackChangesLeaveNone() throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "sa", "");
                Statement s = c.createStatement()) {
            s.execute("insert into account (id, username, email, created_at, updated_at) values "
                    + "('a1', 'alice', 'a@example.org', now(), now())");
            s.execute("insert into vo_group (id, path, name, created_at) values ('g1', '/escape', 'escape', now())");
            s.execute("insert into membership (account_id, group_id, created_at) values ('a1', 'g1', now())");
            s.execute("update account set updated_at = now(), password_hash = 'x' where id = 'a1'");   // not synced
            s.execute("update account set email = 'alice@example.org' where id = 'a1'");
            s.execute("update account set active = false, lifecycle_state = 'SUSPENDED' where id = 'a1'");
            s.execute("insert into account_certificate (id, account_id, subject_dn, issuer_dn, created_at) values "
                    + "('c1', 'a1', '/CN=alice', '/CN=CA', now())");
            s.execute("update vo_group set path = '/esc', name = 'esc' where id = 'g1'");
            s.execute("delete from account_certificate where id = 'c1'");
            s.execute("insert into account_identity (id, account_id, type, provider, issuer, subject, attribute, "
                    + "created_at) values ('i1', 'a1', 'SAML', 'up', 'https://up.example.org/idp', 'sub-1', "
                    + "'eduPersonUniqueId', now())");   // the column added after the triggers (V20)
            assertThat(events(c)).containsExactly("a1 alice account.created", "a1 null membership.added",
                    "a1 alice account.updated", "a1 alice account.status", "a1 null identity.linked",
                    "a1 null group.renamed", "a1 null identity.unlinked", "a1 null identity.linked");

            s.execute("delete from sync_event");
            c.setAutoCommit(false);
            s.execute("update account set email = 'rolled@example.org' where id = 'a1'");
            c.rollback();
            assertThat(events(c)).isEmpty();

            s.execute("delete from account where id = 'a1'");   // cascades to the membership
            c.commit();
            assertThat(events(c)).contains("a1 alice account.removed", "a1 null membership.removed");
        }
    }

    @Test
    void groupDeletedThenEveryMemberGetsAnEvent() throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "sa", "");
                Statement s = c.createStatement()) {
            s.execute("insert into account (id, username, created_at, updated_at) values ('a1', 'u1', now(), now()),"
                    + " ('a2', 'u2', now(), now())");
            s.execute("insert into vo_group (id, path, name, created_at) values ('g1', '/escape', 'escape', now())");
            s.execute("insert into membership (account_id, group_id, created_at) values ('a1', 'g1', now()), "
                    + "('a2', 'g1', now())");
            s.execute("delete from sync_event");
            s.execute("delete from vo_group where id = 'g1'");
            assertThat(events(c)).containsExactlyInAnyOrder("a1 null membership.removed", "a2 null membership.removed");
        }
    }
}
