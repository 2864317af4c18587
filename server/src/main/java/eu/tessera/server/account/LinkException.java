package eu.tessera.server.account;

/**
 * A certificate or external identity not linked or unlinked: {@code conflict} when it belongs to another account or
 * is the holder's last way to log in, otherwise the request was invalid.
 */
public class LinkException extends RuntimeException {

    private final boolean conflict;

    public LinkException(String message, boolean conflict) {
        super(message);
        this.conflict = conflict;
    }

    public boolean conflict() {
        return conflict;
    }
}
