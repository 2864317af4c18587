package eu.tessera.server.api;

import eu.tessera.server.account.AccountLabels;
import eu.tessera.server.account.AccountRepository;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Account labels as INDIGO IAM's API has them ({@code AccountLabelsController}, IAM 1.x):
 * {@code GET /iam/account/{id}/labels} (a list of {@code {"prefix","name","value"}}), {@code PUT} with one label
 * (200, no body), {@code DELETE ?prefix=&name=} (204). Errors are problem+json with IAM's {@code error} member.
 */
@RestController
public class AccountLabelController {

    private final AccountLabels labels;
    private final AccountRepository accounts;

    public AccountLabelController(AccountLabels labels, AccountRepository accounts) {
        this.labels = labels;
        this.accounts = accounts;
    }

    @GetMapping("/iam/account/{id}/labels")
    public ResponseEntity<?> list(@PathVariable String id) {
        if (accounts.findById(id).isEmpty()) {
            return error(HttpStatus.NOT_FOUND, "No account found for id '" + id + "'");
        }
        return ResponseEntity.ok(labels.of(id).stream().map(AccountLabels.Label::json).toList());
    }

    @PutMapping("/iam/account/{id}/labels")
    public ResponseEntity<?> set(@PathVariable String id, @RequestBody(required = false) Map<String, Object> body,
            @AuthenticationPrincipal Jwt token) {
        if (accounts.findById(id).isEmpty()) {
            return error(HttpStatus.NOT_FOUND, "No account found for id '" + id + "'");
        }
        if (body == null) {
            return error(HttpStatus.BAD_REQUEST, "Invalid label: the body is a JSON object {\"prefix\",\"name\","
                    + "\"value\"}");
        }
        try {
            labels.set(id, AccountLabels.checked(text(body, "prefix"), text(body, "name"), text(body, "value")),
                    token.getSubject());
        } catch (IllegalArgumentException e) {
            return error(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        return ResponseEntity.ok().build();
    }

    @DeleteMapping("/iam/account/{id}/labels")
    public ResponseEntity<?> delete(@PathVariable String id, @RequestParam(required = false) String prefix,
            @RequestParam(required = false) String name, @AuthenticationPrincipal Jwt token) {
        if (accounts.findById(id).isEmpty()) {
            return error(HttpStatus.NOT_FOUND, "No account found for id '" + id + "'");
        }
        try {
            AccountLabels.checked(prefix, name, null);
        } catch (IllegalArgumentException e) {
            return error(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        labels.remove(id, prefix, name, token.getSubject());   // as IAM: removing an absent label is no error
        return ResponseEntity.noContent().build();
    }

    private static String text(Map<String, Object> body, String key) {
        Object value = body.get(key);
        if (value != null && !(value instanceof String)) {
            throw new IllegalArgumentException("Invalid label: " + key + " is a string");
        }
        return (String) value;
    }

    private static ResponseEntity<?> error(HttpStatus status, String message) {
        ResponseEntity<org.springframework.http.ProblemDetail> problem = ProblemDetails.of(status, message);
        problem.getBody().setProperty("error", message);
        return problem;
    }

    @org.springframework.web.bind.annotation.ExceptionHandler(
            org.springframework.http.converter.HttpMessageNotReadableException.class)
    ResponseEntity<?> unreadable(Exception e) {
        return error(HttpStatus.BAD_REQUEST, "Invalid label: the body is a JSON object {\"prefix\",\"name\",\"value\"}");
    }
}
