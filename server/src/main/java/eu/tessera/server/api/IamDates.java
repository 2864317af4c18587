package eu.tessera.server.api;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Dates as INDIGO IAM's JSON carries them (Jackson's {@code java.util.Date}): milliseconds since the epoch, or an
 * ISO-8601 time with an offset ({@code 2027-01-01T00:00:00.000+00:00}, also {@code +0000}) or {@code Z}.
 */
public final class IamDates {

    private IamDates() {
    }

    /** The instant, or null for null; anything else is an {@link IllegalArgumentException} naming the field. */
    public static Instant parse(Object value, String field) {
        if (value == null) {
            return null;
        }
        if (value instanceof Number millis) {
            return Instant.ofEpochMilli(millis.longValue());
        }
        if (value instanceof String text && !text.isBlank()) {
            String t = text.strip();
            // an offset without a colon (+0000), as Java's SimpleDateFormat and VOMS-Admin write it
            if (t.matches(".*[+-]\\d{4}$")) {
                t = t.substring(0, t.length() - 2) + ":" + t.substring(t.length() - 2);
            }
            try {
                return OffsetDateTime.parse(t).toInstant();
            } catch (DateTimeParseException e) {
                // fall through
            }
        }
        throw new IllegalArgumentException(field + ": milliseconds since the epoch or an ISO-8601 time such as "
                + "2027-01-01T00:00:00Z");
    }
}
