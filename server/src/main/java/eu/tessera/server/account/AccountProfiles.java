package eu.tessera.server.account;

import eu.tessera.server.audit.AuditLog;
import eu.tessera.server.enrollment.PasswordLinks;
import eu.tessera.server.enrollment.RegistrationService;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * An administrator creates accounts (with an invitation mail) and changes their profile: username, given and family
 * name, email. The username follows the rule SCIM applies; a taken username is a conflict. Only what changed is
 * audited, with old and new values.
 */
@Service
public class AccountProfiles {

    /** SCIM's userName rule (the widest one: registration's is a subset). */
    static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{1,127}");

    /** Whether Tessera accepts this as a username (2 to 128 of letters, digits and {@code . _ @ -}). */
    public static boolean validUsername(String username) {
        return username != null && USERNAME.matcher(username).matches();
    }
    private static final int MAX_NAME = 255;

    /** A refused change: {@code status} 400 for invalid input, 404 for an unknown account, 409 for a taken name. */
    public static class ProfileException extends RuntimeException {
        private final int status;

        public ProfileException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final JdbcTemplate jdbc;
    private final AuditLog audit;
    private final Clock clock;
    private final AccountRepository accounts;
    private final PasswordLinks passwords;

    public AccountProfiles(JdbcTemplate jdbc, AuditLog audit, Clock clock, AccountRepository accounts,
            PasswordLinks passwords) {
        this.accounts = accounts;
        this.passwords = passwords;
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Creates an account without a password and mails its holder an invitation with a link to set one (through
     * the outbox). The email is required: it is how the holder gets in.
     *
     * @return the new account's id
     */
    @Transactional
    public String invite(String username, String givenName, String familyName, String email, String actor) {
        String newUsername = username(username);
        String newGiven = blankToNull(givenName, "Given name");
        String newFamily = blankToNull(familyName, "Family name");
        String newEmail = email(email);
        if (newEmail == null) {
            throw new ProfileException(400, "Email: an email address is needed (the invitation goes there).");
        }
        if (accounts.findByUsername(newUsername).isPresent()) {
            throw new ProfileException(409, "The username " + newUsername + " is taken.");
        }
        requireFreeEmail(newEmail, null);
        Account account;
        try {
            account = accounts.saveAndFlush(new Account(newUsername, newEmail, newGiven, newFamily,
                    clock.instant()));
        } catch (DataIntegrityViolationException e) {   // the same username taken at the same moment
            throw new ProfileException(409, "The username " + newUsername + " is taken.");
        }
        passwords.mailLink(account, "account-invited");
        audit.record("account.invited", actor, account.getId(), Map.of("username", newUsername, "email", newEmail));
        return account.getId();
    }

    /**
     * Creates an account moved from another service with its id and creation time, checked as every account is
     * (username rule, unique username, email form, and an email no other account uses). No password: an imported
     * holder of a password there gets a link to set one ({@code mailPasswordLink}).
     */
    @Transactional
    public String importAccount(String id, String username, String givenName, String familyName, String email,
            java.time.Instant createdAt, boolean mailPasswordLink, String actor) {
        if (id == null || !id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,35}")) {
            throw new ProfileException(400, "id: up to 36 letters, digits, '.', '_' or '-'");
        }
        String newUsername = username(username == null ? "" : username);
        String newGiven = blankToNull(givenName == null ? "" : givenName, "Given name");
        String newFamily = blankToNull(familyName == null ? "" : familyName, "Family name");
        String newEmail = email(email == null ? "" : email);
        if (accounts.findByUsername(newUsername).isPresent()) {
            throw new ProfileException(409, "The username " + newUsername + " is taken.");
        }
        requireFreeEmail(newEmail, null);
        Account account = accounts.saveAndFlush(new Account(id, newUsername, newEmail, newGiven, newFamily,
                createdAt == null ? clock.instant() : createdAt));
        if (mailPasswordLink && newEmail != null) {
            passwords.mailLink(account, "account-imported");
        }
        audit.record("account.imported", actor, id, Map.of("username", newUsername));
        return id;
    }

