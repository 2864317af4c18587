package eu.tessera.voms.fqan;

import java.util.regex.Pattern;

/**
 * A VOMS Fully Qualified Attribute Name: {@code /vo/group[/subgroup...][/Role=role][/Capability=NULL]}
 * (VOMS AC specification, section 3.4). {@code Role=NULL} and {@code Capability=NULL} mean "no role" and are
 * dropped on parsing, so {@code /vo/g/Role=NULL/Capability=NULL} and {@code /vo/g} are the same FQAN.
 */
public record Fqan(String group, String role) {

    private static final Pattern GROUP = Pattern.compile("(/[A-Za-z0-9_.\\-]+)+");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");
    /** Longest FQAN accepted. */
    public static final int MAX_LENGTH = 512;

    public Fqan {
        if (group == null || !GROUP.matcher(group).matches()) {
            throw new IllegalArgumentException("not a VOMS group: " + group);
        }
        if (role != null && !NAME.matcher(role).matches()) {
            throw new IllegalArgumentException("not a VOMS role: " + role);
        }
    }

    /**
     * Parses a FQAN in short or legacy form.
     *
     * @throws IllegalArgumentException when the text is not a FQAN
     */
    public static Fqan parse(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH || !text.startsWith("/")) {
            throw new IllegalArgumentException("not a FQAN: " + text);
        }
        String group = text;
        String role = null;
        int capability = group.indexOf("/Capability=");
        if (capability >= 0) {
            String value = group.substring(capability + "/Capability=".length());
            if (!"NULL".equals(value)) {
                throw new IllegalArgumentException("capabilities are not supported: " + text);
            }
            group = group.substring(0, capability);
        }
        int roleAt = group.indexOf("/Role=");
        if (roleAt >= 0) {
            role = group.substring(roleAt + "/Role=".length());
            group = group.substring(0, roleAt);
            if ("NULL".equals(role)) {
                role = null;
            }
        }
        try {
            return new Fqan(group, role);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a FQAN: " + text);
        }
    }

    /** The VO: the first group component. */
    public String vo() {
        int second = group.indexOf('/', 1);
        return second < 0 ? group.substring(1) : group.substring(1, second);
    }

    /** {@code /vo/g} or {@code /vo/g/Role=r}. */
    public String shortForm() {
        return role == null ? group : group + "/Role=" + role;
    }

    /** {@code /vo/g/Role=NULL/Capability=NULL}: the encoding VOMS servers before 2.0 used. */
    public String legacyForm() {
        return group + "/Role=" + (role == null ? "NULL" : role) + "/Capability=NULL";
    }

    @Override
    public String toString() {
        return shortForm();
    }
}
