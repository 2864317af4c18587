package eu.tessera.sync;

/**
 * A catalogue could not be brought in line. {@code permanent} failures (the catalogue refuses the data, or the
 * account there belongs to someone else) are parked at once; others are retried with backoff.
 */
public class SyncException extends Exception {

    private final boolean permanent;

    public SyncException(String message, boolean permanent) {
        super(message);
        this.permanent = permanent;
    }

    public SyncException(String message, boolean permanent, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
    }

    public boolean permanent() {
        return permanent;
    }
}
