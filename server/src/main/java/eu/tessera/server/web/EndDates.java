package eu.tessera.server.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * End dates on forms: a person picks the last day (a date field); the stored end time is the first instant after
 * that day in UTC, so "until 2027-06-30" includes the whole 30th everywhere on Earth's UTC day.
 */
public final class EndDates {

    private EndDates() {
    }

    /** The first instant after the given day (UTC), or null for an empty field. */
    public static Instant endOfDay(String date) {
        if (date == null || date.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(date.strip()).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("The date must be written YYYY-MM-DD, e.g. 2027-06-30.");
        }
    }

    /** The last day an end time includes, as the date field shows it; empty for none. */
    public static String lastDay(Instant endTime) {
        return endTime == null ? "" : LocalDate.ofInstant(endTime.minusSeconds(1), ZoneOffset.UTC).toString();
    }
}
