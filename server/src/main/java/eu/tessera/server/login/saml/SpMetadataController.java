package eu.tessera.server.login.saml;

import eu.tessera.saml.SamlException;
import eu.tessera.saml.SpMetadata;
import eu.tessera.server.config.TesseraProperties;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /saml/metadata}: Tessera's signed SAML SP metadata for federation registrars (eduGAIN), regenerated
 * hourly with validUntil {@code tessera.saml.sp.metadata-validity} ahead. 404 until the SP keys are configured.
 */
@RestController
public class SpMetadataController {

    private static final MediaType SAML_METADATA = MediaType.parseMediaType("application/samlmetadata+xml");

    private final TesseraProperties properties;
    private final SamlSpKeys keys;
    private final Clock clock;
    private volatile String cached;
    private volatile Instant cachedAt = Instant.MIN;

    public SpMetadataController(TesseraProperties properties, SamlSpKeys keys, Clock clock) {
        this.properties = properties;
        this.keys = keys;
        this.clock = clock;
    }

    /** The SP entity ID: configured, or {@code <issuer>/saml/metadata}. */
    public static String entityId(TesseraProperties properties) {
        String configured = properties.saml().sp().entityId();
        return configured != null && !configured.isBlank() ? configured : properties.baseUrl() + "/saml/metadata";
    }

    @GetMapping("/saml/metadata")
    public ResponseEntity<String> metadata() throws IOException, SamlException {
        TesseraProperties.Saml.Sp sp = properties.saml().sp();
        if (!sp.configured()) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.TEXT_PLAIN)
                    .body("SAML login is not configured (tessera.saml.sp.certificate and private-key)\n");
        }
        Instant now = clock.instant();
        if (cached == null || cachedAt.plus(Duration.ofHours(1)).isBefore(now)) {
            cached = SpMetadata.signed(new SpMetadata.Settings(entityId(properties),
                    SamlAcsController.acsUrl(properties), properties.organisationName(), properties.issuer(),
                    keys.signingCertificate(), keys.encryptionCertificate(), sp.technicalContact(),
                    sp.securityContact()), keys.signingKey(), now.plus(sp.metadataValidity()));
            cachedAt = now;
        }
        return ResponseEntity.ok().contentType(SAML_METADATA).cacheControl(CacheControl.maxAge(Duration.ofHours(1)))
                .body(cached);
    }
}
