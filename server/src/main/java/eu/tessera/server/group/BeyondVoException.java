package eu.tessera.server.group;

/**
 * A VO admin asked for something past their VO or past the limits a global admin set for it (issue 18): a policy for
 * another VO's group, a permission beyond the VO's scopes or clients, a global admin's decision. The message says
 * what; the API answers 403 with it, the pages show it.
 */
public class BeyondVoException extends RuntimeException {

    public BeyondVoException(String message) {
        super(message);
    }
}
