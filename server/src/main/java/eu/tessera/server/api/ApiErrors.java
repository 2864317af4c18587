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
 * Spring's default error page. A controller with a more specific hint keeps its own handler.
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
}
