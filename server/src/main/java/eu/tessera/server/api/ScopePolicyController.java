package eu.tessera.server.api;

import eu.tessera.server.account.AccountRoles;
import eu.tessera.policy.scope.ScopePolicy;
import eu.tessera.policy.scope.ScopePolicyEvaluator;
import eu.tessera.server.account.Account;
import eu.tessera.server.account.AccountRepository;
import eu.tessera.server.group.VoGroupRepository;
import eu.tessera.server.oauth2.scope.ScopePolicyRecord;
import eu.tessera.server.oauth2.scope.ScopePolicyService;
import eu.tessera.server.oauth2.scope.VoScopePolicies;
import org.springframework.security.core.Authentication;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
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
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Scope policies at {@code /iam/scope_policies}, JSON-compatible with INDIGO IAM
 * ({@code id, description, rule, matchingPolicy, account{uuid,username} | group{uuid,name}, scopes}); reading
 * needs {@code iam:admin.read}, changing {@code iam:admin.write}. Also tells which scopes an account may get:
 * {@code GET /iam/scope_policies/decision?account=..&scope=..} (admin) and {@code GET /iam/me/scopes?scope=..}
 * (any user access token, for its own account).
 *
 * <p>A VO's admins manage the policies of their VO's groups with their own tokens (issue 18): they list and read
 * those, and create, change or delete them within the limits a global admin set for the VO
 * ({@link VoScopePolicies}); anything else 403 with the reason, nothing changed.
 */
@RestController
public class ScopePolicyController {

    private final ScopePolicyService service;
    private final AccountRepository accounts;
    private final VoGroupRepository groups;
    private final ScopePolicyJson json;
    private final VoScopePolicies voPolicies;
    private final eu.tessera.server.group.VoAdmins vos;

    public ScopePolicyController(ScopePolicyService service, AccountRepository accounts, VoGroupRepository groups,
            ScopePolicyJson json, VoScopePolicies voPolicies, eu.tessera.server.group.VoAdmins vos) {
        this.vos = vos;
        this.voPolicies = voPolicies;
        this.json = json;
        this.service = service;
        this.accounts = accounts;
        this.groups = groups;
    }


    /** A VO admin's view: the policies of their VOs' groups (global admin tokens: all). */
    @GetMapping("/iam/scope_policies")
    public List<Map<String, Object>> list(Authentication token) {
        boolean admin = AccountRoles.hasAny(token, AccountRoles.API_READ, AccountRoles.API_WRITE);
        if (!admin && vos.administeredBy(token.getName()).isEmpty()) {
            throw new eu.tessera.server.group.BeyondVoException(
                    "reading scope policies needs iam:admin.read or a VO to administer");
        }
        return service.findAll().stream().filter(r -> admin || voPolicies.administers(token.getName(), r.toPolicy()))
                .map(this::toJson).toList();
    }

    @GetMapping("/iam/scope_policies/{id}")
    public ResponseEntity<?> get(@PathVariable long id, Authentication token) {
        return service.find(id).filter(r -> AccountRoles.hasAny(token, AccountRoles.API_READ, AccountRoles.API_WRITE)
                || voPolicies.administers(token.getName(), r.toPolicy()))
                .<ResponseEntity<?>>map(r -> ResponseEntity.ok(toJson(r)))
                .orElseGet(() -> ProblemDetails.of(HttpStatus.NOT_FOUND, "no scope policy " + id));
    }

    @PostMapping("/iam/scope_policies")
    public ResponseEntity<?> create(@RequestBody Map<String, Object> body, Authentication token) {
        ScopePolicy policy = json.parse(body);
        if (!AccountRoles.hasAny(token, AccountRoles.API_WRITE)) {
            voPolicies.check(token.getName(), policy);
        }
        ScopePolicyRecord saved = service.save(null, policy, ScopePolicyJson.optionalString(body, "description"));
        return ResponseEntity.status(HttpStatus.CREATED).body(toJson(saved));
    }

    @PutMapping("/iam/scope_policies/{id}")
    public ResponseEntity<?> update(@PathVariable long id, @RequestBody Map<String, Object> body,
            Authentication token) {
        ScopePolicy policy = json.parse(body);
        if (!AccountRoles.hasAny(token, AccountRoles.API_WRITE)) {
            requireOwn(id, token);
            voPolicies.check(token.getName(), policy);
        }
        return ResponseEntity.ok(toJson(service.save(id, policy, ScopePolicyJson.optionalString(body, "description"))));
    }