    /** Sets the four profile fields; blank names and email are cleared. Returns the number of fields changed. */
    @Transactional
    public int update(String accountId, String username, String givenName, String familyName, String email,
            String actor) {
        List<Map<String, Object>> rows = jdbc.queryForList("select username, given_name, family_name, email from "
                + "account where id = ?", accountId);
        if (rows.isEmpty()) {
            throw new ProfileException(404, "There is no account " + accountId + ".");
        }
        String newUsername = username(username);
        String newGiven = blankToNull(givenName, "Given name");
        String newFamily = blankToNull(familyName, "Family name");
        String newEmail = email(email);
        Map<String, Object> current = rows.get(0);
        Map<String, Object> changes = new LinkedHashMap<>();
        note(changes, "username", current.get("username"), newUsername);
        note(changes, "givenName", current.get("given_name"), newGiven);
        note(changes, "familyName", current.get("family_name"), newFamily);
        note(changes, "email", current.get("email"), newEmail);
        if (changes.isEmpty()) {
            return 0;
        }
        if (changes.containsKey("email")) {
            requireFreeEmail(newEmail, accountId);
        }
        if (changes.containsKey("username") && jdbc.queryForObject("select count(*) from account where username = ? "
                + "and id <> ?", Integer.class, newUsername, accountId) > 0) {
            throw new ProfileException(409, "The username " + newUsername + " is taken.");
        }
        try {
            jdbc.update("update account set username = ?, given_name = ?, family_name = ?, email = ?, updated_at = ? "
                    + "where id = ?", newUsername, newGiven, newFamily, newEmail, Timestamp.from(clock.instant()),
                    accountId);
        } catch (DataIntegrityViolationException e) {   // the same username taken at the same moment
            throw new ProfileException(409, "The username " + newUsername + " is taken.");
        }
        audit.record("account.profile_updated", actor, accountId, changes);
        return changes.size();
    }

    /**
     * One email, one account (registration, the email change by link and the import refuse the same): a conflict when
     * another account than {@code exceptAccountId} has the address, in any case.
     */
    public void requireFreeEmail(String email, String exceptAccountId) {
        if (email != null && emailTaken(email, exceptAccountId)) {
            throw new ProfileException(409, "The email " + email + " belongs to another account.");
        }
    }

    /** Whether another account than {@code exceptAccountId} (null: none) has the address, in any case. */
    public boolean emailTaken(String email, String exceptAccountId) {
        return jdbc.queryForObject("select count(*) from account where lower(email) = ? and id <> ?", Integer.class,
                email.strip().toLowerCase(java.util.Locale.ROOT), exceptAccountId == null ? "" : exceptAccountId) > 0;
    }

    private static String username(String value) {
        String username = value.strip();
        if (!USERNAME.matcher(username).matches()) {
            throw new ProfileException(400, "Username: 2 to 128 letters, digits, '.', '_', '@' or '-', starting "
                    + "with a letter or digit.");
        }
        return username;
    }

    /** The address, or null for a blank field. */
    private static String email(String value) {
        if (value.isBlank()) {
            return null;
        }
        String email = value.strip();
        if (email.length() > 320 || !RegistrationService.EMAIL.matcher(email).matches()) {
            throw new ProfileException(400, "Email: not an email address.");
        }
        return email;
    }

    private static String blankToNull(String value, String field) {
        if (value.isBlank()) {
            return null;
        }
        if (value.strip().length() > MAX_NAME) {
            throw new ProfileException(400, field + ": at most " + MAX_NAME + " characters.");
        }
        return value.strip();
    }

    private static void note(Map<String, Object> changes, String field, Object before, String after) {
        if (before == null ? after != null : !before.equals(after)) {
            changes.put(field, Map.of("from", before == null ? "" : before, "to", after == null ? "" : after));
        }
    }
}
