package eu.tessera.voms.pki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * Validates a client certificate chain as a grid relying party does: an end-entity certificate issued (directly
 * or through intermediate CAs) by a CA of the {@link CaDirectory}, checked against the CAs' CRLs, followed by
 * any number of proxy certificates, RFC 3820 (ProxyCertInfo extension) or legacy Globus ({@code CN=proxy},
 * {@code CN=limited proxy}). Every certificate must be within its validity period. Only CA certificates from
 * the directory are trusted; CA certificates the client sends along are ignored.
 *
 * <p>CRLs: when the directory holds a CRL of a CA, it must verify with that CA's key and be current (an expired
 * CRL fails the chain, closed rather than open); a CA without a CRL file is accepted.
 */
public final class ProxyChainValidator {

    /** RFC 3820 ProxyCertInfo and the pre-RFC (draft) OID that Globus Toolkit 3 used. */
    static final String PROXY_CERT_INFO = "1.3.6.1.5.5.7.1.14";
    static final String PROXY_CERT_INFO_DRAFT = "1.3.6.1.4.1.3536.1.222";

    private static final int MAX_CHAIN = 16;
    private static final int MAX_CA_DEPTH = 8;
    private static final Set<String> KNOWN_CRITICAL = Set.of("2.5.29.19", "2.5.29.15", "2.5.29.37", "2.5.29.32",
            "2.5.29.17", "2.5.29.30", "2.5.29.36", "2.5.29.54", PROXY_CERT_INFO, PROXY_CERT_INFO_DRAFT);

    private final Supplier<CaDirectory> trust;

    /** @param trust the current CA directory snapshot (called for every validation, so reloading is seen) */
    public ProxyChainValidator(Supplier<CaDirectory> trust) {
        this.trust = trust;
    }

    /**
     * Validates a chain in TLS order (leaf first).
     *
     * @throws CertificateChainException naming what is wrong
     */
    public ValidatedChain validate(List<X509Certificate> chain, Instant now) throws CertificateChainException {
        if (chain == null || chain.isEmpty()) {
            throw new CertificateChainException("no client certificate");
        }
        if (chain.size() > MAX_CHAIN) {
            throw new CertificateChainException("certificate chain longer than " + MAX_CHAIN);
        }
        Date at = Date.from(now);
        // The first certificate (from the leaf) that is not a proxy is the end-entity certificate.
        int eecIndex = 0;
        while (eecIndex < chain.size() - 1 && isProxy(chain.get(eecIndex), chain.get(eecIndex + 1))) {
            eecIndex++;
        }
        X509Certificate eec = chain.get(eecIndex);
        if (hasProxyCertInfo(eec)) {
            throw new CertificateChainException("proxy certificate without the certificate that signed it");
        }
        if (eec.getBasicConstraints() >= 0) {
            throw new CertificateChainException("the client certificate is a CA certificate");
        }
        List<X509Certificate> caPath = validateEndEntity(eec, at);

        // Proxies, from the one the end-entity signed to the leaf.
        List<X509Certificate> proxies = new ArrayList<>();
        X509Certificate signer = eec;
        int remainingPathLength = Integer.MAX_VALUE;
        for (int i = eecIndex - 1; i >= 0; i--) {
            X509Certificate proxy = chain.get(i);
            if (remainingPathLength <= 0) {
                throw new CertificateChainException("proxy path length constraint exceeded at "
                        + describe(proxy));
            }
            validateProxy(proxy, signer, at);
            int pathLength = proxyPathLength(proxy);
            remainingPathLength = Math.min(remainingPathLength == Integer.MAX_VALUE ? Integer.MAX_VALUE
                    : remainingPathLength - 1, pathLength);
            proxies.add(proxy);
            signer = proxy;
        }
        return new ValidatedChain(eec, proxies, caPath);
    }

    private List<X509Certificate> validateEndEntity(X509Certificate eec, Date at) throws CertificateChainException {
        checkValidity(eec, at);
        checkCriticalExtensions(eec);
        CaDirectory cas = trust.get();
        List<X509Certificate> path = new ArrayList<>();
        X509Certificate current = eec;
        for (int depth = 0; depth < MAX_CA_DEPTH; depth++) {
            X509Certificate issuer = findIssuer(cas, current);
            if (issuer == null) {
                throw new CertificateChainException("certificate " + describe(current)
                        + " is not issued by a trusted CA (" + dn(current.getIssuerX500Principal()) + ")");
            }
            checkValidity(issuer, at);
            boolean[] usage = issuer.getKeyUsage();
            if (usage != null && !usage[5]) {
                throw new CertificateChainException("CA " + describe(issuer) + " may not sign certificates");
            }
            checkRevocation(cas, current, issuer, at);
            path.add(issuer);
            if (issuer.getSubjectX500Principal().equals(issuer.getIssuerX500Principal())) {
                return path;
            }
            current = issuer;
        }
        throw new CertificateChainException("CA path longer than " + MAX_CA_DEPTH);
    }

    private static X509Certificate findIssuer(CaDirectory cas, X509Certificate certificate) {
        for (X509Certificate candidate : cas.casFor(certificate.getIssuerX500Principal())) {
            try {
                certificate.verify(candidate.getPublicKey());
                return candidate;
            } catch (GeneralSecurityException e) {
                // another key of the same CA name, or a forged certificate
            }
        }
        return null;
    }

