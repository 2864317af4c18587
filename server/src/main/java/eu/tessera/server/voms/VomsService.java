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

    private record Validated(ValidatedChain chain, Object trust, java.time.Instant until) {
    }

    private final java.util.function.Supplier<?> trust;
    private final java.time.Duration cacheTtl;
    private final java.util.Map<String, Validated> validated = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param trust    the CA directory snapshot in force: a cached validation counts only for the snapshot it was
     *                 made with (a CRL reload revalidates)
     * @param cacheTtl how long a chain's validation is reused (never past a certificate's end); zero: never
     */
    public VomsService(ProxyChainValidator validator, AttributeAuthority authority, Clock clock,
            java.util.function.Supplier<?> trust, java.time.Duration cacheTtl) {
        this.validator = validator;
        this.authority = authority;
        this.clock = clock;
        this.trust = trust;
        this.cacheTtl = cacheTtl;
    }

    private ValidatedChain validate(List<X509Certificate> chain) throws CertificateChainException {
        java.time.Instant now = clock.instant();
        if (cacheTtl.isZero() || cacheTtl.isNegative()) {
            return validator.validate(chain, now);
        }
        String key = fingerprint(chain);
        Object snapshot = trust.get();
        Validated cached = validated.get(key);
        if (cached != null && cached.trust() == snapshot && cached.until().isAfter(now)) {
            return cached.chain();
        }
        ValidatedChain result = validator.validate(chain, now);
        java.time.Instant until = now.plus(cacheTtl);
        for (X509Certificate certificate : chain) {
            java.time.Instant end = certificate.getNotAfter().toInstant();
            until = end.isBefore(until) ? end : until;
        }
        if (validated.size() > 10_000) {
            validated.clear();
        }
        validated.put(key, new Validated(result, snapshot, until));
        return result;
    }

    private static String fingerprint(List<X509Certificate> chain) {
        try {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            for (X509Certificate certificate : chain) {
                digest.update(certificate.getEncoded());
            }
            return java.util.HexFormat.of().formatHex(digest.digest());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
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
        return generate(chain, source, null);
    }

    /**
     * Answers a request that arrived on the port of the VO {@code boundVo} (null: the shared port), decoding its
     * query after the chain is validated.
     */
    public VomsResponse generate(List<X509Certificate> chain, RequestSource source, String boundVo) {
        ValidatedChain holder;
        try {
            holder = validate(chain);
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
        return authority.issue(holder, request, clock.instant(), boundVo);
    }

    /** The default VO's name. */
    public String vo() {
        return authority.settings().vo();
    }

    public AttributeAuthority authority() {
        return authority;
    }
}
