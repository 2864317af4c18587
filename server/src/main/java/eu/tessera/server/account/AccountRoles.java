package eu.tessera.server.account;

import eu.tessera.server.audit.AuditLog;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * An account's roles as INDIGO IAM names them: {@code ROLE_USER} (every person), {@code ROLE_ADMIN},
 * {@code ROLE_READER} (read-only administration, IAM 1.12) and {@code ROLE_GM:<group id>} for each group it manages.
 * Admin and reader are granted and taken here, audited with the acting account's name; at least one active admin
 * always remains.
 */
@Service
public class AccountRoles {

    public static final String ADMIN = "ROLE_ADMIN";
    public static final String READER = "ROLE_READER";
    public static final String USER = "ROLE_USER";
    public static final String GROUP_MANAGER_PREFIX = "ROLE_GM:";

    /** The roles a browser session of an account holds, however it logged in (password, certificate, passkey, ...). */
    public static java.util.List<org.springframework.security.core.GrantedAuthority> sessionRoles(boolean admin,
            boolean reader) {
        java.util.List<org.springframework.security.core.GrantedAuthority> roles = new java.util.ArrayList<>();
        roles.add(new org.springframework.security.core.authority.SimpleGrantedAuthority(USER));
        if (admin) {
            roles.add(new org.springframework.security.core.authority.SimpleGrantedAuthority(ADMIN));
        }
        if (reader) {
            roles.add(new org.springframework.security.core.authority.SimpleGrantedAuthority(READER));
        }
        return roles;
    }

    /** The API token scope that reads what admins see ({@code iam:admin.read}), as an authority. */
    public static final String API_READ = "SCOPE_iam:admin.read";
    /** The API token scope that changes it ({@code iam:admin.write}), as an authority. */
    public static final String API_WRITE = "SCOPE_iam:admin.write";

    /** Whether the session or token has one of {@code authorities}. */
    public static boolean hasAny(org.springframework.security.core.Authentication user, String... authorities) {
        java.util.List<String> wanted = java.util.List.of(authorities);
        return user != null && user.getAuthorities().stream().anyMatch(a -> wanted.contains(a.getAuthority()));
    }

    /** Whether a session or token holds the admin or the reader role (both see the administration pages). */
    public static boolean adminOrReader(org.springframework.security.core.Authentication user) {
        return user.getAuthorities().stream()
                .anyMatch(a -> a.getAuthority().equals(ADMIN) || a.getAuthority().equals(READER));
    }

    /** A role change that cannot be made; {@code status} is the HTTP status that says why. */
    public static class RoleException extends RuntimeException {
        private final int status;

        public RoleException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final AccountRepository accounts;
    private final JdbcTemplate jdbc;
    private final AuditLog audit;

    public AccountRoles(AccountRepository accounts, JdbcTemplate jdbc, AuditLog audit) {
        this.accounts = accounts;
        this.jdbc = jdbc;
        this.audit = audit;
    }

    /** The account's authorities (IAM's {@code AuthoritySetDTO} content). */
    @Transactional(readOnly = true)
    public Set<String> authorities(String accountId) {
        Account account = require(accountId);
        Set<String> out = new TreeSet<>();
        if (!account.isServiceAccount()) {
            out.add(USER);
        }
        if (account.isAdmin()) {
            out.add(ADMIN);
        }
        if (account.isReader()) {
            out.add(READER);
        }
        jdbc.queryForList("select group_id from group_manager where account_id = ?", String.class, accountId)
                .forEach(group -> out.add(GROUP_MANAGER_PREFIX + group));
        return out;
    }

    /** Grants {@code ROLE_ADMIN} or {@code ROLE_READER}; granting one the account holds is refused (as IAM does). */
    @Transactional
    public void grant(String accountId, String authority, String actor) {
        Account account = require(accountId);
        boolean admin = parse(authority);
        if (admin ? account.isAdmin() : account.isReader()) {
            throw new RoleException(400, "Authority '" + authority + "' is already bound to user '"
                    + account.getUsername() + "' (" + accountId + ")");
        }
        if (account.isServiceAccount()) {
            throw new RoleException(400, "a service account cannot hold " + authority);
        }
        if (admin) {
            account.setAdmin(true);
        } else {
            account.setReader(true);
        }
        accounts.save(account);
        audit.record("account.authority_added", actor, accountId, details(account, authority, actor));
    }

    /** Takes {@code ROLE_ADMIN} or {@code ROLE_READER} away; the last active admin keeps theirs. */
    @Transactional
    public void revoke(String accountId, String authority, String actor) {
        Account account = require(accountId);
        boolean admin = parse(authority);
        if (admin && account.isAdmin()) {
            requireAnotherActiveAdmin(accountId, "remove the admin role of");
        }
        if (admin) {
            account.setAdmin(false);
        } else {
            account.setReader(false);
        }
        accounts.save(account);
        audit.record("account.authority_removed", actor, accountId, details(account, authority, actor));
    }

    /**
     * Refuses an action that would leave no active admin (removing the role, suspending or removing the account).
     *
     * @param what what is refused, e.g. "suspend"
     */
    public void requireAnotherActiveAdmin(String accountId, String what) {
        Boolean admin = jdbc.query("select admin from account where id = ?", (rs, n) -> rs.getBoolean(1), accountId)
                .stream().findFirst().orElse(false);
        if (!admin) {
            return;
        }
        Integer others = jdbc.queryForObject("select count(*) from account where admin = true and active = true and "
                + "id <> ?", Integer.class, accountId);
        if (others == 0) {
            throw new RoleException(409, "you cannot " + what + " the last active admin: make another account an "
                    + "admin first");
        }
    }

    private Map<String, Object> details(Account account, String authority, String actor) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("authority", authority);
        details.put("username", account.getUsername());
        accounts.findById(actor).ifPresent(a -> details.put("actorName", a.getUsername()));
        return details;
    }

    private static boolean parse(String authority) {
        if (ADMIN.equals(authority)) {
            return true;
        }
        if (READER.equals(authority)) {
            return false;
        }
        throw new RoleException(400, "Invalid authority: '" + authority + "' (ROLE_ADMIN or ROLE_READER)");
    }

    private Account require(String accountId) {
        return accounts.findById(accountId).orElseThrow(() -> new RoleException(404,
                "No account found for id '" + accountId + "'"));
    }
}