    private static void checkRevocation(CaDirectory cas, X509Certificate certificate, X509Certificate issuer, Date at)
            throws CertificateChainException {
        List<X509CRL> crls = cas.crlsFor(issuer.getSubjectX500Principal());
        for (X509CRL crl : crls) {
            if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
                continue;
            }
            if (crl.getNextUpdate() != null && crl.getNextUpdate().before(at)) {
                throw new CertificateChainException("the CRL of " + dn(issuer.getSubjectX500Principal())
                        + " expired on " + crl.getNextUpdate().toInstant());
            }
            X509CRLEntry entry = crl.getRevokedCertificate(certificate);
            if (entry != null && !entry.getRevocationDate().after(at)) {
                throw new CertificateChainException("certificate " + describe(certificate) + " is revoked");
            }
        }
    }

    private static void validateProxy(X509Certificate proxy, X509Certificate signer, Date at)
            throws CertificateChainException {
        if (!proxy.getIssuerX500Principal().equals(signer.getSubjectX500Principal())) {
            throw new CertificateChainException("proxy " + describe(proxy) + " is not issued by "
                    + dn(signer.getSubjectX500Principal()));
        }
        try {
            proxy.verify(signer.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new CertificateChainException("proxy " + describe(proxy) + " has a bad signature");
        }
        checkValidity(proxy, at);
        checkCriticalExtensions(proxy);
        if (proxy.getBasicConstraints() >= 0) {
            throw new CertificateChainException("proxy " + describe(proxy) + " claims to be a CA");
        }
        boolean[] usage = signer.getKeyUsage();
        if (usage != null && !usage[0]) {
            throw new CertificateChainException("certificate " + describe(signer) + " may not sign proxies");
        }
        if (!extendsByOneCn(proxy.getSubjectX500Principal(), signer.getSubjectX500Principal())) {
            throw new CertificateChainException("proxy subject " + describe(proxy)
                    + " is not its issuer's subject plus one CN");
        }
    }

    /** Whether {@code certificate}, signed by {@code next}, is a proxy of {@code next}. */
    static boolean isProxy(X509Certificate certificate, X509Certificate next) {
        if (hasProxyCertInfo(certificate)) {
            return true;
        }
        if (!certificate.getIssuerX500Principal().equals(next.getSubjectX500Principal())
                || !extendsByOneCn(certificate.getSubjectX500Principal(), next.getSubjectX500Principal())) {
            return false;
        }
        String cn = lastCn(certificate.getSubjectX500Principal());
        return "proxy".equals(cn) || "limited proxy".equals(cn);
    }

    private static boolean hasProxyCertInfo(X509Certificate certificate) {
        return certificate.getExtensionValue(PROXY_CERT_INFO) != null
                || certificate.getExtensionValue(PROXY_CERT_INFO_DRAFT) != null;
    }

    private static boolean extendsByOneCn(X500Principal subject, X500Principal issuer) {
        RDN[] s = X500Name.getInstance(subject.getEncoded()).getRDNs();
        RDN[] i = X500Name.getInstance(issuer.getEncoded()).getRDNs();
        if (s.length != i.length + 1) {
            return false;
        }
        for (int k = 0; k < i.length; k++) {
            if (!s[k].equals(i[k])) {
                return false;
            }
        }
        RDN last = s[s.length - 1];
        return !last.isMultiValued() && last.getFirst().getType().equals(BCStyle.CN);
    }

    private static String lastCn(X500Principal subject) {
        RDN[] rdns = X500Name.getInstance(subject.getEncoded()).getRDNs();
        RDN last = rdns[rdns.length - 1];
        return last.getFirst().getType().equals(BCStyle.CN) ? IETFUtils.valueToString(last.getFirst().getValue()) : null;
    }

    /** The ProxyCertInfo pCPathLenConstraint, or unlimited. */
    private static int proxyPathLength(X509Certificate proxy) throws CertificateChainException {
        byte[] value = proxy.getExtensionValue(PROXY_CERT_INFO);
        if (value == null) {
            value = proxy.getExtensionValue(PROXY_CERT_INFO_DRAFT);
        }
        if (value == null) {
            return Integer.MAX_VALUE;
        }
        try {
            ASN1Primitive info = ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(value).getOctets());
            ASN1Sequence sequence = ASN1Sequence.getInstance(info);
            for (int k = 0; k < sequence.size(); k++) {
                if (sequence.getObjectAt(k) instanceof ASN1Integer length) {
                    return length.intValueExact();
                }
            }
            return Integer.MAX_VALUE;
        } catch (IOException | IllegalArgumentException | ArithmeticException e) {
            throw new CertificateChainException("proxy " + describe(proxy) + " has a malformed ProxyCertInfo");
        }
    }

    private static void checkValidity(X509Certificate certificate, Date at) throws CertificateChainException {
        if (at.before(certificate.getNotBefore())) {
            throw new CertificateChainException("certificate " + describe(certificate) + " is not valid before "
                    + certificate.getNotBefore().toInstant());
        }
        if (at.after(certificate.getNotAfter())) {
            throw new CertificateChainException("certificate " + describe(certificate) + " expired on "
                    + certificate.getNotAfter().toInstant());
        }
    }

    private static void checkCriticalExtensions(X509Certificate certificate) throws CertificateChainException {
        Set<String> critical = certificate.getCriticalExtensionOIDs();
        if (critical == null) {
            return;
        }
        for (String oid : critical) {
            if (!KNOWN_CRITICAL.contains(oid)) {
                throw new CertificateChainException("certificate " + describe(certificate)
                        + " has an unsupported critical extension " + oid);
            }
        }
    }

    private static String describe(X509Certificate certificate) {
        return dn(certificate.getSubjectX500Principal());
    }

    private static String dn(X500Principal principal) {
        return DistinguishedNames.canonical(principal);
    }
}
