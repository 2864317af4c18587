package eu.tessera.server.account;

import eu.tessera.server.audit.AuditLog;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * SSH public keys of accounts, as INDIGO IAM keeps them ({@code sshKeys} of its SCIM IndigoUser: a label of at most
 * 36 characters, the key, its fingerprint, a primary flag). A key is checked before it is stored: an OpenSSH public
 * key line ({@code ssh-ed25519 AAAA... comment}) whose blob names the same type, RSA of at least 2048 bits, no DSA
 * (OpenSSH no longer accepts it). The fingerprint is the SHA-256 of the blob in standard Base64 (IAM's
 * {@code RSAPublicKeyUtils}); pages show it as {@code ssh-keygen -l} does ({@code SHA256:} and no padding). One key
 * belongs to at most one account.
 */
@Service
public class SshKeys {

    public static final int MAX_LABEL = 36;
    public static final int MAX_VALUE = 3072;
    static final int MIN_RSA_BITS = 2048;
    static final Set<String> TYPES = Set.of("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
            "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com");

    /** A stored key. */
    public record Key(String id, String accountId, String label, String value, String fingerprint, boolean primary,
            Instant created, Instant updated) {

        /** The fingerprint as {@code ssh-keygen -l -E sha256} prints it. */
        public String sha256() {
            return "SHA256:" + fingerprint.replace("=", "");
        }

        /** The day it was added, UTC ({@code 2026-12-03}). */
        public String createdDay() {
            return created.toString().substring(0, 10);
        }

        /** The key type ({@code ssh-ed25519}, ...). */
        public String type() {
            return value.substring(0, value.indexOf(' '));
        }
    }

    /** A checked key: the normalized line ({@code type base64 [comment]}) and its fingerprint. */
    public record Parsed(String value, String fingerprint, String comment) {
    }

    private final JdbcTemplate jdbc;
    private final AuditLog audit;
    private final Clock clock;

    public SshKeys(JdbcTemplate jdbc, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
    }

    private static final String COLUMNS = "id, account_id, label, key_value, fingerprint, is_primary, created_at, "
            + "updated_at";

    public List<Key> of(String accountId) {
        return jdbc.query("select " + COLUMNS + " from account_ssh_key where account_id = ? order by created_at, id",
                SshKeys::key, accountId);
    }

    /** The account a key (by its fingerprint) belongs to. */
    public java.util.Optional<String> owner(String fingerprint) {
        return jdbc.queryForList("select account_id from account_ssh_key where fingerprint = ?", String.class,
                fingerprint).stream().findFirst();
    }

    /** Whether a label is acceptable: 1 to 36 characters, no control characters. */
    public static boolean validLabel(String label) {
        return label != null && !label.isBlank() && label.strip().length() <= MAX_LABEL
                && label.chars().noneMatch(Character::isISOControl);
    }

    /** The keys of several accounts (a SCIM page) in one query, by account id. */
    public Map<String, List<Key>> of(List<String> accountIds) {
        Map<String, List<Key>> out = new java.util.HashMap<>();
        if (accountIds.isEmpty()) {
            return out;
        }
        jdbc.query("select " + COLUMNS + " from account_ssh_key where account_id in ("
                + String.join(",", java.util.Collections.nCopies(accountIds.size(), "?")) + ") order by created_at, id",
                (java.sql.ResultSet rs) -> {
                    Key key = key(rs, 0);
                    out.computeIfAbsent(key.accountId(), k -> new java.util.ArrayList<>()).add(key);
                }, accountIds.toArray());
        return out;
    }

    private static Key key(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Key(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getBoolean(6), rs.getTimestamp(7).toInstant(), rs.getTimestamp(8).toInstant());
    }

    /**
     * Adds a key to the account. Adding a key the account already has changes nothing and returns it.
     *
     * @param label   1 to 36 characters; when blank, the key's comment (cut to 36) or {@code key}
     * @throws LinkException not a valid key or label (400), or the key belongs to another account (conflict)
     */
    @Transactional
    public Key add(String accountId, String label, String value, boolean primary, String actor) {
        Parsed parsed = parse(value);
        String name = label == null || label.isBlank()
                ? (parsed.comment() == null ? "key" : cut(parsed.comment())) : label.strip();
        if (!validLabel(name)) {
            throw new LinkException("label: 1 to " + MAX_LABEL + " characters, no control characters", false);
        }
        java.util.Optional<String> owner = owner(parsed.fingerprint());
        if (owner.isPresent()) {
            if (!owner.get().equals(accountId)) {
                throw new LinkException("this SSH key belongs to another account", true);
            }
            return of(accountId).stream().filter(k -> k.fingerprint().equals(parsed.fingerprint())).findFirst()
                    .orElseThrow();
        }
        Instant now = clock.instant();
        String id = UUID.randomUUID().toString();
        try {
            jdbc.update("insert into account_ssh_key (id, account_id, label, key_value, fingerprint, is_primary, "
                    + "created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?)", id, accountId, name, parsed.value(),
                    parsed.fingerprint(), primary, Timestamp.from(now), Timestamp.from(now));
        } catch (DuplicateKeyException e) {
            throw new LinkException("this SSH key belongs to another account", true);
        }
        touch(accountId, now);
        audit.record("ssh_key.added", actor, accountId, Map.of("fingerprint", parsed.fingerprint(), "label", name));
        return new Key(id, accountId, name, parsed.value(), parsed.fingerprint(), primary, now, now);
    }

