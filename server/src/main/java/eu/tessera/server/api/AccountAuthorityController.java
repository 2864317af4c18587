package eu.tessera.server.api;

import eu.tessera.server.account.AccountRoles;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Roles as INDIGO IAM's account API serves them ({@code AccountAuthorityController}, IAM 1.12):
 * {@code GET /iam/account/{id}/authorities} and {@code GET /iam/me/authorities} answer
 * {@code {"authorities": [...]}}; {@code POST} and {@code DELETE /iam/account/{id}/authorities} take the
 * {@code authority} request parameter ({@code ROLE_ADMIN} or {@code ROLE_READER}) and answer 200 with no body.
 * Errors are problem+json whose {@code error} member carries IAM's message (IAM's {@code ErrorDTO} field).
 */
@RestController
public class AccountAuthorityController {

    private final AccountRoles roles;

    public AccountAuthorityController(AccountRoles roles) {
        this.roles = roles;
    }

    @GetMapping("/iam/account/{id}/authorities")
    public Map<String, Set<String>> authorities(@PathVariable String id) {
        return Map.of("authorities", roles.authorities(id));
    }

    @GetMapping("/iam/me/authorities")
    public ResponseEntity<?> mine(@AuthenticationPrincipal Jwt token) {
        String subject = token.getSubject();
        if (subject.equals(token.getClaimAsString("client_id"))) {
            return error(HttpStatus.NOT_FOUND, "No account found for name '" + subject + "' (a client's token)");
        }
        return ResponseEntity.ok(Map.of("authorities", roles.authorities(subject)));
    }

    @PostMapping("/iam/account/{id}/authorities")
    public ResponseEntity<Void> grant(@PathVariable String id, @RequestParam(required = false) String authority,
            @AuthenticationPrincipal Jwt token) {
        roles.grant(id, authority, token.getSubject());
        return ResponseEntity.ok().build();
    }

    @DeleteMapping("/iam/account/{id}/authorities")
    public ResponseEntity<Void> revoke(@PathVariable String id, @RequestParam(required = false) String authority,
            @AuthenticationPrincipal Jwt token) {
        roles.revoke(id, authority, token.getSubject());
        return ResponseEntity.ok().build();
    }

    @ExceptionHandler(AccountRoles.RoleException.class)
    ResponseEntity<ProblemDetail> refused(AccountRoles.RoleException e) {
        return error(HttpStatus.valueOf(e.status()), e.getMessage());
    }

    private static ResponseEntity<ProblemDetail> error(HttpStatus status, String message) {
        ResponseEntity<ProblemDetail> response = ProblemDetails.of(status, message);
        response.getBody().setProperty("error", message);
        return response;
    }
}
