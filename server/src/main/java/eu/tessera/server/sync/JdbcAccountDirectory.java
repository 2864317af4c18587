package eu.tessera.server.sync;

import eu.tessera.sync.AccountDirectory;
import eu.tessera.sync.AccountState;
import eu.tessera.voms.pki.DistinguishedNames;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Accounts as the sync sees them, read at delivery time: profile, status (ACTIVE only when the account may get
 * tokens: not suspended, not past its end time), current memberships (not past their end time) and certificate
 * subjects in both DN forms.
 */
@Component
public class JdbcAccountDirectory implements AccountDirectory {

    private static final String COLUMNS = "id, username, email, given_name, family_name, active, lifecycle_state, "
            + "service_account";

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public JdbcAccountDirectory(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    private record Base(String id, String username, String email, String givenName, String familyName,
            AccountState.Status status, boolean service) {
    }

    private static Base base(ResultSet rs, int n) throws SQLException {
        boolean active = rs.getBoolean(6) && "ACTIVE".equals(rs.getString(7));
        return new Base(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                active ? AccountState.Status.ACTIVE : AccountState.Status.SUSPENDED, rs.getBoolean(8));
    }

    @Override
    public Optional<AccountState> find(String accountId) {
        List<Base> found = jdbc.query("select " + COLUMNS + " from account where id = ?", JdbcAccountDirectory::base,
                accountId);
        return found.isEmpty() ? Optional.empty() : Optional.of(complete(found).get(0));
    }

    @Override
    public List<AccountState> page(String afterId, int limit) {
        List<Base> accounts = afterId == null
                ? jdbc.query("select " + COLUMNS + " from account order by id limit " + limit, JdbcAccountDirectory::base)
                : jdbc.query("select " + COLUMNS + " from account where id > ? order by id limit " + limit,
                        JdbcAccountDirectory::base, afterId);
        return accounts.isEmpty() ? List.of() : complete(accounts);
    }

    private List<AccountState> complete(List<Base> accounts) {
        Map<String, List<String>> groups = new HashMap<>();
        Map<String, List<AccountState.Certificate>> certificates = new HashMap<>();
        for (int from = 0; from < accounts.size(); from += 500) {
            List<Base> chunk = accounts.subList(from, Math.min(accounts.size(), from + 500));
            Object[] ids = chunk.stream().map(Base::id).toArray();
            String in = "(" + "?,".repeat(ids.length - 1) + "?)";
            Object[] withNow = new Object[ids.length + 1];
            System.arraycopy(ids, 0, withNow, 0, ids.length);
            withNow[ids.length] = Timestamp.from(clock.instant());
            jdbc.query("select m.account_id, g.path from membership m join vo_group g on g.id = m.group_id "
                    + "where m.account_id in " + in + " and (m.end_time is null or m.end_time > ?) order by g.path",
                    rs -> {
                        groups.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                    }, withNow);
            jdbc.query("select account_id, subject_dn from account_certificate where account_id in " + in
                    + " order by created_at, id", rs -> {
                        String subject = rs.getString(2);
                        certificates.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                                .add(new AccountState.Certificate(subject, DistinguishedNames.rfc2253(subject)));
                    }, ids);
        }
        List<AccountState> states = new ArrayList<>();
        for (Base account : accounts) {
            states.add(new AccountState(account.id(), account.username(), account.email(), account.givenName(),
                    account.familyName(), account.status(), account.service(),
                    groups.getOrDefault(account.id(), List.of()), certificates.getOrDefault(account.id(), List.of())));
        }
        return states;
    }
}
