package eu.tessera.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

/**
 * Fills a running Tessera's H2 database (opened with AUTO_SERVER=TRUE) with accounts, each in the /escape group,
 * for bench/accounts.sh, which then times account paging and search. Arguments: JDBC URL, number of accounts.
 */
public final class AccountsBench {

    private AccountsBench() {
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[1]);
        long started = System.nanoTime();
        try (Connection connection = DriverManager.getConnection(args[0], "tessera", "")) {
            connection.setAutoCommit(false);
            String escape;
            try (var statement = connection.createStatement();
                    var rs = statement.executeQuery("select id from vo_group where path = '/escape'")) {
                rs.next();
                escape = rs.getString(1);
            }
            Timestamp now = Timestamp.from(Instant.now());
            try (PreparedStatement account = connection.prepareStatement("insert into account (id, username, email, "
                    + "given_name, family_name, active, created_at, updated_at) values (?, ?, ?, ?, ?, true, ?, ?)");
                    PreparedStatement membership = connection.prepareStatement("insert into membership (account_id, "
                            + "group_id, optional, created_at) values (?, ?, false, ?)")) {
                for (int i = 0; i < count; i++) {
                    String id = UUID.randomUUID().toString();
                    String username = String.format("user%06d", i);
                    account.setString(1, id);
                    account.setString(2, username);
                    account.setString(3, username + "@example.org");
                    account.setString(4, "Given" + i);
                    account.setString(5, "Family" + (i % 977));
                    account.setTimestamp(6, now);
                    account.setTimestamp(7, now);
                    account.addBatch();
                    membership.setString(1, id);
                    membership.setString(2, escape);
                    membership.setTimestamp(3, now);
                    membership.addBatch();
                    if (i % 5000 == 4999) {
                        account.executeBatch();
                        membership.executeBatch();
                        connection.commit();
                    }
                }
                account.executeBatch();
                membership.executeBatch();
                connection.commit();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("inserted %d accounts (and their memberships) in %.1f s: %.0f accounts/s%n", count, seconds,
                count / seconds);
    }
}
