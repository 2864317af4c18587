package eu.tessera.sync.rucio;

import eu.tessera.sync.HttpTransport;
import eu.tessera.sync.Json;
import eu.tessera.sync.SyncException;
import java.util.Map;
import java.util.Set;

/**
 * Rucio's error answers as sync failures. Rucio names the exception in the body
 * ({@code {"ExceptionClass": ..., "ExceptionMessage": ...}}) and in headers of the same names
 * ({@code web/rest/flaskapi/v1/common.py generate_http_error_flask}); the status alone does not tell a refusal
 * from a fault: an {@code InvalidObject} that a view does not catch (the attribute POST) comes back as HTTP 500.
 * A schema refusal can never succeed on retry, so it is permanent whatever the status; the rest follows
 * {@link HttpTransport#unexpected}.
 */
final class RucioErrors {

    /** Refusals of the data itself (Rucio 41 {@code common/exception.py} and its schema validation). */
    private static final Set<String> PERMANENT = Set.of("InvalidObject", "InvalidAccountType",
            "UnsupportedAccountName", "InputValidationError", "InvalidType", "InvalidValueForKey");

    /** Rucio state changed between the read and the write: the next attempt reads it again. */
    private static final Set<String> TRANSIENT = Set.of("AccountNotFound");

    private RucioErrors() {
    }

    static SyncException failure(String what, HttpTransport.Response response) {
        String exceptionClass = response.header("ExceptionClass");
        String message = response.header("ExceptionMessage");
        try {
            Map<String, Object> body = Json.parseObject(response.body());
            if (body.get("ExceptionClass") instanceof String named) {
                exceptionClass = named;
                message = body.get("ExceptionMessage") == null ? message : String.valueOf(body.get("ExceptionMessage"));
            }
        } catch (IllegalArgumentException | NullPointerException notJson) {
            // the header form, or nothing
        }
        if (exceptionClass != null && PERMANENT.contains(exceptionClass)) {
            return new SyncException(what + ": Rucio refuses it (HTTP " + response.status() + " " + exceptionClass
                    + (message == null ? "" : ": " + shorten(message)) + ")", true);
        }
        if (exceptionClass != null && TRANSIENT.contains(exceptionClass)) {
            return new SyncException(what + ": HTTP " + response.status() + " " + exceptionClass
                    + (message == null ? "" : ": " + shorten(message)), false);
        }
        return HttpTransport.unexpected(what, response);
    }

    private static String shorten(String text) {
        String single = text.replace('\n', ' ').strip();
        return single.length() > 300 ? single.substring(0, 300) + "..." : single;
    }
}
