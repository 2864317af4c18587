package eu.tessera.server.migration;

/** An import that cannot go on (the source unreachable, refused the token, answered nonsense). */
public class ImportException extends RuntimeException {

    public ImportException(String message) {
        super(message);
    }
}
