package eu.tessera.voms.ac;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * What goes into one VOMS AC: the holder's end-entity certificate, FQANs (primary first), generic attributes,
 * targets (empty = usable anywhere) and validity.
 */
public record AttributeCertificateRequest(X509Certificate holder, List<String> fqans,
        List<GenericAttribute> attributes, List<String> targets, Instant notBefore, Instant notAfter,
        BigInteger serial) {

    public AttributeCertificateRequest {
        fqans = List.copyOf(fqans);
        attributes = List.copyOf(attributes);
        targets = List.copyOf(targets);
        if (fqans.isEmpty()) {
            throw new IllegalArgumentException("an AC needs at least one FQAN");
        }
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("notAfter must be after notBefore");
        }
    }
}
