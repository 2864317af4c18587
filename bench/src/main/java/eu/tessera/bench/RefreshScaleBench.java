package eu.tessera.bench;

import eu.tessera.server.testsupport.EmbeddedPostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The data of bench/refresh.sh (issue 16, refresh grant at scale), in two steps:
 * <ul>
 * <li>{@code postgres}: starts a real PostgreSQL (the server tests' embedded one), prints the JDBC URL of a new
 * database on it and keeps it running until standard input closes;</li>
 * <li>{@code fill URL CLIENT_ID ACCOUNTS TOKENS SCOPES}: after the server has migrated that database, adds 50 groups under
 * /escape, ACCOUNTS accounts and TOKENS refresh-token families of the client for SCOPES (one live refresh token each, family
 * {@code n} belonging to account {@code n % ACCOUNTS}), with the value {@code bench-rt-<n>} stored as the server
 * stores it (its SHA-256). Accounts 0-1999 are in one group (/escape), accounts 2000-3999 in 50, the others in
 * 5 to 50 ({@code 5 + n % 46}). The sync triggers are off while filling: the outbox is not what is measured.</li>
 * </ul>
 */
public final class RefreshScaleBench {

    /** Accounts with exactly one group, then as many with fifty: the two classes the cost comparison uses. */
    static final int CLASS_SIZE = 2000;

    private RefreshScaleBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("postgres")) {
            System.out.println(EmbeddedPostgresServer.newDatabase("bench"));
            System.out.flush();
            while (System.in.read() >= 0) {
                // keep PostgreSQL up until the script closes our input (it stops at JVM exit)
            }
            return;
        }
        fill(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]), args[5]);
    }

    private static void fill(String url, String clientId, int accounts, int tokens, String scopes) throws SQLException {
        long started = System.nanoTime();
        try (Connection db = DriverManager.getConnection(url)) {
            db.setAutoCommit(false);
            String client = single(db, "select id from oauth_client where client_id = ?", clientId);
            try (Statement sql = db.createStatement()) {
                sql.execute("set session_replication_role = replica");
                sql.execute("""
                        insert into vo_group (id, path, name, optional, created_at)
                        select md5('bench-group-0')::uuid::text, '/escape', 'escape', false, now()
                        where not exists (select 1 from vo_group where path = '/escape')""");
                sql.execute("""
                        insert into vo_group (id, path, name, parent_id, optional, created_at)
                        select md5('bench-group-' || g)::uuid::text, '/escape/g' || lpad(g::text, 2, '0'),
                               'g' || lpad(g::text, 2, '0'), (select id from vo_group where path = '/escape'),
                               false, now()
                        from generate_series(1, 49) g""");
                sql.execute("insert into account (id, username, email, given_name, family_name, active, created_at,"
                        + " updated_at) select md5('bench-account-' || a)::uuid::text,"
                        + " 'bench' || lpad(a::text, 6, '0'), 'bench' || a || '@example.org', 'Given' || a,"
                        + " 'Family' || (a % 977), true, now(), now() from generate_series(0, " + (accounts - 1)
                        + ") a");
                sql.execute("insert into membership (account_id, group_id, optional, created_at)"
                        + " select md5('bench-account-' || a)::uuid::text, case when g = 0"
                        + " then (select id from vo_group where path = '/escape')"
                        + " else md5('bench-group-' || g)::uuid::text end, false, now()"
                        + " from generate_series(0, " + (accounts - 1) + ") a, lateral generate_series(0,"
                        + " (case when a < " + CLASS_SIZE + " then 1 when a < " + 2 * CLASS_SIZE
                        + " then 50 else 5 + a % 46 end) - 1) g");
                db.commit();
                System.out.printf("accounts %d, memberships %d (%.1f s)%n", accounts,
                        count(sql, "select count(*) from membership"), (System.nanoTime() - started) / 1e9);
                for (int from = 0; from < tokens; from += 100_000) {
                    int to = Math.min(tokens, from + 100_000) - 1;
                    sql.execute("insert into oauth_authorization (id, client_id, principal_name, grant_type,"
                            + " authorized_scopes, attributes, created_at, expires_at)"
                            + " select md5('bench-authz-' || n)::uuid::text, '" + client + "', p, 'authorization_code',"
                            + " '" + scopes.replace("'", "''") + "', json_build_object('java.security.Principal',"
                            + " json_build_object('name', p, 'authorities', json_build_array('ROLE_USER'),"
                            + " 'factors', json_build_object()))::text, now(), now() + interval '10 days'"
                            + " from (select n, md5('bench-account-' || (n % " + accounts + "))::uuid::text p"
                            + " from generate_series(" + from + ", " + to + ") n) t");
                    sql.execute("insert into refresh_token (token_hash, authorization_id, status, issued_at, expires_at)"
                            + " select encode(sha256(convert_to('bench-rt-' || n, 'UTF8')), 'hex'),"
                            + " md5('bench-authz-' || n)::uuid::text, 'ACTIVE', now(), now() + interval '10 days'"
                            + " from generate_series(" + from + ", " + to + ") n");
                    db.commit();
                }
                sql.execute("analyze");
                db.commit();
                System.out.printf("refresh-token families %d, refresh tokens %d (%.1f s in all)%n",
                        count(sql, "select count(*) from oauth_authorization"),
                        count(sql, "select count(*) from refresh_token"), (System.nanoTime() - started) / 1e9);
            }
        }
    }

    private static String single(Connection db, String query, String parameter) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(query)) {
            statement.setString(1, parameter);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("not found: " + query + " " + parameter);
                }
                return rs.getString(1);
            }
        }
    }

    private static long count(Statement sql, String query) throws SQLException {
        try (ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
