package eu.tessera.server.api;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The admin JSON APIs' answer to a body that is not a JSON object (or not JSON at all): problem+json 400, never
 * Spring's default error page; and to a unique key that a concurrent request took first: 409. A controller with a
 * more specific hint keeps its own handler.
 */
@RestControllerAdvice(assignableTypes = {ScopePolicyController.class, ExchangePolicyController.class,
        AccountCertificateController.class, AccountAttributeController.class, AccountAdminController.class,
        AccountFindController.class, eu.tessera.server.group.GroupController.class,
        eu.tessera.server.aup.AupController.class, eu.tessera.server.enrollment.RegistrationAdminController.class,
        eu.tessera.server.sync.SyncAdminController.class,
        eu.tessera.server.login.saml.SamlMetadataController.class})
public class ApiErrors {

    @ExceptionHandler({HttpMessageNotReadableException.class, HttpMediaTypeNotSupportedException.class})
    ResponseEntity<ProblemDetail> unreadable(Exception e) {
        return ProblemDetails.of(HttpStatus.BAD_REQUEST, "the body must be a JSON object");
    }

    /**
     * Two creates of the same thing at once (retrying provisioners, two admins clicking, two instances): the
     * database's unique key lets one through; the other is told it exists, not a 500.
     */
    @ExceptionHandler(org.springframework.dao.DuplicateKeyException.class)
    ResponseEntity<ProblemDetail> duplicate(Exception e) {
        return ProblemDetails.of(HttpStatus.CONFLICT, "it already exists (created by a request at the same time)");
    }

    /** Another constraint a concurrent change broke (e.g. the account was removed meanwhile). */
    @ExceptionHandler(org.springframework.dao.DataIntegrityViolationException.class)
    ResponseEntity<ProblemDetail> conflict(Exception e) {
        return ProblemDetails.of(HttpStatus.CONFLICT, "a change made at the same time conflicts with this one: "
                + "reload and try again");
    }
}
