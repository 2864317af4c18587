package eu.tessera.server.login.saml;

import eu.tessera.server.api.ProblemDetails;
import eu.tessera.server.audit.AuditLog;
import eu.tessera.server.config.TesseraProperties;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Trusted IdPs, whose unknown users get an account at their first login (just in time, default groups) instead of
 * registering: those of {@code tessera.saml.trusted-idps} and those an admin marks at run time ({@code GET/POST
 * /iam/saml/trusted-idps}, {@code DELETE /iam/saml/trusted-idps?entityId=}; only IdPs of the metadata sources can be
 * marked; audited).
 */
@RestController
public class SamlTrustedIdps {

    /** The body of a mark request. */
    public record Mark(String entityId) {
    }

    private final TesseraProperties properties;
    private final SamlMetadataSources sources;
    private final JdbcTemplate jdbc;
    private final AuditLog audit;
    private final Clock clock;

    public SamlTrustedIdps(TesseraProperties properties, SamlMetadataSources sources, JdbcTemplate jdbc,
            AuditLog audit, Clock clock) {
        this.properties = properties;
        this.sources = sources;
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
    }

    /** Whether users of this IdP get accounts just in time. */
    public boolean trusted(String entityId) {
        return properties.saml().trustedIdps().contains(entityId) || jdbc.queryForObject("select count(*) from "
                + "saml_trusted_idp where entity_id = ?", Integer.class, entityId) > 0;
    }

    @GetMapping("/iam/saml/trusted-idps")
    public List<Map<String, Object>> list() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String entityId : properties.saml().trustedIdps()) {
            out.add(entry(entityId, "configuration", null, null));
        }
        jdbc.query("select entity_id, added_by, added_at from saml_trusted_idp order by added_at", rs -> {
            out.add(entry(rs.getString(1), "admin", rs.getString(2), rs.getTimestamp(3).toInstant()));
        });
        return out;
    }

    private Map<String, Object> entry(String entityId, String source, String addedBy, Instant addedAt) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("entityId", entityId);
        entry.put("displayName", sources.find(entityId).map(idp -> idp.displayName()).orElse(null));
        entry.put("source", source);
        entry.put("addedBy", addedBy);
        entry.put("addedAt", addedAt);
        return entry;
    }

    @PostMapping("/iam/saml/trusted-idps")
    public ResponseEntity<?> mark(@RequestBody Mark mark) {
        if (mark.entityId() == null || mark.entityId().isBlank() || mark.entityId().length() > 1024) {
            return ProblemDetails.of(HttpStatus.BAD_REQUEST, "entityId: required, at most 1024 characters");
        }
        String entityId = mark.entityId().strip();
        if (sources.find(entityId).isEmpty()) {
            return ProblemDetails.of(HttpStatus.NOT_FOUND, "no IdP " + entityId + " in the SAML metadata sources");
        }
        if (trusted(entityId)) {
            return ProblemDetails.of(HttpStatus.CONFLICT, entityId + " is trusted already");
        }
        String actor = AuditLog.currentActor();
        try {
            jdbc.update("insert into saml_trusted_idp (entity_id, added_by, added_at) values (?, ?, ?)", entityId,
                    actor, Timestamp.from(clock.instant()));
        } catch (DuplicateKeyException raced) {
            return ProblemDetails.of(HttpStatus.CONFLICT, entityId + " is trusted already");
        }
        audit.record("saml.idp_trusted", entityId, Map.of("entityId", entityId));
        return ResponseEntity.status(HttpStatus.CREATED).body(entry(entityId, "admin", actor, clock.instant()));
    }

    @DeleteMapping("/iam/saml/trusted-idps")
    public ResponseEntity<?> unmark(@RequestParam(defaultValue = "") String entityId) {
        if (properties.saml().trustedIdps().contains(entityId)) {
            return ProblemDetails.of(HttpStatus.CONFLICT, entityId + " is trusted by configuration "
                    + "(tessera.saml.trusted-idps)");
        }
        if (jdbc.update("delete from saml_trusted_idp where entity_id = ?", entityId) == 0) {
            return ProblemDetails.of(HttpStatus.NOT_FOUND, entityId + " is not marked trusted");
        }
        audit.record("saml.idp_untrusted", entityId, Map.of("entityId", entityId));
        return ResponseEntity.noContent().build();
    }
}
