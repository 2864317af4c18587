package eu.tessera.server.account;

import eu.tessera.server.audit.AuditLog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Account labels with INDIGO IAM's rules (its {@code LabelDTO}, IAM 1.x): an optional prefix that is a domain name
 * of at most 256 characters, a name of at most 64 starting with a letter, an optional value of at most 64 without
 * line breaks. Setting a label with the same prefix and name replaces its value. Every change is audited.
 */
@Service
public class AccountLabels {

    /** A label; {@code prefix} and {@code value} may be null. */
    public record Label(String prefix, String name, String value) {

        /** IAM's JSON: empty members left out. */
        public Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            if (prefix != null) {
                json.put("prefix", prefix);
            }
            json.put("name", name);
            if (value != null) {
                json.put("value", value);
            }
            return json;
        }

        /** prefix/name=value, as pages show it. */
        public String display() {
            return (prefix == null ? "" : prefix + "/") + name + (value == null ? "" : "=" + value);
        }
    }

    static final Pattern PREFIX = Pattern.compile("^((?!-)[A-Za-z0-9-]{1,63}(?<!-)\\.)+[A-Za-z]{2,6}$");
    static final Pattern NAME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9-_.]*$");

    private final JdbcTemplate jdbc;
    private final AuditLog audit;

    public AccountLabels(JdbcTemplate jdbc, AuditLog audit) {
        this.jdbc = jdbc;
        this.audit = audit;
    }

    public List<Label> of(String accountId) {
        return jdbc.query("select prefix, name, label_value from account_label where account_id = ? order by prefix, "
                + "name", (rs, n) -> new Label(rs.getString(1).isEmpty() ? null : rs.getString(1), rs.getString(2),
                rs.getString(3)), accountId);
    }

    /** Checks a label as IAM does; the message names what is wrong. */
    public static Label checked(String prefix, String name, String value) {
        String p = prefix == null || prefix.isBlank() ? null : prefix.strip();
        String v = value == null || value.isEmpty() ? null : value;
        if (p != null && (p.length() > 256 || !PREFIX.matcher(p).matches())) {
            throw new IllegalArgumentException("Invalid label: prefix: a domain name such as voms.example.org");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("Invalid label: name is required");
        }
        if (name.length() > 64 || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Invalid label: name: at most 64 letters, digits, '-', '_' or '.', "
                    + "starting with a letter");
        }
        if (v != null && (v.length() > 64 || v.contains("\n") || v.contains("\r"))) {
            throw new IllegalArgumentException("Invalid label: value: at most 64 characters on one line");
        }
        return new Label(p, name, v);
    }

    @Transactional
    public void set(String accountId, Label label, String actor) {
        String prefix = label.prefix() == null ? "" : label.prefix();
        int updated = jdbc.update("update account_label set label_value = ? where account_id = ? and prefix = ? and "
                + "name = ?", label.value(), accountId, prefix, label.name());
        if (updated == 0) {
            jdbc.update("insert into account_label (account_id, prefix, name, label_value) values (?, ?, ?, ?)",
                    accountId, prefix, label.name(), label.value());
        }
        audit.record("account.label_set", actor, accountId, Map.of("label", label.display()));
    }

    @Transactional
    public boolean remove(String accountId, String prefix, String name, String actor) {
        String p = prefix == null || prefix.isBlank() ? "" : prefix.strip();
        int removed = jdbc.update("delete from account_label where account_id = ? and prefix = ? and name = ?",
                accountId, p, name);
        if (removed > 0) {
            audit.record("account.label_removed", actor, accountId, Map.of("label", (p.isEmpty() ? "" : p + "/")
                    + name));
        }
        return removed > 0;
    }
}