    @DeleteMapping("/iam/scope_policies/{id}")
    public ResponseEntity<?> delete(@PathVariable long id, Authentication token) {
        if (!AccountRoles.hasAny(token, AccountRoles.API_WRITE)) {
            requireOwn(id, token);
        }
        return service.delete(id) ? ResponseEntity.noContent().build()
                : ProblemDetails.of(HttpStatus.NOT_FOUND, "no scope policy " + id);
    }

    /** A VO admin changes only the policies of their VOs' groups; another's is not found for them. */
    private void requireOwn(long id, Authentication token) {
        ScopePolicyRecord record = service.find(id).orElseThrow(() -> new NoSuchElementException("no scope policy "
                + id));
        if (!voPolicies.administers(token.getName(), record.toPolicy())) {
            throw new eu.tessera.server.group.BeyondVoException("the scope policy " + id + " is not one of your VO's");
        }
    }

    @GetMapping("/iam/scope_policies/decision")
    public ResponseEntity<?> decision(@RequestParam String account, @RequestParam String scope,
            Authentication token) {
        if (!AccountRoles.hasAny(token, AccountRoles.API_READ, AccountRoles.API_WRITE)) {
            throw new eu.tessera.server.group.BeyondVoException("decisions for any account need iam:admin.read");
        }
        Account subject = accounts.findById(account).or(() -> accounts.findByUsername(account)).orElse(null);
        if (subject == null) {
            return ProblemDetails.of(HttpStatus.NOT_FOUND, "account: no account " + account);
        }
        return ResponseEntity.ok(decisionJson(service.decide(subject.getId(), scopes(scope))));
    }

    @GetMapping("/iam/me/scopes")
    public ResponseEntity<?> mine(@AuthenticationPrincipal Jwt token, @RequestParam String scope) {
        if (accounts.findById(token.getSubject()).isEmpty()) {
            return ProblemDetails.of(HttpStatus.FORBIDDEN, "the token is not a user's token");
        }
        return ResponseEntity.ok(decisionJson(service.decide(token.getSubject(), scopes(scope))));
    }

    private static List<String> scopes(String scope) {
        if (scope.length() > 8192) {
            throw new IllegalArgumentException("scope: too long");
        }
        return Arrays.stream(scope.trim().split(" +")).filter(s -> !s.isEmpty()).toList();
    }

    private static Map<String, Object> decisionJson(ScopePolicyEvaluator.Decision decision) {
        return Map.of("granted", decision.granted(), "denied", decision.denied());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<ProblemDetail> invalid(IllegalArgumentException e) {
        return ProblemDetails.of(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(eu.tessera.server.group.BeyondVoException.class)
    ResponseEntity<ProblemDetail> notAllowed(eu.tessera.server.group.BeyondVoException e) {
        return ProblemDetails.of(HttpStatus.FORBIDDEN, e.getMessage());
    }

    @ExceptionHandler(NoSuchElementException.class)
    ResponseEntity<ProblemDetail> notFound(NoSuchElementException e) {
        return ProblemDetails.of(HttpStatus.NOT_FOUND, e.getMessage());
    }


    private Map<String, Object> toJson(ScopePolicyRecord record) {
        ScopePolicy policy = record.toPolicy();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", record.getId());
        json.put("description", record.getDescription());
        json.put("creationTime", record.getCreatedAt().toString());
        json.put("lastUpdateTime", record.getUpdatedAt().toString());
        json.put("rule", policy.rule().name());
        json.put("matchingPolicy", policy.matching().name());
        if (policy.accountId() != null) {
            accounts.findById(policy.accountId()).ifPresent(a ->
                    json.put("account", Map.of("uuid", a.getId(), "username", a.getUsername())));
        }
        if (policy.groupId() != null) {
            groups.findById(policy.groupId()).ifPresent(g ->
                    json.put("group", Map.of("uuid", g.getId(), "name", g.getPath().substring(1))));
        }
        json.put("scopes", policy.scopes());
        return json;
    }
}
