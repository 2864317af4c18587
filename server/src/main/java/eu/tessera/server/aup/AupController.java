package eu.tessera.server.aup;

import eu.tessera.server.account.AccountRepository;
import eu.tessera.server.api.ProblemDetails;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The AUP API, shaped like INDIGO IAM's: {@code GET /iam/aup} (public: the version in force),
 * {@code POST /iam/aup} (admin: publish a new version {@code {"text"|"url", "signatureValidityDays",
 * "reminderDays":[30,15,1]}}), {@code DELETE /iam/aup} (admin: withdraw), {@code GET|DELETE
 * /iam/aup/signature/{accountId}} (admin: read, or ask the account to sign again), {@code GET /iam/me/aup}.
 */
@RestController
public class AupController {

    private final AupService aup;
    private final AccountRepository accounts;
    private final Clock clock;

    public AupController(AupService aup, AccountRepository accounts, Clock clock) {
        this.aup = aup;
        this.accounts = accounts;
        this.clock = clock;
    }

    @GetMapping("/iam/aup")
    public ResponseEntity<?> current() {
        return aup.current().<ResponseEntity<?>>map(a -> ResponseEntity.ok(json(a)))
                .orElseGet(() -> ProblemDetails.of(HttpStatus.NOT_FOUND, "this VO has no acceptable use policy"));
    }

    @PostMapping("/iam/aup")
    public ResponseEntity<?> publish(@RequestBody Map<String, Object> body, @AuthenticationPrincipal Jwt admin) {
        Object text = body.get("text");
        Object url = body.get("url");
        Object validity = body.getOrDefault("signatureValidityDays", 365);
        Object reminders = body.getOrDefault("reminderDays", List.of(30, 15, 1));
        if (text != null && !(text instanceof String) || url != null && !(url instanceof String)) {
            return ProblemDetails.of(HttpStatus.BAD_REQUEST, "text and url are strings");
        }
        if (!(validity instanceof Integer days)) {
            return ProblemDetails.of(HttpStatus.BAD_REQUEST, "signatureValidityDays: a number of days");
        }
        if (!(reminders instanceof List<?> list) || list.stream().anyMatch(d -> !(d instanceof Integer))) {
            return ProblemDetails.of(HttpStatus.BAD_REQUEST, "reminderDays: a list of numbers of days");
        }
        List<Integer> reminderDays = new ArrayList<>();
        list.forEach(d -> reminderDays.add((Integer) d));
        AupService.Aup published = aup.publish((String) text, (String) url, days, reminderDays, admin.getSubject());
        return ResponseEntity.status(HttpStatus.CREATED).body(json(published));
    }

    @DeleteMapping("/iam/aup")
    public ResponseEntity<?> withdraw(@AuthenticationPrincipal Jwt admin) {
        return aup.withdraw(admin.getSubject()) ? ResponseEntity.noContent().build()
                : ProblemDetails.of(HttpStatus.NOT_FOUND, "this VO has no acceptable use policy");
    }

    @GetMapping("/iam/aup/signature/{accountId}")
    public ResponseEntity<?> signature(@PathVariable String accountId) {
        if (accounts.findById(accountId).isEmpty()) {
            return ProblemDetails.of(HttpStatus.NOT_FOUND, "no account " + accountId);
        }
        return ResponseEntity.ok(status(accountId));
    }

    /**
     * Records the account's signature of the AUP in force on its behalf (INDIGO IAM's {@code PATCH}, as importers and
     * admins use it): at {@code signatureTime} (IAM's date forms), or now without a body; 201 with the signature.
     * A time in the future is refused.
     */
    @org.springframework.web.bind.annotation.PatchMapping("/iam/aup/signature/{accountId}")
    public ResponseEntity<?> signOnBehalf(@PathVariable String accountId,
            @org.springframework.web.bind.annotation.RequestBody(required = false) Map<String, Object> body,
            @AuthenticationPrincipal Jwt admin) {
        if (accounts.findById(accountId).isEmpty()) {
            return ProblemDetails.of(HttpStatus.NOT_FOUND, "Account not found for id: " + accountId);
        }
        java.time.Instant at = body == null ? null
                : eu.tessera.server.api.IamDates.parse(body.get("signatureTime"), "signatureTime");
        java.time.Instant now = java.time.Instant.now();
        if (at == null) {
            at = now;
        } else if (at.isAfter(now.plusSeconds(300))) {
            return ProblemDetails.of(HttpStatus.BAD_REQUEST, "signatureTime: not in the future");
        }
        if (aup.sign(accountId, at, admin.getSubject()).isEmpty()) {
            return ProblemDetails.of(HttpStatus.NOT_FOUND, "this VO has no acceptable use policy");
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(status(accountId));
    }

    @DeleteMapping("/iam/aup/signature/{accountId}")
    public ResponseEntity<?> requestSignature(@PathVariable String accountId, @AuthenticationPrincipal Jwt admin) {
        if (accounts.findById(accountId).isEmpty()) {
            return ProblemDetails.of(HttpStatus.NOT_FOUND, "no account " + accountId);
        }
        aup.requestSignature(accountId, admin.getSubject());
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/iam/me/aup")
    public ResponseEntity<?> mine(@AuthenticationPrincipal Jwt token) {
        if (accounts.findById(token.getSubject()).isEmpty()) {
            return ProblemDetails.of(HttpStatus.FORBIDDEN, "the token is not a user's token");
        }
        return ResponseEntity.ok(status(token.getSubject()));
    }

    private Map<String, Object> status(String accountId) {
        Map<String, Object> out = new LinkedHashMap<>();
        aup.signature(accountId).ifPresent(s -> {
            out.put("version", s.version());
            out.put("signatureTime", s.signedAt().toString());
            out.put("expiresAt", s.expiresAt() == null ? null : s.expiresAt().toString());
        });
        out.put("mustSign", aup.mustSign(accountId));
        return out;
    }

    private static Map<String, Object> json(AupService.Aup a) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", a.version());
        out.put("text", a.text());
        out.put("url", a.url());
        out.put("signatureValidityInDays", a.signatureValidityDays());
        out.put("aupRemindersInDays", a.reminderDays());
        out.put("creationTime", a.createdAt().toString());
        return out;
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<ProblemDetail> invalid(IllegalArgumentException e) {
        return ProblemDetails.of(HttpStatus.BAD_REQUEST, e.getMessage());
    }


}
