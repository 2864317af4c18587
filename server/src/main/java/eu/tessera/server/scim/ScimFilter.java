package eu.tessera.server.scim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SCIM filters (RFC 7644 section 3.4.2.2) turned into a parameterised SQL condition: comparisons {@code eq},
 * {@code ne}, {@code co}, {@code sw}, {@code ew}, {@code pr}, combined with {@code and}, {@code or}, {@code not}
 * and parentheses; attribute names case-insensitive. Only attributes mapped to columns are accepted; values
 * never reach the SQL text. String comparisons are case-insensitive, as SCIM's caseExact=false attributes are.
 */
public final class ScimFilter {

    /** The SQL condition and its parameters. */
    public record Sql(String where, List<Object> parameters) {
    }

    private final String text;
    private final Map<String, String> columns;
    private int position;
    private final List<Object> parameters = new ArrayList<>();

    private ScimFilter(String text, Map<String, String> columns) {
        this.text = text;
        this.columns = columns;
    }

    /**
     * @param columns SCIM attribute path (lower case) -> SQL column expression; boolean columns are marked with a
     *                {@code bool:} prefix
     * @throws ScimException invalidFilter
     */
    public static Sql parse(String filter, Map<String, String> columns) {
        if (filter.length() > 2048) {
            throw invalid("the filter is longer than 2048 characters");
        }
        ScimFilter parser = new ScimFilter(filter, columns);
        String where = parser.or();
        parser.skipSpaces();
        if (parser.position != filter.length()) {
            throw invalid("unexpected text at position " + parser.position);
        }
        return new Sql(where, parser.parameters);
    }

    private String or() {
        String left = and();
        while (keyword("or")) {
            left = "(" + left + " or " + and() + ")";
        }
        return left;
    }

    private String and() {
        String left = unary();
        while (keyword("and")) {
            left = "(" + left + " and " + unary() + ")";
        }
        return left;
    }

    private String unary() {
        skipSpaces();
        if (keyword("not")) {
            skipSpaces();
            expect('(');
            String inner = or();
            skipSpaces();
            expect(')');
            return "(not " + inner + ")";
        }
        if (peek() == '(') {
            position++;
            String inner = or();
            skipSpaces();
            expect(')');
            return "(" + inner + ")";
        }
        return comparison();
    }

    private String comparison() {
        skipSpaces();
        String attribute = word().toLowerCase(Locale.ROOT);
        if (attribute.isEmpty()) {
            throw invalid("an attribute name is expected at position " + position);
        }
        String column = columns.get(attribute);
        if (column == null) {
            throw invalid("filtering on " + attribute + " is not supported");
        }
        boolean bool = column.startsWith("bool:");
        String sqlColumn = bool ? column.substring(5) : column;
        skipSpaces();
        String operator = word().toLowerCase(Locale.ROOT);
        if (operator.equals("pr")) {
            return "(" + sqlColumn + " is not null)";
        }
        skipSpaces();
        Object value = value();
        if (bool) {
            if (!(value instanceof Boolean) || !List.of("eq", "ne").contains(operator)) {
                throw invalid(attribute + " takes eq or ne with true or false");
            }
            parameters.add(value);
            return "(" + sqlColumn + (operator.equals("eq") ? " = ?)" : " <> ?)");
        }
        if (!(value instanceof String string)) {
            throw invalid(attribute + " is compared with a string");
        }
        String lower = string.toLowerCase(Locale.ROOT);
        String escaped = lower.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        String expression = "lower(" + sqlColumn + ")";
        switch (operator) {
            case "eq" -> {
                parameters.add(lower);
                return "(" + expression + " = ?)";
            }
            case "ne" -> {
                parameters.add(lower);
                return "(" + expression + " <> ? or " + sqlColumn + " is null)";
            }
            case "co" -> parameters.add("%" + escaped + "%");
            case "sw" -> parameters.add(escaped + "%");
            case "ew" -> parameters.add("%" + escaped);
            default -> throw invalid("the operator " + operator + " is not supported (eq, ne, co, sw, ew, pr)");
        }
        return "(" + expression + " like ? escape '\\')";
    }

    private Object value() {
        if (peek() == '"') {
            position++;
            StringBuilder out = new StringBuilder();
            while (position < text.length() && text.charAt(position) != '"') {
                char c = text.charAt(position++);
                if (c == '\\' && position < text.length()) {
                    c = text.charAt(position++);
                }
                out.append(c);
            }
            if (position >= text.length()) {
                throw invalid("a string value is not closed");
            }
            position++;
            return out.toString();
        }
        String word = word().toLowerCase(Locale.ROOT);
        return switch (word) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            case "null" -> throw invalid("null comparisons are not supported; use pr");
            default -> throw invalid("a value is expected at position " + position);
        };
    }

    private String word() {
        int start = position;
        while (position < text.length() && (Character.isLetterOrDigit(text.charAt(position))
                || ".:_-$".indexOf(text.charAt(position)) >= 0)) {
            position++;
        }
        return text.substring(start, position);
    }

    private boolean keyword(String keyword) {
        skipSpaces();
        int end = position + keyword.length();
        if (end <= text.length() && text.substring(position, end).equalsIgnoreCase(keyword)
                && (end == text.length() || text.charAt(end) == ' ' || text.charAt(end) == '(')) {
            position = end;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw invalid("'" + c + "' expected at position " + position);
        }
        position++;
    }

    private char peek() {
        skipSpaces();
        return position < text.length() ? text.charAt(position) : '\0';
    }

    private void skipSpaces() {
        while (position < text.length() && text.charAt(position) == ' ') {
            position++;
        }
    }

    private static ScimException invalid(String detail) {
        return new ScimException(400, "invalidFilter", detail);
    }
}
