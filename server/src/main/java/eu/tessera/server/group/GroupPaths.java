package eu.tessera.server.group;

/**
 * "This group or one below it" in SQL, by path prefix: {@code path = ancestor} or {@code path} starts with
 * {@code ancestor + '/'}. Not LIKE: {@code _} is legal in group names and a LIKE wildcard, so {@code /a_b%} would
 * match {@code /axb}. The same SQL on PostgreSQL and H2. Each operand is a column or {@code ?}; a {@code ?} operand
 * stands in the SQL twice ({@code descendant}) or three times ({@code ancestor}), so bind it that often.
 * {@link #isWithin} is the same test in Java.
 */
public final class GroupPaths {

    private GroupPaths() {
    }

    /** {@code descendant} is {@code ancestor} or lies below it. */
    public static String within(String descendant, String ancestor) {
        return "(" + descendant + " = " + ancestor + " or left(" + descendant + ", length(" + ancestor + ") + 1) = "
                + "concat(" + ancestor + ", '/'))";
    }

    /** The group {@code path} is {@code ancestor} or lies below it. */
    public static boolean isWithin(String path, String ancestor) {
        return path.equals(ancestor) || path.startsWith(ancestor + "/");
    }
}
