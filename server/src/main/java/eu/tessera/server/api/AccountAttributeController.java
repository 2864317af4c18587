package eu.tessera.server.api;

import eu.tessera.server.account.AccountAttribute;
import eu.tessera.server.account.AccountAttributeRepository;
import eu.tessera.server.account.AccountRepository;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Account attributes as INDIGO IAM's API has them: {@code GET /iam/account/{id}/attributes},
 * {@code PUT /iam/account/{id}/attributes} with {@code {"name":..,"value":..}}, {@code DELETE ...?name=..}.
 * The VOMS AA issues them as generic attributes.
 */
@RestController
public class AccountAttributeController {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** One attribute. */
    public record Attribute(String name, String value) {
    }

    private final AccountAttributeRepository attributes;
    private final AccountRepository accounts;
    private final eu.tessera.server.audit.AuditLog audit;

    public AccountAttributeController(AccountAttributeRepository attributes, AccountRepository accounts,
            eu.tessera.server.audit.AuditLog audit) {
        this.audit = audit;
        this.attributes = attributes;
        this.accounts = accounts;
    }

    @GetMapping("/iam/account/{id}/attributes")
    public ResponseEntity<?> list(@PathVariable String id) {
        if (accounts.findById(id).isEmpty()) {
            return ProblemDetails.of(HttpStatus.NOT_FOUND, "no account " + id);
        }
        return ResponseEntity.ok(attributes.findByKeyAccountIdOrderByKeyName(id).stream()
                .map(a -> new Attribute(a.getName(), a.getValue())).toList());
    }

    @PutMapping("/iam/account/{id}/attributes")
    @Transactional
    public ResponseEntity<?> set(@PathVariable String id, @RequestBody Attribute attribute,
            @AuthenticationPrincipal Jwt admin) {
        if (accounts.findById(id).isEmpty()) {
            return ProblemDetails.of(HttpStatus.NOT_FOUND, "no account " + id);
        }
        if (attribute.name() == null || !NAME.matcher(attribute.name()).matches()) {
            return ProblemDetails.of(HttpStatus.BAD_REQUEST, "name: 1 to 64 letters, digits, '.', '_' or '-'");
        }
        if (attribute.value() == null || attribute.value().length() > 1024) {
            return ProblemDetails.of(HttpStatus.BAD_REQUEST, "value: required, at most 1024 characters");
        }
        AccountAttribute row = attributes.findById(new AccountAttribute.Key(id, attribute.name()))
                .orElseGet(() -> new AccountAttribute(id, attribute.name(), attribute.value()));
        row.setValue(attribute.value());
        attributes.save(row);
        audit.record("account.attribute_set", id, java.util.Map.of("name", attribute.name()));
        return ResponseEntity.ok(attribute);
    }

    @DeleteMapping("/iam/account/{id}/attributes")
    @Transactional
    public ResponseEntity<?> delete(@PathVariable String id, @RequestParam String name,
            @AuthenticationPrincipal Jwt admin) {
        AccountAttribute.Key key = new AccountAttribute.Key(id, name);
        if (!attributes.existsById(key)) {
            return ProblemDetails.of(HttpStatus.NOT_FOUND, "account " + id + " has no attribute " + name);
        }
        attributes.deleteById(key);
        audit.record("account.attribute_removed", id, java.util.Map.of("name", name));
        return ResponseEntity.noContent().build();
    }

    @ExceptionHandler({org.springframework.http.converter.HttpMessageNotReadableException.class,
            org.springframework.web.HttpMediaTypeNotSupportedException.class})
    ResponseEntity<ProblemDetail> unreadable(Exception e) {
        return ProblemDetails.of(HttpStatus.BAD_REQUEST, "the body must be a JSON object {\"name\":..,\"value\":..}");
    }
}
