package eu.tessera.server.login.mfa;

import eu.tessera.server.audit.AuditLog;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.group.GroupPaths;
import eu.tessera.server.keys.KeyEncryption;
import eu.tessera.server.login.local.LoginThrottle;
import eu.tessera.server.mail.MailOutbox;
import eu.tessera.server.mail.MailTemplates;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * An account's second factors: a TOTP authenticator (RFC 6238) and one-time recovery codes (passkeys are
 * {@code login.passkey}'s; they count here as a second factor, and an administrator's reset removes them too).
 * <ul>
 * <li>Enrolment: {@link #startTotp} stores a new secret (encrypted, unconfirmed) and returns what the member's app
 * needs; {@link #confirmTotp} with a first code from the app confirms it and returns fresh recovery codes, shown
 * once and stored as hashes.</li>
 * <li>Verification ({@link #verify}): a TOTP code within {@code tessera.mfa.totp-window} steps is accepted by the
 * one UPDATE that raises the account's last used step, so each code (and any older one) works once, on every
 * instance; a recovery code by the UPDATE that marks it used. Wrong and replayed codes are throttled like
 * passwords ({@link LoginThrottle}) and audited.</li>
 * <li>Removal by the member, reset by an administrator (audited, mailed to the member).</li>
 * <li>Who must: {@code tessera.mfa.*} and groups whose page requires it (members of the group or a subgroup).</li>
 * </ul>
 */
@Service
public class MfaService {

    /** What became of a code. */
    public enum Outcome {
        /** a TOTP code, accepted */
        TOTP,
        /** a recovery code, accepted (and now used) */
        RECOVERY_CODE,
        /** not six digits nor a recovery code's form: nothing was checked */
        MALFORMED,
        /** well-formed but wrong, or a recovery code already used */
        WRONG,
        /** a TOTP code (or an older one) already accepted */
        REPLAYED,
        /** too many failures: nothing was checked */
        LOCKED,
        /** the account has no confirmed authenticator app (perhaps passkeys only) */
        NOT_ENROLLED;

        public boolean accepted() {
            return this == TOTP || this == RECOVERY_CODE;
        }
    }

    /** A new, unconfirmed authenticator: the secret in base32 and the {@code otpauth://} URI with it. */
    public record Enrolment(String secret, String uri, String qrSvg) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int SECRET_BYTES = 20;          // 160 bits, RFC 4226's recommendation for HMAC-SHA1
    private static final int RECOVERY_CODE_BYTES = 10;   // 80 bits: 16 base32 characters

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final KeyEncryption encryption;
    private final AuditLog audit;
    private final LoginThrottle throttle;
    private final MailOutbox mail;
    private final MailTemplates templates;
    private final TesseraProperties properties;

    public MfaService(JdbcTemplate jdbc, Clock clock, AuditLog audit, LoginThrottle throttle, MailOutbox mail,
            MailTemplates templates, TesseraProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.audit = audit;
        this.throttle = throttle;
        this.mail = mail;
        this.templates = templates;
        this.properties = properties;
        this.encryption = KeyEncryption.configured(properties.keys().encryptionSecret(), "tessera-totp-secret");
    }

    /** Whether the account has a second factor: a confirmed TOTP authenticator or a passkey. */
    public boolean enrolled(String accountId) {
        Integer factors = jdbc.queryForObject("select (select count(*) from account_totp where account_id = ? and "
                + "confirmed_at is not null) + (select count(*) from account_passkey where account_id = ?)",
                Integer.class, accountId, accountId);
        return factors != null && factors > 0;
    }

    /** Whether the account has a confirmed TOTP authenticator. */
    public boolean totpEnrolled(String accountId) {
        return Boolean.TRUE.equals(jdbc.query("select confirmed_at from account_totp where account_id = ?",
                rs -> rs.next() ? rs.getTimestamp(1) != null : false, accountId));
    }

    /** When the confirmed authenticator was added, if there is one. */
    public Optional<Instant> enrolledAt(String accountId) {
        return jdbc.query("select confirmed_at from account_totp where account_id = ? and confirmed_at is not null",
                rs -> rs.next() ? Optional.of(rs.getTimestamp(1).toInstant()) : Optional.<Instant>empty(), accountId);
    }

    /** Unused recovery codes left. */
    public int recoveryCodesLeft(String accountId) {
        Integer left = jdbc.queryForObject("select count(*) from account_recovery_code where account_id = ? and "
                + "used_at is null", Integer.class, accountId);
        return left == null ? 0 : left;
    }

    /**
     * Whether the policy makes this account use a second factor: administrators and readers when
     * {@code tessera.mfa.required-for-admins}, members of a {@code tessera.mfa.required-groups} group or subgroup.
     */
    public boolean required(String accountId, boolean adminOrReader) {
        // a group whose page says its members must (the member in it or in a subgroup of it)
        Integer flagged = jdbc.queryForObject("select count(*) from membership m join vo_group g on g.id = m.group_id "
                + "join vo_group r on r.mfa_required = true and " + GroupPaths.within("g.path", "r.path")
                + " where m.account_id = ?", Integer.class, accountId);
        if (flagged != null && flagged > 0) {
            return true;
        }
        return requiredBy(properties.mfa(), adminOrReader, group -> {
            Integer count = jdbc.queryForObject("select count(*) from membership m join vo_group g on g.id = "
                    + "m.group_id where m.account_id = ? and " + GroupPaths.within("g.path", "?"), Integer.class,
                    accountId, group, group, group);
            return count != null && count > 0;
        });
    }

    /** The policy's decision, given whether the account is in a group or one of its subgroups. */
    static boolean requiredBy(TesseraProperties.Mfa policy, boolean adminOrReader,
            java.util.function.Predicate<String> inGroupOrBelow) {
        if (adminOrReader && policy.requiredForAdmins()) {
            return true;
        }
        return policy.requiredGroups().stream().anyMatch(inGroupOrBelow);
    }

    /**
     * Starts (or restarts) enrolment: a new secret replaces an unconfirmed one. A confirmed authenticator is
     * replaced only through {@link #removeTotp} first.
     *
     * @throws IllegalStateException when a confirmed authenticator exists
     */
    @Transactional
    public Enrolment startTotp(String accountId, String username) {
        if (totpEnrolled(accountId)) {
            throw new IllegalStateException("an authenticator is already set up");
        }
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secret);
        String base32 = Base32.encode(secret);
        jdbc.update("delete from account_totp where account_id = ?", accountId);
        jdbc.update("insert into account_totp (account_id, secret, created_at) values (?, ?, ?)", accountId,
                encryption.encrypt(base32), Timestamp.from(clock.instant()));
        return enrolment(username, base32);
    }

    /** The pending (unconfirmed) enrolment again, e.g. when the confirmation page is shown after a wrong code. */
    public Optional<Enrolment> pendingTotp(String accountId, String username) {
        return jdbc.query("select secret from account_totp where account_id = ? and confirmed_at is null",
                rs -> rs.next() ? Optional.of(enrolment(username, encryption.decrypt(rs.getString(1))))
                        : Optional.<Enrolment>empty(), accountId);
    }

    private Enrolment enrolment(String username, String base32) {
        String issuer = properties.organisationName();
        String label = URLEncoder.encode(issuer, StandardCharsets.UTF_8).replace("+", "%20") + ":"
                + URLEncoder.encode(username, StandardCharsets.UTF_8).replace("+", "%20");
        String uri = "otpauth://totp/" + label + "?secret=" + base32 + "&issuer="
                + URLEncoder.encode(issuer, StandardCharsets.UTF_8).replace("+", "%20")
                + "&algorithm=SHA1&digits=" + Totp.DIGITS + "&period=" + Totp.STEP_SECONDS;
        return new Enrolment(base32, uri, QrCodeSvg.render(uri, "QR code for your authenticator app"));
    }

    /**
     * Confirms the pending authenticator with a code from the app; returns the new recovery codes (shown once), or
     * empty when the code is not the app's (the pending secret stays, to try again).
     */
    @Transactional
    public Optional<List<String>> confirmTotp(String accountId, String code, String address) {
        if (throttle.isSecondFactorLocked(accountId, address)) {
            return Optional.empty();
        }
        String stored = jdbc.query("select secret from account_totp where account_id = ? and confirmed_at is null",
                rs -> rs.next() ? rs.getString(1) : null, accountId);
        if (stored == null) {
            return Optional.empty();
        }
        OptionalLong step = Totp.matchingStep(Base32.decode(encryption.decrypt(stored)), normalizeTotp(code),
                clock.instant(), properties.mfa().totpWindow());
        if (step.isEmpty()) {
            if (Totp.wellFormed(normalizeTotp(code))) {
                throttle.recordSecondFactorFailure(accountId, address);
            }
            return Optional.empty();
        }
        jdbc.update("update account_totp set confirmed_at = ?, last_step = ? where account_id = ?",
                Timestamp.from(clock.instant()), step.getAsLong(), accountId);
        List<String> codes = newRecoveryCodes(accountId);
        audit.record("mfa.enrolled", accountId, accountId, Map.of("factor", "totp"));
        return Optional.of(codes);
    }

    /** Replaces the recovery codes (the old ones stop working); returns the new ones, shown once. */
    @Transactional
    public List<String> renewRecoveryCodes(String accountId) {
        List<String> codes = newRecoveryCodes(accountId);
        audit.record("mfa.recovery-codes.renewed", accountId, accountId, Map.of());
        return codes;
    }

    private List<String> newRecoveryCodes(String accountId) {
        jdbc.update("delete from account_recovery_code where account_id = ?", accountId);
        List<String> codes = new ArrayList<>();
        Timestamp now = Timestamp.from(clock.instant());
        for (int i = 0; i < properties.mfa().recoveryCodes(); i++) {
            byte[] random = new byte[RECOVERY_CODE_BYTES];
            RANDOM.nextBytes(random);
            String code = Base32.encode(random).toLowerCase(java.util.Locale.ROOT);
            jdbc.update("insert into account_recovery_code (account_id, code_hash, created_at) values (?, ?, ?)",
                    accountId, hash(code), now);
            codes.add(code.substring(0, 4) + "-" + code.substring(4, 8) + "-" + code.substring(8, 12) + "-"
                    + code.substring(12));
        }
        return codes;
    }

    /**
     * Checks a second-factor code: six digits are a TOTP code, anything else of a recovery code's form (16 base32
     * characters, hyphens and spaces ignored) a recovery code.
     */
    @Transactional
    public Outcome verify(String accountId, String input, String address) {
        if (throttle.isSecondFactorLocked(accountId, address)) {
            audit.record("login.failure", accountId, accountId, Map.of("method", "second-factor", "reason",
                    "throttled"));
            return Outcome.LOCKED;
        }
        String stored = jdbc.query("select secret from account_totp where account_id = ? and confirmed_at is not null",
                rs -> rs.next() ? rs.getString(1) : null, accountId);
        if (stored == null) {
            return Outcome.NOT_ENROLLED;
        }
        String totp = normalizeTotp(input);
        Outcome outcome;
        String method;
        if (Totp.wellFormed(totp)) {
            method = "totp";
            OptionalLong step = Totp.matchingStep(Base32.decode(encryption.decrypt(stored)), totp, clock.instant(),
                    properties.mfa().totpWindow());
            if (step.isEmpty()) {
                outcome = Outcome.WRONG;
            } else {
                // used once: only the UPDATE that raises last_step accepts the code, on whichever instance
                outcome = jdbc.update("update account_totp set last_step = ? where account_id = ? and last_step < ?",
                        step.getAsLong(), accountId, step.getAsLong()) == 1 ? Outcome.TOTP : Outcome.REPLAYED;
            }
        } else {
            String recovery = normalizeRecoveryCode(input);
            if (recovery == null) {
                return Outcome.MALFORMED;
            }
            method = "recovery-code";
            outcome = jdbc.update("update account_recovery_code set used_at = ? where account_id = ? and code_hash = ? "
                    + "and used_at is null", Timestamp.from(clock.instant()), accountId, hash(recovery)) == 1
                    ? Outcome.RECOVERY_CODE : Outcome.WRONG;
        }
        if (outcome.accepted()) {
            throttle.recordSecondFactorSuccess(accountId);
            audit.record("mfa.verified", accountId, accountId, outcome == Outcome.RECOVERY_CODE
                    ? Map.of("method", method, "recoveryCodesLeft", recoveryCodesLeft(accountId))
                    : Map.of("method", method));
        } else {
            throttle.recordSecondFactorFailure(accountId, address);
            audit.record("login.failure", accountId, accountId, Map.of("method", method, "reason",
                    outcome == Outcome.REPLAYED ? "code already used" : "wrong code"));
        }
        return outcome;
    }

    /** The member removes their authenticator and recovery codes. */
    @Transactional
    public boolean removeTotp(String accountId) {
        boolean removed = deleteFactors(accountId);
        if (removed) {
            audit.record("mfa.removed", accountId, accountId, Map.of("factor", "totp"));
        }
        return removed;
    }

    /**
     * An administrator removes a member's second factors (a lost phone); the member is mailed. Audited with the
     * administrator as actor.
     */
    @Transactional
    public boolean reset(String accountId, String adminId) {
        boolean removed = deleteAllFactors(accountId);
        if (!removed) {
            return false;
        }
        audit.record("mfa.reset", adminId, accountId, Map.of("factors", "totp, recovery codes, passkeys"));
        jdbc.query("select username, email, given_name, family_name from account where id = ?", rs -> {
            if (rs.next() && rs.getString("email") != null) {
                String name = ((rs.getString("given_name") == null ? "" : rs.getString("given_name")) + " "
                        + (rs.getString("family_name") == null ? "" : rs.getString("family_name"))).trim();
                Map<String, Object> variables = new java.util.HashMap<>();
                variables.put("organisation", properties.organisationName());
                variables.put("name", name.isEmpty() ? rs.getString("username") : name);
                variables.put("username", rs.getString("username"));
                variables.put("url", properties.baseUrl() + "/account/mfa");
                MailTemplates.Rendered text = templates.render("mfa-reset", variables);
                mail.queue(rs.getString("email"), text.subject(), text.body());
            }
            return null;
        }, accountId);
        return true;
    }

    private boolean deleteFactors(String accountId) {
        int totp = jdbc.update("delete from account_totp where account_id = ?", accountId);
        int codes = jdbc.update("delete from account_recovery_code where account_id = ?", accountId);
        return totp + codes > 0;
    }

    /** An administrator's reset removes the passkeys too. */
    private boolean deleteAllFactors(String accountId) {
        boolean app = deleteFactors(accountId);
        return jdbc.update("delete from account_passkey where account_id = ?", accountId) > 0 || app;
    }

    private static String normalizeTotp(String input) {
        return input == null ? "" : input.replace(" ", "").strip();
    }

    /** 16 base32 characters, lower case, or null. */
    static String normalizeRecoveryCode(String input) {
        if (input == null || input.length() > 64) {
            return null;
        }
        StringBuilder out = new StringBuilder(16);
        for (char c : input.toCharArray()) {
            if (c == '-' || c == ' ') {
                continue;
            }
            char lower = Character.toLowerCase(c);
            if (!(lower >= 'a' && lower <= 'z' || lower >= '2' && lower <= '7')) {
                return null;
            }
            out.append(lower);
        }
        return out.length() == 16 ? out.toString() : null;
    }

    private static String hash(String code) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(code.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
