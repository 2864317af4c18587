package eu.tessera.server.voms;

import eu.tessera.voms.VomsError;
import eu.tessera.voms.protocol.VomsResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import eu.tessera.server.config.TesseraProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /generate-ac} on the main port, for deployments where a TLS-terminating proxy in front of Tessera
 * authenticates the client certificate and passes it in headers ({@code tessera.voms.trusted-proxies}). The
 * end-entity certificate is validated again against Tessera's CA directory. Requests from other addresses are
 * refused: their certificate headers could be forged.
 */
@RestController
@ConditionalOnProperty(name = "tessera.voms.enabled", havingValue = "true")
public class GenerateAcController {

    private static final MediaType XML = MediaType.parseMediaType("text/xml;charset=UTF-8");

    private final VomsService service;
    private final ProxyHeaderCertificates headers;
    private final int listenerPort;

    public GenerateAcController(VomsService service, ProxyHeaderCertificates headers,
            TesseraProperties properties) {
        this.service = service;
        this.headers = headers;
        this.listenerPort = properties.voms().port();
    }

    @GetMapping("/generate-ac")
    public ResponseEntity<String> generate(HttpServletRequest request) {
        VomsResponse response;
        try {
            Optional<X509Certificate> certificate = headers.endEntity(request);
            response = certificate.isPresent()
                    ? service.generate(List.of(certificate.get()), request.getQueryString())
                    : new VomsResponse.Failure(VomsError.BadRequest, "No client certificate: connect with your "
                            + "certificate to the VOMS TLS port " + listenerPort + ".");
        } catch (ProxyHeaderCertificates.HeaderException e) {
            response = new VomsResponse.Failure(VomsError.BadRequest, e.getMessage());
        }
        return ResponseEntity.status(response.httpStatus()).contentType(XML)
                .header("Cache-Control", "no-store").body(response.toXml());
    }
}
