package eu.tessera.server.login.passkey;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.web.webauthn.api.AuthenticatorTransport;
import org.springframework.security.web.webauthn.api.Bytes;
import org.springframework.security.web.webauthn.api.CredentialRecord;
import org.springframework.security.web.webauthn.api.ImmutableCredentialRecord;
import org.springframework.security.web.webauthn.api.ImmutablePublicKeyCose;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialType;
import org.springframework.security.web.webauthn.management.UserCredentialRepository;
import org.springframework.stereotype.Repository;

/**
 * An account's passkeys (WebAuthn credential records, W3C WebAuthn level 2 section 4 "credential record"), in the
 * shared database: every instance verifies every passkey and sees the same signature counters. Saving a record
 * that exists updates what an authentication changes (counter, flags, last use); saving a new one is a registration
 * (audited as {@code mfa.enrolled}).
 */
@Repository
public class PasskeyCredentials implements UserCredentialRepository {

    /** A passkey as the account page lists it. */
    public record Passkey(String id, String label, Instant createdAt, Instant lastUsedAt) {
    }

    private final JdbcTemplate jdbc;
    private final eu.tessera.server.audit.AuditLog audit;

    public PasskeyCredentials(JdbcTemplate jdbc, eu.tessera.server.audit.AuditLog audit) {
        this.jdbc = jdbc;
        this.audit = audit;
    }

    @Override
    public void save(CredentialRecord record) {
        String id = record.getCredentialId().toBase64UrlString();
        Timestamp lastUsed = record.getLastUsed() == null ? null : Timestamp.from(record.getLastUsed());
        int updated = jdbc.update("update account_passkey set signature_count = ?, uv_initialized = ?, backup_state = ?,"
                + " last_used_at = ? where credential_id = ?", record.getSignatureCount(), record.isUvInitialized(),
                record.isBackupState(), lastUsed, id);
        if (updated == 0) {
            String account = jdbc.queryForObject("select account_id from account_passkey_user where user_handle = ?",
                    String.class, record.getUserEntityUserId().toBase64UrlString());
            String label = record.getLabel() == null || record.getLabel().isBlank() ? "Passkey"
                    : record.getLabel().strip();
            jdbc.update("insert into account_passkey (credential_id, account_id, label, public_key, signature_count, "
                    + "uv_initialized, backup_eligible, backup_state, transports, created_at, last_used_at, "
                    + "attestation_object, attestation_client_data) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", id, account, label.length() > 64 ? label.substring(0, 64)
                    : label, new Bytes(record.getPublicKey().getBytes()).toBase64UrlString(),
                    record.getSignatureCount(), record.isUvInitialized(), record.isBackupEligible(),
                    record.isBackupState(), record.getTransports() == null ? "" : record.getTransports().stream()
                            .map(AuthenticatorTransport::getValue).collect(Collectors.joining(",")),
                    Timestamp.from(record.getCreated() == null ? Instant.now() : record.getCreated()), lastUsed,
                    record.getAttestationObject().toBase64UrlString(),
                    record.getAttestationClientDataJSON().toBase64UrlString());
            audit.record("mfa.enrolled", account, account, java.util.Map.of("factor", "passkey", "label", label));
        }
    }

    @Override
    public CredentialRecord findByCredentialId(Bytes credentialId) {
        List<CredentialRecord> found = jdbc.query(SELECT + " where p.credential_id = ?", this::record,
                credentialId.toBase64UrlString());
        return found.isEmpty() ? null : found.get(0);
    }

    @Override
    public List<CredentialRecord> findByUserId(Bytes userId) {
        return jdbc.query(SELECT + " where u.user_handle = ? order by p.created_at", this::record,
                userId.toBase64UrlString());
    }

    /**
     * Spring Security's own removal ({@code DELETE /webauthn/register/{id}}, CSRF-protected, the owner's passkeys
     * only): audited like a removal on the account page.
     */
    @Override
    public void delete(Bytes credentialId) {
        String id = credentialId.toBase64UrlString();
        List<String> owner = jdbc.queryForList("select account_id from account_passkey where credential_id = ?",
                String.class, id);
        if (jdbc.update("delete from account_passkey where credential_id = ?", id) == 1 && !owner.isEmpty()) {
            audit.record("mfa.removed", owner.get(0), owner.get(0), java.util.Map.of("factor", "passkey", "via",
                    "webauthn-endpoint"));
        }
    }

    /** The account's passkeys, oldest first. */
    public List<Passkey> of(String accountId) {
        return jdbc.query("select credential_id, label, created_at, last_used_at from account_passkey where "
                + "account_id = ? order by created_at", (rs, n) -> new Passkey(rs.getString(1), rs.getString(2),
                rs.getTimestamp(3).toInstant(), rs.getTimestamp(4) == null ? null : rs.getTimestamp(4).toInstant()),
                accountId);
    }

    public int count(String accountId) {
        Integer count = jdbc.queryForObject("select count(*) from account_passkey where account_id = ?",
                Integer.class, accountId);
        return count == null ? 0 : count;
    }

    /** Removes one of the account's passkeys; false when the account has no such passkey. */
    public boolean remove(String accountId, String credentialId) {
        return jdbc.update("delete from account_passkey where account_id = ? and credential_id = ?", accountId,
                credentialId) == 1;
    }

    /** Removes all of the account's passkeys; how many there were. */
    public int removeAll(String accountId) {
        return jdbc.update("delete from account_passkey where account_id = ?", accountId);
    }

    private static final String SELECT = "select p.credential_id, p.label, p.public_key, p.signature_count, "
            + "p.uv_initialized, p.backup_eligible, p.backup_state, p.transports, p.created_at, p.last_used_at, "
            + "p.attestation_object, p.attestation_client_data, u.user_handle from account_passkey p join account_passkey_user u on u.account_id = p.account_id";

    private CredentialRecord record(ResultSet rs, int row) throws SQLException {
        Set<AuthenticatorTransport> transports = new LinkedHashSet<>();
        Arrays.stream(rs.getString("transports").split(",")).filter(t -> !t.isBlank())
                .forEach(t -> transports.add(AuthenticatorTransport.valueOf(t)));
        return ImmutableCredentialRecord.builder()
                .credentialType(PublicKeyCredentialType.PUBLIC_KEY)
                .credentialId(Bytes.fromBase64(rs.getString("credential_id")))
                .userEntityUserId(Bytes.fromBase64(rs.getString("user_handle")))
                .publicKey(new ImmutablePublicKeyCose(Bytes.fromBase64(rs.getString("public_key")).getBytes()))
                .signatureCount(rs.getLong("signature_count"))
                .uvInitialized(rs.getBoolean("uv_initialized"))
                .backupEligible(rs.getBoolean("backup_eligible"))
                .backupState(rs.getBoolean("backup_state"))
                .transports(transports)
                .label(rs.getString("label"))
                .attestationObject(Bytes.fromBase64(rs.getString("attestation_object")))
                .attestationClientDataJSON(Bytes.fromBase64(rs.getString("attestation_client_data")))
                .created(rs.getTimestamp("created_at").toInstant())
                .lastUsed(rs.getTimestamp("last_used_at") == null ? null : rs.getTimestamp("last_used_at").toInstant())
                .build();
    }
}
