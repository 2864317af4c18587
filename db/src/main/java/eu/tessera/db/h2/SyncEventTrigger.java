package eu.tessera.db.h2;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.h2.api.Trigger;

/**
 * The H2 form of the sync outbox triggers (V14): writes the same {@code sync_event} rows as the PostgreSQL
 * functions, in the transaction of the change. Columns are found by name when the trigger is created, so columns
 * added later do not shift them.
 */
public class SyncEventTrigger implements Trigger {

    private static final List<String> STATUS_COLUMNS = List.of("active", "lifecycle_state");
    private static final List<String> PROFILE_COLUMNS = List.of("username", "email", "given_name", "family_name",
            "service_account");

    private String table;
    private int type;
    private final Map<String, Integer> columns = new HashMap<>();

    @Override
    public void init(Connection connection, String schema, String trigger, String table, boolean before, int type)
            throws SQLException {
        this.table = table.toLowerCase(Locale.ROOT);
        this.type = type;
        try (PreparedStatement statement = connection.prepareStatement("select column_name, ordinal_position from "
                + "information_schema.columns where lower(table_schema) = lower(?) and lower(table_name) = lower(?)")) {
            statement.setString(1, schema);
            statement.setString(2, table);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    columns.put(rows.getString(1).toLowerCase(Locale.ROOT), rows.getInt(2) - 1);
                }
            }
        }
    }

    private Object column(Object[] row, String name) {
        Integer index = columns.get(name);
        if (index == null) {
            throw new IllegalStateException("sync trigger: " + table + " has no column " + name);
        }
        return row[index];
    }

    private boolean changed(Object[] oldRow, Object[] newRow, List<String> names) {
        for (String name : names) {
            if (!Objects.equals(column(oldRow, name), column(newRow, name))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
        switch (table) {
            case "account" -> {
                if (type == INSERT) {
                    event(connection, column(newRow, "id"), column(newRow, "username"), "account.created");
                } else if (type == DELETE) {
                    event(connection, column(oldRow, "id"), column(oldRow, "username"), "account.removed");
                } else if (changed(oldRow, newRow, STATUS_COLUMNS)) {
                    event(connection, column(newRow, "id"), column(newRow, "username"), "account.status");
                } else if (changed(oldRow, newRow, PROFILE_COLUMNS)) {
                    event(connection, column(newRow, "id"), column(newRow, "username"), "account.updated");
                }
            }
            case "membership" -> event(connection, column(type == INSERT ? newRow : oldRow, "account_id"), null,
                    type == INSERT ? "membership.added" : "membership.removed");
            case "account_certificate", "account_identity" -> event(connection, column(type == INSERT ? newRow : oldRow, "account_id"),
                    null, type == INSERT ? "identity.linked" : "identity.unlinked");
            case "vo_group" -> {
                if (!Objects.equals(column(oldRow, "path"), column(newRow, "path"))) {
                    try (PreparedStatement statement = connection.prepareStatement("insert into sync_event "
                            + "(account_id, kind) select account_id, 'group.renamed' from membership where group_id = ?")) {
                        statement.setObject(1, column(newRow, "id"));
                        statement.executeUpdate();
                    }
                }
            }
            default -> throw new IllegalStateException("sync trigger on unexpected table " + table);
        }
    }

    private static void event(Connection connection, Object accountId, Object username, String kind)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "insert into sync_event (account_id, username, kind) values (?, ?, ?)")) {
            statement.setObject(1, accountId);
            statement.setObject(2, username);
            statement.setString(3, kind);
            statement.executeUpdate();
        }
    }
}
