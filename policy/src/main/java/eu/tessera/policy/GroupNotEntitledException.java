package eu.tessera.policy;

/**
 * A {@code wlcg.groups:/group} scope names a group the user is not a member of
 * (WLCG profile v1.3 section 3.1: the issuer SHOULD answer {@code access_denied}).
 */
public final class GroupNotEntitledException extends PolicyException {

    private final String group;

    public GroupNotEntitledException(String group) {
        super("not entitled to group " + group);
        this.group = group;
    }

    /** The group that was requested. */
    public String group() {
        return group;
    }
}
