package eu.tessera.server.enrollment;

import eu.tessera.server.account.AccountRoles;
import eu.tessera.server.api.ProblemDetails;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Registration requests for admins ({@code iam:admin.read} to list, {@code iam:admin.write} to decide):
 * {@code GET /iam/registrations?status=CONFIRMED}, {@code GET /iam/registrations/{id}},
 * {@code POST /iam/registrations/{id}/approve}, {@code POST /iam/registrations/{id}/reject} with
 * {@code {"reason": "..", "notify": true}}. A request decided already answers 409.
 *
 * <p>A VO's admins use these with their own token for the requests to join their VO (issue 18): they list only
 * those, and reading or deciding another is 404 / 403 with nothing changed.
 */
@RestController
public class RegistrationAdminController {

    private final RegistrationService registrations;
    private final eu.tessera.server.group.VoAdmins vos;

    public RegistrationAdminController(RegistrationService registrations, eu.tessera.server.group.VoAdmins vos) {
        this.registrations = registrations;
        this.vos = vos;
    }



    /** Whether the token may read ({@code write} false) or decide the request: a global admin's, or its VO's admin. */
    private boolean allowed(org.springframework.security.core.Authentication token, RegistrationService.Request request,
            boolean write) {
        boolean scoped = write ? AccountRoles.hasAny(token, AccountRoles.API_WRITE)
                : AccountRoles.hasAny(token, AccountRoles.API_READ, AccountRoles.API_WRITE);
        return scoped || request.voGroupId() != null && vos.administeredIds(token.getName()).contains(request.voGroupId());
    }

    @GetMapping("/iam/registrations")
    public ResponseEntity<?> list(@RequestParam(required = false) String status,
            @RequestParam(defaultValue = "1") int startIndex, @RequestParam(defaultValue = "100") int count,
            org.springframework.security.core.Authentication token) {
        boolean admin = AccountRoles.hasAny(token, AccountRoles.API_READ, AccountRoles.API_WRITE);
        List<String> administered = admin ? List.of() : vos.administeredIds(token.getName());
        if (!admin && administered.isEmpty()) {
            return ProblemDetails.of(HttpStatus.FORBIDDEN, "listing registrations needs iam:admin.read or a VO to "
                    + "administer");
        }
        RegistrationService.Status filter = null;
        if (status != null && !status.isBlank()) {
            try {
                filter = RegistrationService.Status.valueOf(status.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return ProblemDetails.of(HttpStatus.BAD_REQUEST, "status must be NEW, CONFIRMED, APPROVED or REJECTED");
            }
        }
        if (startIndex < 1 || count < 0 || count > 500) {
            return ProblemDetails.of(HttpStatus.BAD_REQUEST, "startIndex must be at least 1 and count between 0 and 500");
        }
        var items = admin ? registrations.list(filter, startIndex, count)
                : registrations.list(filter, startIndex, count, administered);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("startIndex", startIndex);
        out.put("itemsPerPage", items.size());
        out.put("Resources", items);
        return ResponseEntity.ok(out);
    }

    @GetMapping("/iam/registrations/{id}")
    public ResponseEntity<?> get(@PathVariable String id, org.springframework.security.core.Authentication token) {
        return registrations.find(id).filter(r -> allowed(token, r, false)).<ResponseEntity<?>>map(ResponseEntity::ok)
                .orElseGet(() -> ProblemDetails.of(HttpStatus.NOT_FOUND, "no registration request " + id));
    }

    @PostMapping("/iam/registrations/{id}/approve")
    public ResponseEntity<?> approve(@PathVariable String id, @AuthenticationPrincipal Jwt admin,
            org.springframework.security.core.Authentication token) {
        ResponseEntity<?> refused = refusal(id, token);
        if (refused != null) {
            return refused;
        }
        return ResponseEntity.ok(registrations.approve(id, admin.getSubject()));
    }

    @PostMapping("/iam/registrations/{id}/reject")
    public ResponseEntity<?> reject(@PathVariable String id,
            @RequestBody(required = false) Map<String, Object> rejection, @AuthenticationPrincipal Jwt admin,
            org.springframework.security.core.Authentication token) {
        ResponseEntity<?> refused = refusal(id, token);
        if (refused != null) {
            return refused;
        }
        Object reason = rejection == null ? null : rejection.get("reason");
        Object notify = rejection == null ? null : rejection.get("notify");
        if (reason != null && !(reason instanceof String) || notify != null && !(notify instanceof Boolean)) {
            return ProblemDetails.of(HttpStatus.BAD_REQUEST, "reason must be a string and notify a boolean");
        }
        return ResponseEntity.ok(registrations.reject(id, admin.getSubject(), (String) reason,
                notify == null || (Boolean) notify));
    }

    /** 403 when the token may not decide the request (404 when there is none), else null. */
    private ResponseEntity<?> refusal(String id, org.springframework.security.core.Authentication token) {
        RegistrationService.Request request = registrations.find(id).orElse(null);
        if (request == null) {
            return ProblemDetails.of(HttpStatus.NOT_FOUND, "no registration request " + id);
        }
        return allowed(token, request, true) ? null : ProblemDetails.of(HttpStatus.FORBIDDEN,
                "deciding this registration needs iam:admin.write or the admin of the VO it asks to join");
    }

    @ExceptionHandler(RegistrationService.DecisionException.class)
    ResponseEntity<ProblemDetail> refused(RegistrationService.DecisionException e) {
        return ProblemDetails.of(e.conflict() ? HttpStatus.CONFLICT
                : e.getMessage().startsWith("no registration") ? HttpStatus.NOT_FOUND : HttpStatus.BAD_REQUEST,
                e.getMessage());
    }

    @ExceptionHandler({org.springframework.http.converter.HttpMessageNotReadableException.class,
            org.springframework.web.HttpMediaTypeNotSupportedException.class})
    ResponseEntity<ProblemDetail> unreadable(Exception e) {
        return ProblemDetails.of(HttpStatus.BAD_REQUEST, "the body must be a JSON object {\"reason\":..,\"notify\":..}");
    }

}