    /** Removes one of the account's keys, by id or fingerprint; false when it has no such key. */
    @Transactional
    public boolean remove(String accountId, String idOrFingerprint, String actor) {
        for (Key key : of(accountId)) {
            if (key.id().equals(idOrFingerprint) || key.fingerprint().equals(idOrFingerprint)
                    || key.sha256().equals(idOrFingerprint)) {
                jdbc.update("delete from account_ssh_key where id = ?", key.id());
                touch(accountId, clock.instant());
                audit.record("ssh_key.removed", actor, accountId, Map.of("fingerprint", key.fingerprint(),
                        "label", key.label()));
                return true;
            }
        }
        return false;
    }

    private void touch(String accountId, Instant now) {
        jdbc.update("update account set updated_at = ? where id = ?", Timestamp.from(now), accountId);
    }

    private static String cut(String text) {
        String clean = text.replaceAll("\\p{Cntrl}", "").strip();
        return clean.isEmpty() ? "key" : clean.length() > MAX_LABEL ? clean.substring(0, MAX_LABEL) : clean;
    }

    /**
     * Checks a public key: {@code type base64 [comment]} as in an OpenSSH {@code .pub} file, or the Base64 blob alone
     * (IAM accepted that). The blob must name the same type and hold a usable key.
     *
     * @throws LinkException (not a conflict) saying what is wrong
     */
    public static Parsed parse(String text) {
        if (text == null || text.isBlank()) {
            throw new LinkException("key: empty; paste the line of your .pub file (ssh-ed25519 AAAA... you@host)",
                    false);
        }
        String line = text.strip();
        if (line.length() > MAX_VALUE) {
            throw new LinkException("key: longer than " + MAX_VALUE + " characters", false);
        }
        if (line.contains("\n") || line.contains("\r")) {
            throw new LinkException("key: one key on one line", false);
        }
        if (line.startsWith("-----BEGIN")) {
            throw new LinkException("key: a PEM block; paste the OpenSSH public key (the .pub file), never a "
                    + "private key", false);
        }
        String[] parts = line.split("\\s+", 3);
        String declared = parts.length > 1 ? parts[0] : null;
        String encoded = parts.length > 1 ? parts[1] : parts[0];
        String comment = parts.length > 2 ? parts[2] : null;
        if (declared != null && !TYPES.contains(declared)) {
            throw new LinkException("key: type " + (declared.length() > 40 ? declared.substring(0, 40) : declared)
                    + " is not accepted (use ssh-ed25519, ecdsa-sha2-nistp256/384/521 or ssh-rsa of at least "
                    + MIN_RSA_BITS + " bits" + ("ssh-dss".equals(declared) ? "; DSA keys are no longer safe" : "")
                    + ")", false);
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new LinkException("key: the key data is not Base64", false);
        }
        ByteBuffer in = ByteBuffer.wrap(blob);
        String type;
        try {
            type = new String(field(in), StandardCharsets.US_ASCII);
            if (declared != null && !declared.equals(type)) {
                throw new LinkException("key: the line says " + declared + " but the key data is " + shortType(type),
                        false);
            }
            if (!TYPES.contains(type)) {
                throw new LinkException("key: type " + shortType(type) + " is not accepted", false);
            }
            check(type, in);
        } catch (java.nio.BufferUnderflowException | NegativeArraySizeException e) {
            throw new LinkException("key: the key data is cut short or damaged", false);
        }
        if (in.hasRemaining()) {
            throw new LinkException("key: the key data has bytes after the key", false);
        }
        String value = type + " " + Base64.getEncoder().encodeToString(blob) + (comment == null ? "" : " " + comment);
        return new Parsed(value, fingerprint(blob), comment);
    }

    private static String shortType(String type) {
        String printable = type.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 40 ? printable.substring(0, 40) : printable;
    }

    /** The key fields after the type, per RFC 4253 6.6, RFC 5656 3.1, RFC 8709 4 and OpenSSH PROTOCOL.u2f. */
    private static void check(String type, ByteBuffer in) {
        switch (type) {
            case "ssh-rsa" -> {
                BigInteger e = new BigInteger(field(in));
                BigInteger n = new BigInteger(field(in));
                if (e.signum() <= 0 || n.signum() <= 0 || !e.testBit(0)) {
                    throw new LinkException("key: not a valid RSA key", false);
                }
                if (n.bitLength() < MIN_RSA_BITS) {
                    throw new LinkException("key: an RSA key of " + n.bitLength() + " bits; use at least "
                            + MIN_RSA_BITS + " (or ssh-ed25519)", false);
                }
            }
            case "ssh-ed25519", "sk-ssh-ed25519@openssh.com" -> {
                if (field(in).length != 32) {
                    throw new LinkException("key: not a valid Ed25519 key", false);
                }
                if (type.startsWith("sk-")) {
                    field(in);   // application (e.g. ssh:)
                }
            }
            default -> {   // ecdsa-sha2-<curve>, sk-ecdsa-sha2-nistp256@openssh.com
                String curve = new String(field(in), StandardCharsets.US_ASCII);
                String expected = type.startsWith("sk-") ? "nistp256" : type.substring("ecdsa-sha2-".length());
                byte[] point = field(in);
                int size = switch (expected) {
                    case "nistp256" -> 32;
                    case "nistp384" -> 48;
                    default -> 66;
                };
                if (!curve.equals(expected) || point.length != 1 + 2 * size || point[0] != 4) {
                    throw new LinkException("key: not a valid ECDSA key", false);
                }
                if (type.startsWith("sk-")) {
                    field(in);
                }
            }
        }
    }

    private static byte[] field(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new java.nio.BufferUnderflowException();
        }
        byte[] out = new byte[length];
        in.get(out);
        return out;
    }

    static String fingerprint(byte[] blob) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(blob));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
