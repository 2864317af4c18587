package eu.tessera.server.voms;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.voms.pki.DistinguishedNames;
import java.security.cert.X509Certificate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import eu.tessera.voms.AttributeAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What relying parties and VOMS clients need to trust this AA, exactly as they read it, so that a VO admin copies
 * it instead of writing it by hand: the {@code vomses} line (voms-clients {@code VOMSESLineParser}: alias, host,
 * port, AA subject, VO name) and the {@code .lsc} file ({@code vomsdir/<vo>/<host>.lsc}: the AA certificate's
 * subject, then its issuer, OpenSSL slash form, which is what the AC embeds). With several VOs, one {@code vomses}
 * line per VO (each with its own port when it has one) and the same {@code .lsc} file in each VO's directory.
 */
@RestController
@ConditionalOnProperty(name = "tessera.voms.enabled", havingValue = "true")
public class VomsTrustController {

    private static final MediaType TEXT = MediaType.parseMediaType("text/plain;charset=UTF-8");

    private final ServedVos vos;
    private final String host;
    private final String subject;
    private final String lsc;
    private final String lscName;

    public VomsTrustController(TesseraProperties properties, VomsConfiguration.AaCredential credential,
            ServedVos vos) {
        X509Certificate aa = credential.certificate();
        this.vos = vos;
        this.host = VomsConfiguration.host(properties);
        this.subject = DistinguishedNames.canonical(aa.getSubjectX500Principal());
        this.lsc = subject + "\n" + DistinguishedNames.canonical(aa.getIssuerX500Principal()) + "\n";
        this.lscName = host + ".lsc";
    }

    /**
     * {@code GET /voms/vomses}: the lines for {@code /etc/vomses}, one per VO served; {@code ?vo=cms}: that VO's line,
     * for {@code /etc/vomses/cms} (404 when it is not served).
     */
    @GetMapping("/voms/vomses")
    public ResponseEntity<String> vomses(@RequestParam(name = "vo", required = false) String vo) {
        StringBuilder lines = new StringBuilder();
        for (AttributeAuthority.Vo served : vos.served()) {
            if (vo == null || vo.equals(served.name())) {
                lines.append('"').append(served.name()).append("\" \"").append(host).append("\" \"")
                        .append(served.port()).append("\" \"").append(subject).append("\" \"").append(served.name())
                        .append("\"\n");
            }
        }
        if (lines.isEmpty()) {
            return ResponseEntity.status(404).contentType(TEXT).cacheControl(CacheControl.noCache())
                    .body("This server does not serve a VO of that name.\n");
        }
        return ResponseEntity.ok().contentType(TEXT).cacheControl(CacheControl.noCache()).body(lines.toString());
    }

    /** {@code GET /voms/lsc}: the file {@code /etc/grid-security/vomsdir/<vo>/<host>.lsc}. */
    @GetMapping("/voms/lsc")
    public ResponseEntity<String> lsc() {
        return ResponseEntity.ok().contentType(TEXT).cacheControl(CacheControl.noCache())
                .header("Content-Disposition", "inline; filename=\"" + lscName + "\"").body(lsc);
    }
}
