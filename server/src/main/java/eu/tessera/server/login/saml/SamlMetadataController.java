package eu.tessera.server.login.saml;

import eu.tessera.server.api.ProblemDetails;
import eu.tessera.server.audit.AuditLog;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * SAML metadata sources for admins: {@code GET /iam/saml/metadata} (state of each: IdPs, validUntil, last load,
 * last error) and {@code POST /iam/saml/metadata/{name}/refresh} (read it now).
 */
@RestController
public class SamlMetadataController {

    private final SamlMetadataSources sources;
    private final AuditLog audit;

    public SamlMetadataController(SamlMetadataSources sources, AuditLog audit) {
        this.sources = sources;
        this.audit = audit;
    }

    @GetMapping("/iam/saml/metadata")
    public List<SamlMetadataSources.Status> list() {
        return sources.statuses();
    }

    @PostMapping("/iam/saml/metadata/{name}/refresh")
    public ResponseEntity<?> refresh(@PathVariable String name) {
        return sources.refresh(name).<ResponseEntity<?>>map(status -> {
            audit.record("saml.metadata_refreshed", name, Map.of("identityProviders", status.identityProviders(),
                    "error", status.lastError() == null ? "" : status.lastError()));
            return ResponseEntity.ok(status);
        }).orElseGet(() -> ProblemDetails.of(HttpStatus.NOT_FOUND, "no metadata source named " + name));
    }
}
