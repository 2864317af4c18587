package eu.tessera.policy;

/** A scope is malformed or not allowed for the client (RFC 6749 section 5.2 {@code invalid_scope}). */
public final class InvalidScopeException extends PolicyException {

    private final String scope;

    public InvalidScopeException(String scope, String reason) {
        super(reason);
        this.scope = scope;
    }

    /** The offending scope, as requested. */
    public String scope() {
        return scope;
    }
}
