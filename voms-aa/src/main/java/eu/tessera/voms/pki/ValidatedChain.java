package eu.tessera.voms.pki;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A client chain that passed {@link ProxyChainValidator}: the end-entity certificate (the holder of VOMS
 * attributes), the proxies signed under it (leaf last) and the CA path to a trust anchor.
 */
public record ValidatedChain(X509Certificate endEntity, List<X509Certificate> proxies, List<X509Certificate> caPath) {

    public ValidatedChain {
        proxies = List.copyOf(proxies);
        caPath = List.copyOf(caPath);
    }

    /** The end-entity subject in canonical slash form. */
    public String subject() {
        return DistinguishedNames.canonical(endEntity.getSubjectX500Principal());
    }

    /** The end-entity issuer in canonical slash form. */
    public String issuer() {
        return DistinguishedNames.canonical(endEntity.getIssuerX500Principal());
    }

    public BigInteger serial() {
        return endEntity.getSerialNumber();
    }
}
