package eu.tessera.server.api;

import eu.tessera.policy.scope.ScopePolicy;
import eu.tessera.policy.scope.ScopePolicyEvaluator;
import eu.tessera.server.account.Account;
import eu.tessera.server.account.AccountRepository;
import eu.tessera.server.group.VoGroup;
import eu.tessera.server.group.VoGroupRepository;
import eu.tessera.server.oauth2.scope.ScopePolicyRecord;
import eu.tessera.server.oauth2.scope.ScopePolicyService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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

/** Scope policies in INDIGO IAM's JSON, read by the API and by the import. */
@org.springframework.stereotype.Component
public class ScopePolicyJson {

    private final AccountRepository accounts;
    private final VoGroupRepository groups;

    public ScopePolicyJson(AccountRepository accounts, VoGroupRepository groups) {
        this.accounts = accounts;
        this.groups = groups;
    }

    /**
     * A policy from IAM's JSON; {@code account} by {@code uuid} or {@code username}, {@code group} by {@code uuid} or
     * {@code name} (the path without its leading slash).
     *
     * @throws IllegalArgumentException naming the field that is wrong
     */
    public ScopePolicy parse(Map<String, Object> body) {
        ScopePolicy.Rule rule = enumValue(ScopePolicy.Rule.class, body, "rule");
        ScopePolicy.Matching matching = body.containsKey("matchingPolicy")
                ? enumValue(ScopePolicy.Matching.class, body, "matchingPolicy") : ScopePolicy.Matching.EQ;
        String accountId = null;
        if (body.get("account") != null) {
            Map<?, ?> account = object(body, "account");
            Account found = lookup(account.get("uuid"), accounts::findById)
                    .or(() -> lookup(account.get("username"), accounts::findByUsername))
                    .orElseThrow(() -> new IllegalArgumentException("account: no such account"));
            accountId = found.getId();
        }
        String groupId = null;
        if (body.get("group") != null) {
            Map<?, ?> group = object(body, "group");
            VoGroup found = lookup(group.get("uuid"), groups::findById)
                    .or(() -> lookup(group.get("name"), name -> groups.findByPath(name.startsWith("/") ? name
                            : "/" + name)))
                    .orElseThrow(() -> new IllegalArgumentException("group: no such group"));
            groupId = found.getId();
        }
        List<String> scopes = new ArrayList<>();
        Object raw = body.get("scopes");
        if (raw != null) {
            if (!(raw instanceof List<?> list)) {
                throw new IllegalArgumentException("scopes: must be an array of strings");
            }
            for (Object scope : list) {
                if (!(scope instanceof String s)) {
                    throw new IllegalArgumentException("scopes: must be an array of strings");
                }
                scopes.add(s);
            }
        }
        return new ScopePolicy(0, rule, matching, accountId, groupId, scopes);
    }

    private static <T> java.util.Optional<T> lookup(Object key, java.util.function.Function<String,
            java.util.Optional<T>> finder) {
        return key instanceof String s && !s.isBlank() && s.length() <= 512 ? finder.apply(s)
                : java.util.Optional.empty();
    }

    private static Map<?, ?> object(Map<String, Object> body, String field) {
        if (!(body.get(field) instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(field + ": must be an object");
        }
        return map;
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, Map<String, Object> body, String field) {
        if (!(body.get(field) instanceof String value)) {
            throw new IllegalArgumentException(field + ": required, one of " + Arrays.toString(type.getEnumConstants()));
        }
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": one of " + Arrays.toString(type.getEnumConstants()));
        }
    }

    static String optionalString(Map<String, Object> body, String field) {
        Object value = body.get(field);
        if (value != null && !(value instanceof String)) {
            throw new IllegalArgumentException(field + ": must be a string");
        }
        return (String) value;
    }
}
