package eu.tessera.sync.rucio;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The value of the owner attribute Tessera writes on the Rucio accounts it manages: which Tessera account owns it.
 *
 * <p>Rucio validates account attribute keys and values against {@code ^[a-zA-Z0-9-_\/\.]{1,30}$}
 * ({@code ACCOUNT_ATTRIBUTE} in {@code lib/rucio/common/schema/generic.py}, checked in
 * {@code gateway/account.py add_account_attribute}, Rucio 1.30 to 41), so a 36-character UUID cannot be written.
 * A UUID account id is written as its 16 bytes in unpadded base64url (22 characters of {@code A-Z a-z 0-9 - _});
 * any other id that already fits the pattern is written as it is. Both forms read back to the id.
 * The previous form, the UUID itself (only a Rucio with that check relaxed could hold it), is still recognised.</p>
 */
public final class OwnerMarker {

    /** Rucio's account attribute key and value pattern (Rucio 41.0.0rc1, unchanged since 1.30). */
    public static final Pattern RUCIO_ATTRIBUTE = Pattern.compile("^[a-zA-Z0-9\\-_/\\\\.]{1,30}$");

    private static final Pattern UUID_TEXT = Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    private static final Pattern ENCODED_UUID = Pattern.compile("^[A-Za-z0-9_-]{21}[AQgw]$");

    private OwnerMarker() {
    }

    /**
     * The marker for a Tessera account id.
     *
     * @throws IllegalArgumentException when the id is neither a UUID nor a value Rucio accepts
     */
    public static String of(String accountId) {
        if (UUID_TEXT.matcher(accountId).matches()) {
            UUID uuid = UUID.fromString(accountId);
            ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                    .putLong(uuid.getLeastSignificantBits());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
        }
        if (RUCIO_ATTRIBUTE.matcher(accountId).matches() && !ENCODED_UUID.matcher(accountId).matches()) {
            return accountId;
        }
        throw new IllegalArgumentException("account id '" + accountId + "' cannot be written as a Rucio attribute "
                + "value (a UUID, or at most 30 of a-z A-Z 0-9 - _ / . \\)");
    }

    /** The account id a marker names (the current and the previous form). */
    public static String accountId(String marker) {
        if (ENCODED_UUID.matcher(marker).matches()) {
            ByteBuffer bytes = ByteBuffer.wrap(Base64.getUrlDecoder().decode(marker));
            return new UUID(bytes.getLong(), bytes.getLong()).toString();
        }
        return UUID_TEXT.matcher(marker).matches() ? marker.toLowerCase(java.util.Locale.ROOT) : marker;
    }

    /** Whether a marker found in Rucio names this account, in the current or the previous form. */
    public static boolean names(String marker, String accountId) {
        return accountId.equalsIgnoreCase(accountId(marker));
    }

    /** Whether a marker is of the current form (a previous-form marker is rewritten). */
    public static boolean current(String marker) {
        return RUCIO_ATTRIBUTE.matcher(marker).matches();
    }
}
