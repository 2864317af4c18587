package eu.tessera.policy;

/**
 * The domain errors of the policy module; the server maps each to one wire error
 * (RFC 6749 section 5.2 {@code invalid_scope} or {@code access_denied}).
 */
public sealed class PolicyException extends RuntimeException permits InvalidScopeException, GroupNotEntitledException {

    PolicyException(String message) {
        super(message);
    }
}
