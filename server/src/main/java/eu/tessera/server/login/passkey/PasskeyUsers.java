package eu.tessera.server.login.passkey;

import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.web.webauthn.api.Bytes;
import org.springframework.security.web.webauthn.api.ImmutablePublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.management.PublicKeyCredentialUserEntityRepository;
import org.springframework.stereotype.Repository;

/**
 * The WebAuthn user of an account (W3C WebAuthn level 2, section 5.4.3): a random user handle, the username as the
 * {@code name} an authenticator shows, the full name as {@code displayName}. Spring Security looks users up by the
 * session's principal name, which in Tessera is the account id: {@link #findByUsername} takes an account id (or a
 * username) and gives the account a handle the first time.
 */
@Repository
public class PasskeyUsers implements PublicKeyCredentialUserEntityRepository {

    private final JdbcTemplate jdbc;

    public PasskeyUsers(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public PublicKeyCredentialUserEntity findById(Bytes id) {
        return jdbc.query("select a.id, a.username, a.given_name, a.family_name, u.user_handle from "
                + "account_passkey_user u join account a on a.id = u.account_id where u.user_handle = ?",
                rs -> rs.next() ? entity(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)) : null,
                id.toBase64UrlString());
    }

    @Override
    public PublicKeyCredentialUserEntity findByUsername(String accountIdOrUsername) {
        return jdbc.query("select id, username, given_name, family_name from account where id = ? or username = ?",
                rs -> {
                    if (!rs.next()) {
                        return null;
                    }
                    String handle = handleOf(rs.getString(1));
                    return entity(rs.getString(2), rs.getString(3), rs.getString(4), handle);
                }, accountIdOrUsername, accountIdOrUsername);
    }

    /** Users are created by {@link #findByUsername}; nothing else saves one. */
    @Override
    public void save(PublicKeyCredentialUserEntity userEntity) {
        // the entity Spring saves is one findByUsername returned: its handle is stored already
    }

    @Override
    public void delete(Bytes id) {
        jdbc.update("delete from account_passkey_user where user_handle = ?", id.toBase64UrlString());
    }

    /** The account a user handle belongs to. */
    public Optional<String> accountOf(Bytes userHandle) {
        return jdbc.query("select account_id from account_passkey_user where user_handle = ?",
                rs -> rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty(),
                userHandle.toBase64UrlString());
    }

    private String handleOf(String accountId) {
        String handle = jdbc.query("select user_handle from account_passkey_user where account_id = ?",
                rs -> rs.next() ? rs.getString(1) : null, accountId);
        if (handle != null) {
            return handle;
        }
        byte[] random = new byte[64];
        new java.security.SecureRandom().nextBytes(random);
        String created = new Bytes(random).toBase64UrlString();
        try {
            jdbc.update("insert into account_passkey_user (account_id, user_handle) values (?, ?)", accountId, created);
            return created;
        } catch (org.springframework.dao.DuplicateKeyException e) {
            // another request gave the account its handle at the same moment
            return jdbc.queryForObject("select user_handle from account_passkey_user where account_id = ?",
                    String.class, accountId);
        }
    }

    private static PublicKeyCredentialUserEntity entity(String username, String given, String family,
            String handle) {
        String name = ((given == null ? "" : given) + " " + (family == null ? "" : family)).trim();
        return ImmutablePublicKeyCredentialUserEntity.builder().id(Bytes.fromBase64(handle)).name(username)
                .displayName(name.isEmpty() ? username : name).build();
    }
}
