package eu.tessera.server.voms;

import eu.tessera.voms.AttributeAuthority;
import eu.tessera.voms.VomsError;
import eu.tessera.voms.VomsException;
import eu.tessera.voms.pki.CertificateChainException;
import eu.tessera.voms.pki.ProxyChainValidator;
import eu.tessera.voms.pki.ValidatedChain;
import eu.tessera.voms.protocol.VomsRequest;
import eu.tessera.voms.protocol.VomsResponse;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code /generate-ac} request, whatever the transport: validate the client chain against the CA directory,
 * parse the query, let the {@link AttributeAuthority} decide. Every outcome is a {@link VomsResponse}.
 */
public class VomsService {

    private static final Logger log = LoggerFactory.getLogger(VomsService.class);

    private final ProxyChainValidator validator;
    private final AttributeAuthority authority;
    private final Clock clock;

    public VomsService(ProxyChainValidator validator, AttributeAuthority authority, Clock clock) {
        this.validator = validator;
        this.authority = authority;
        this.clock = clock;
    }

    /** Answers a request from a client that presented {@code chain} (TLS order, leaf first). */
    public VomsResponse generate(List<X509Certificate> chain, String rawQuery) {
        return generate(chain, () -> VomsRequest.parse(rawQuery));
    }

    /** A request already decoded (or to be decoded) by the transport. */
    @FunctionalInterface
    public interface RequestSource {
        VomsRequest get() throws VomsException;
    }

    /** Answers a request whose query the transport decodes after the chain is validated. */
    public VomsResponse generate(List<X509Certificate> chain, RequestSource source) {
        ValidatedChain holder;
        try {
            holder = validator.validate(chain, clock.instant());
        } catch (CertificateChainException e) {
            log.info("VOMS request with an untrusted client certificate refused: {}", e.getMessage());
            return new VomsResponse.Failure(VomsError.NoSuchUser, "Your certificate is not accepted: "
                    + e.getMessage());
        }
        VomsRequest request;
        try {
            request = source.get();
        } catch (VomsException e) {
            return new VomsResponse.Failure(e.error(), e.getMessage());
        }
        return authority.issue(holder, request, clock.instant());
    }

    /** The VO name. */
    public String vo() {
        return authority.settings().vo();
    }

    public AttributeAuthority authority() {
        return authority;
    }
}
