package eu.tessera.server.scim;

import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** SCIM errors in the SCIM error body (RFC 7644 section 3.12) for both SCIM controllers. */
@RestControllerAdvice(assignableTypes = {ScimUsersController.class, ScimGroupsController.class})
public class ScimErrors {

    @ExceptionHandler(ScimException.class)
    ResponseEntity<Object> scim(ScimException e) {
        return ScimSupport.error(e);
    }

    /** A unique key (userName, group path, membership) taken by a concurrent request: RFC 7644 uniqueness. */
    @ExceptionHandler(org.springframework.dao.DuplicateKeyException.class)
    ResponseEntity<Object> duplicate(Exception e) {
        return ScimSupport.error(new ScimException(409, "uniqueness", "it already exists (created by a request at "
                + "the same time)"));
    }

    @ExceptionHandler(org.springframework.dao.DataIntegrityViolationException.class)
    ResponseEntity<Object> conflict(Exception e) {
        return ScimSupport.error(new ScimException(409, null, "a change made at the same time conflicts with this "
                + "one: reload and try again"));
    }

    @ExceptionHandler({HttpMessageNotReadableException.class, HttpMediaTypeNotSupportedException.class})
    ResponseEntity<Object> unreadable(Exception e) {
        return ScimSupport.error(new ScimException(400, "invalidSyntax", "the body must be a JSON object"));
    }
}
