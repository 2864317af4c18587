package eu.tessera.server.voms;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.voms.pki.DistinguishedNames;
import java.security.cert.X509Certificate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What relying parties and VOMS clients need to trust this AA, exactly as they read it, so that a VO admin copies
 * it instead of writing it by hand: the {@code vomses} line (voms-clients {@code VOMSESLineParser}: alias, host,
 * port, AA subject, VO name) and the {@code .lsc} file ({@code vomsdir/<vo>/<host>.lsc}: the AA certificate's
 * subject, then its issuer, OpenSSL slash form, which is what the AC embeds).
 */
@RestController
@ConditionalOnProperty(name = "tessera.voms.enabled", havingValue = "true")
public class VomsTrustController {

    private static final MediaType TEXT = MediaType.parseMediaType("text/plain;charset=UTF-8");

    private final String vomses;
    private final String lsc;
    private final String lscName;

    public VomsTrustController(TesseraProperties properties, VomsConfiguration.AaCredential credential) {
        X509Certificate aa = credential.certificate();
        String vo = VomsConfiguration.vo(properties);
        String host = VomsConfiguration.host(properties);
        String subject = DistinguishedNames.canonical(aa.getSubjectX500Principal());
        this.vomses = "\"" + vo + "\" \"" + host + "\" \"" + VomsConfiguration.advertisedPort(properties) + "\" \""
                + subject + "\" \"" + vo + "\"\n";
        this.lsc = subject + "\n" + DistinguishedNames.canonical(aa.getIssuerX500Principal()) + "\n";
        this.lscName = host + ".lsc";
    }

    /** {@code GET /voms/vomses}: the line for {@code /etc/vomses/<vo>}. */
    @GetMapping("/voms/vomses")
    public ResponseEntity<String> vomses() {
        return ResponseEntity.ok().contentType(TEXT).cacheControl(CacheControl.noCache()).body(vomses);
    }

    /** {@code GET /voms/lsc}: the file {@code /etc/grid-security/vomsdir/<vo>/<host>.lsc}. */
    @GetMapping("/voms/lsc")
    public ResponseEntity<String> lsc() {
        return ResponseEntity.ok().contentType(TEXT).cacheControl(CacheControl.noCache())
                .header("Content-Disposition", "inline; filename=\"" + lscName + "\"").body(lsc);
    }
}
