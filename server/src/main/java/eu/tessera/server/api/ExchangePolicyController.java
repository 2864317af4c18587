package eu.tessera.server.api;

import eu.tessera.server.account.AccountRoles;
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
 *
 * <p>A policy may belong to a VO ({@code "vo": {"uuid"|"name"}}): it governs exchanges of its members' tokens
 * (see {@code ExchangePolicyService.permits(origin, destination, subject)}). A VO's admins list,
 * create and delete their VO's policies with their own token (issue 18): DENY any exchange, PERMIT only towards a
 * client a global admin allowed the VO; anything else 403 with the reason, nothing saved.
 */
@RestController
public class ExchangePolicyController {

    private static final String PATH = "/iam/api/exchange/policies";

    private final ExchangePolicyService service;
    private final eu.tessera.server.group.VoAdmins vos;
    private final eu.tessera.server.group.GroupAdmin groups;

    public ExchangePolicyController(ExchangePolicyService service, eu.tessera.server.group.VoAdmins vos,
            eu.tessera.server.group.GroupAdmin groups) {
        this.service = service;
        this.vos = vos;
        this.groups = groups;
    }



    @GetMapping(PATH)
    public ResponseEntity<?> list(org.springframework.security.core.Authentication token) {
        boolean admin = AccountRoles.hasAny(token, AccountRoles.API_READ, AccountRoles.API_WRITE);
        List<String> mine = admin ? List.of() : vos.administeredIds(token.getName());
        if (!admin && mine.isEmpty()) {
            return ProblemDetails.of(HttpStatus.FORBIDDEN, "listing exchange policies needs iam:admin.read or a VO "
                    + "to administer");
        }
        return ResponseEntity.ok(service.findAll().stream().filter(r -> admin || mine.contains(r.getVoGroupId()))
                .map(this::toJson).toList());
    }

    @PostMapping(PATH)
    public ResponseEntity<?> create(@RequestBody Map<String, Object> body,
            org.springframework.security.core.Authentication token) {
        Object description = body.get("description");
        if (description != null && !(description instanceof String)) {
            throw new IllegalArgumentException("description: must be a string");
        }
        ExchangePolicy policy = parse(body);
        String vo = vo(body.get("vo"));
        if (!AccountRoles.hasAny(token, AccountRoles.API_WRITE)) {
            if (vo == null || !vos.administeredIds(token.getName()).contains(vo)) {
                return ProblemDetails.of(HttpStatus.FORBIDDEN, "creating exchange policies needs iam:admin.write, "
                        + "or a VO you administer (\"vo\")");
            }
            try {
                service.checkForVo(vo, policy);
            } catch (eu.tessera.server.group.BeyondVoException e) {
                return ProblemDetails.of(HttpStatus.FORBIDDEN, e.getMessage());
            }
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(toJson(service.create(policy, (String) description,
                vo)));
    }

    /** The VO group id of a policy's {@code "vo": {"uuid"|"name"}}, null when absent. */
    private String vo(Object value) {
        if (value == null) {
            return null;
        }
        Object ref = value instanceof Map<?, ?> map ? (map.get("uuid") != null ? map.get("uuid") : map.get("name"))
                : null;
        if (!(ref instanceof String text) || text.isBlank()) {
            throw new IllegalArgumentException("vo: an object {\"uuid\": id} or {\"name\": path}");
        }
        String id = text.strip();
        return groups.find(id.startsWith("/") || groups.find(id).isPresent() ? id : "/" + id)
                .filter(g -> vos.isVo(g.id())).map(eu.tessera.server.group.GroupAdmin.Group::id)
                .orElseThrow(() -> new IllegalArgumentException("vo: no VO " + text));
    }

    /** A policy from INDIGO IAM's JSON ({@code rule}, {@code originClient}, {@code destinationClient}). */
    public static ExchangePolicy parse(Map<String, Object> body) {
        return new ExchangePolicy(0, enumValue(ExchangePolicy.Rule.class, body.get("rule"), "rule"),
                match(body, "originClient"), match(body, "destinationClient"));
    }

    @DeleteMapping(PATH + "/{id}")
    public ResponseEntity<?> delete(@PathVariable long id, org.springframework.security.core.Authentication token) {
        if (!AccountRoles.hasAny(token, AccountRoles.API_WRITE)) {
            String vo = service.findAll().stream().filter(r -> r.getId() == id).findFirst()
                    .map(ExchangePolicyRecord::getVoGroupId).orElse(null);
            if (vo == null || !vos.administeredIds(token.getName()).contains(vo)) {
                return ProblemDetails.of(HttpStatus.FORBIDDEN, "deleting this exchange policy needs iam:admin.write "
                        + "or the admin of its VO");
            }
        }
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

    private Map<String, Object> toJson(ExchangePolicyRecord record) {
        ExchangePolicy policy = record.toPolicy();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", record.getId());
        json.put("description", record.getDescription());
        json.put("creationTime", record.getCreatedAt().toString());
        json.put("rule", policy.rule().name());
        json.put("originClient", side(policy.origin()));
        json.put("destinationClient", side(policy.destination()));
        if (record.getVoGroupId() != null) {
            groups.find(record.getVoGroupId()).ifPresent(g -> json.put("vo", Map.of("uuid", g.id(), "name",
                    g.path())));
        }
        return json;
    }

    private static Map<String, Object> side(ExchangePolicy.ClientMatch match) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", match.type().name());
        json.put("matchParam", match.matchParam());
        return json;
    }
}
