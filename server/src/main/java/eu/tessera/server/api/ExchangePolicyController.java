package eu.tessera.server.api;

import eu.tessera.policy.exchange.ExchangePolicy;
import eu.tessera.server.oauth2.exchange.ExchangePolicyRecord;
import eu.tessera.server.oauth2.exchange.ExchangePolicyService;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Token-exchange policies at {@code /iam/api/exchange/policies}, JSON as INDIGO IAM's
 * ({@code description, rule, originClient{type,matchParam}, destinationClient{type,matchParam}});
 * {@code iam:admin.read} to list, {@code iam:admin.write} to create and delete.
 */
@RestController
public class ExchangePolicyController {

    private static final String PATH = "/iam/api/exchange/policies";

    private final ExchangePolicyService service;

    public ExchangePolicyController(ExchangePolicyService service) {
        this.service = service;
    }

    @GetMapping(PATH)
    public List<Map<String, Object>> list() {
        return service.findAll().stream().map(ExchangePolicyController::toJson).toList();
    }

    @PostMapping(PATH)
    public ResponseEntity<Map<String, Object>> create(@RequestBody Map<String, Object> body) {
        Object description = body.get("description");
        if (description != null && !(description instanceof String)) {
            throw new IllegalArgumentException("description: must be a string");
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(toJson(service.create(parse(body),
                (String) description)));
    }

    /** A policy from INDIGO IAM's JSON ({@code rule}, {@code originClient}, {@code destinationClient}). */
    public static ExchangePolicy parse(Map<String, Object> body) {
        return new ExchangePolicy(0, enumValue(ExchangePolicy.Rule.class, body.get("rule"), "rule"),
                match(body, "originClient"), match(body, "destinationClient"));
    }

    @DeleteMapping(PATH + "/{id}")
    public ResponseEntity<?> delete(@PathVariable long id) {
        return service.delete(id) ? ResponseEntity.noContent().build()
                : ProblemDetails.of(HttpStatus.NOT_FOUND, "no exchange policy " + id);
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<ProblemDetail> invalid(IllegalArgumentException e) {
        return ProblemDetails.of(HttpStatus.BAD_REQUEST, e.getMessage());
    }


    private static ExchangePolicy.ClientMatch match(Map<String, Object> body, String field) {
        if (!(body.get(field) instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(field + ": required object {type, matchParam}");
        }
        Object param = map.get("matchParam");
        if (param != null && !(param instanceof String)) {
            throw new IllegalArgumentException(field + ".matchParam: must be a string");
        }
        try {
            return new ExchangePolicy.ClientMatch(enumValue(ExchangePolicy.MatchType.class, map.get("type"),
                    field + ".type"), (String) param);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().startsWith(field) ? e.getMessage()
                    : field + "." + e.getMessage());
        }
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, Object value, String field) {
        if (value instanceof String s) {
            try {
                return Enum.valueOf(type, s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                // fall through to the message below
            }
        }
        throw new IllegalArgumentException(field + ": one of " + Arrays.toString(type.getEnumConstants()));
    }

    private static Map<String, Object> toJson(ExchangePolicyRecord record) {
        ExchangePolicy policy = record.toPolicy();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", record.getId());
        json.put("description", record.getDescription());
        json.put("creationTime", record.getCreatedAt().toString());
        json.put("rule", policy.rule().name());
        json.put("originClient", side(policy.origin()));
        json.put("destinationClient", side(policy.destination()));
        return json;
    }

    private static Map<String, Object> side(ExchangePolicy.ClientMatch match) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", match.type().name());
        json.put("matchParam", match.matchParam());
        return json;
    }
}
