package eu.tessera.voms.ac;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateKey;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.AttributeCertificateHolder;
import org.bouncycastle.cert.AttributeCertificateIssuer;
import org.bouncycastle.cert.X509v2AttributeCertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Encodes and signs VOMS attribute certificates: RFC 5755 v2 ACs with the VOMS extensions (VOMS AC format,
 * OGF GFD.182). Written with Bouncy Castle rather than voms-api-java 3.3.5, whose generator encodes the
 * policyAuthority without its {@code [0]} tag so that C++ clients cannot read the AC.
 *
 * <ul>
 *   <li>holder: baseCertificateID with the end-entity <em>subject</em> DN and serial (what voms-api-java checks);</li>
 *   <li>issuer: v2Form with the AA certificate's subject; signature RSA with SHA-256;</li>
 *   <li>attribute {@value #FQANS_OID}: IetfAttrSyntax { policyAuthority [0] IMPLICIT GeneralNames
 *       {URI vo://host:port}, values SEQUENCE OF OCTET STRING };</li>
 *   <li>extensions: the AA certificate ({@value #AC_CERTS_OID}: the AA certificate alone, as the VOMS server
 *       embeds it and as the two-line {@code .lsc} file describes it: voms-api-java's {@code LSCFile.matches}
 *       wants a subject and an issuer line per embedded certificate, the C++ client one line per certificate plus
 *       the last issuer, so only a one-certificate chain satisfies both), authority key identifier = the AA
 *       certificate's subject key identifier, noRevAvail (non-critical), generic attributes
 *       ({@value #GENERIC_ATTRIBUTES_OID}) when there are any, targetInformation (critical) when requested.</li>
 * </ul>
 * Thread-safe: each thread signs with its own signer.
 */
public final class AttributeCertificateEncoder {

    public static final String FQANS_OID = "1.3.6.1.4.1.8005.100.100.4";
    public static final String AC_CERTS_OID = "1.3.6.1.4.1.8005.100.100.10";
    public static final String GENERIC_ATTRIBUTES_OID = "1.3.6.1.4.1.8005.100.100.11";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PrivateKey key;
    private final List<X509Certificate> chain;
    private final String host;
    private final int port;
    private final String policyAuthority;
    private final byte[] authorityKeyId;
    private final X500Name issuer;
    /** AC-certs, noRevAvail and authority key identifier: the same in every AC, encoded once. */
    private final List<Extension> fixedExtensions;
    /** A signer per thread: building one looks up the provider, and a signer is reset by each signature. */
    private final ThreadLocal<ContentSigner> signers = ThreadLocal.withInitial(this::newSigner);

    /**
     * @param key   the AA's RSA private key (voms-api-java verifies AC signatures with RSA only)
     * @param chain the AA certificate first, then any CA certificates (not embedded: relying parties find the
     *              CAs in their own CA directory)
     * @param vo    the VO name, {@code host} and {@code port} the AA's public address: the policyAuthority
     *              {@code vo://host:port} (relying parties find the {@code .lsc} file by that host)
     */
    public AttributeCertificateEncoder(PrivateKey key, List<X509Certificate> chain, String vo, String host, int port) {
        if (!(key instanceof RSAPrivateKey) && !"RSA".equals(key.getAlgorithm())) {
            throw new IllegalArgumentException("the VOMS AA key must be an RSA key (found " + key.getAlgorithm()
                    + "): voms-api-java verifies AC signatures with RSA only");
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("the AA certificate is missing");
        }
        this.key = key;
        this.chain = List.copyOf(chain);
        this.host = host;
        this.port = port;
        this.policyAuthority = policyAuthority(vo, port);
        X509Certificate aa = chain.get(0);
        byte[] ski = aa.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (ski == null) {
            throw new IllegalArgumentException("the AA certificate has no subject key identifier extension: "
                    + "relying parties match the AC's authority key identifier against it");
        }
        this.authorityKeyId = ASN1OctetString.getInstance(ASN1OctetString.getInstance(ski).getOctets()).getOctets();
        this.issuer = X500Name.getInstance(aa.getSubjectX500Principal().getEncoded());
        try {
            // the same in every AC: encoded once (the AA certificate would otherwise be re-encoded per AC)
            this.fixedExtensions = List.of(
                    new Extension(new ASN1ObjectIdentifier(AC_CERTS_OID), false,
                            new DEROctetString(acCerts(aa).getEncoded())),
                    new Extension(Extension.noRevAvail, false, new DEROctetString(DERNull.INSTANCE.getEncoded())),
                    new Extension(Extension.authorityKeyIdentifier, false,
                            new DEROctetString(new AuthorityKeyIdentifier(authorityKeyId).getEncoded())));
        } catch (CertificateEncodingException | IOException e) {
            throw new IllegalArgumentException("cannot encode the AA certificate chain", e);
        }
    }

    /** A random positive 127-bit serial number. */
    public static BigInteger randomSerial() {
        return new BigInteger(127, RANDOM).setBit(0);
    }

    /** The DER encoding of the signed AC, for the VO given to the constructor. */
    public byte[] encode(AttributeCertificateRequest request) {
        return encode(request, policyAuthority);
    }

    /**
     * The policy authority {@code vo://host:port} of another VO served by the same AA (one AA certificate may sign
     * for several VOs: relying parties keep the same {@code .lsc} file in each VO's vomsdir directory).
     */
    public String policyAuthority(String vo, int port) {
        return vo + "://" + host + ":" + port;
    }

    /** The port in the policy authority of the VO given to the constructor. */
    public int port() {
        return port;
    }

    /** The DER encoding of the signed AC with the policy authority {@code vo://host:port} of the AC's VO. */
    public byte[] encode(AttributeCertificateRequest request, String policyAuthority) {
        try {
            X509v2AttributeCertificateBuilder builder = new X509v2AttributeCertificateBuilder(
                    new AttributeCertificateHolder(
                            X500Name.getInstance(request.holder().getSubjectX500Principal().getEncoded()),
                            request.holder().getSerialNumber()),
                    new AttributeCertificateIssuer(issuer), request.serial(),
                    Date.from(request.notBefore()), Date.from(request.notAfter()));

            GeneralName authority = new GeneralName(GeneralName.uniformResourceIdentifier, policyAuthority);
            builder.addAttribute(new ASN1ObjectIdentifier(FQANS_OID), fqanAttribute(request.fqans(), authority));

            if (!request.attributes().isEmpty()) {
                builder.addExtension(new ASN1ObjectIdentifier(GENERIC_ATTRIBUTES_OID), false,
                        genericAttributes(request.attributes(), authority));
            }
            if (!request.targets().isEmpty()) {
                builder.addExtension(Extension.targetInformation, true, targets(request.targets()));
            }
            for (Extension extension : fixedExtensions) {
                builder.addExtension(extension);
            }

            return builder.build(signer()).getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the attribute certificate", e);
        }
    }

    /** IetfAttrSyntax with policyAuthority [0] IMPLICIT GeneralNames (RFC 5755 section 4.4). */
    private static DERSequence fqanAttribute(List<String> fqans, GeneralName authority) {
        ASN1EncodableVector values = new ASN1EncodableVector();
        for (String fqan : fqans) {
            values.add(new DEROctetString(fqan.getBytes(StandardCharsets.US_ASCII)));
        }
        ASN1EncodableVector syntax = new ASN1EncodableVector();
        syntax.add(new DERTaggedObject(false, 0, new GeneralNames(authority)));
        syntax.add(new DERSequence(values));
        return new DERSequence(syntax);
    }

    /** SEQUENCE { SEQUENCE { SEQUENCE { grantor GeneralNames, tags SEQUENCE OF Tag } } }, as VOMS writes it. */
    private static DERSequence genericAttributes(List<GenericAttribute> attributes, GeneralName authority) {
        ASN1EncodableVector tags = new ASN1EncodableVector();
        for (GenericAttribute attribute : attributes) {
            tags.add(new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
                    octets(attribute.name()), octets(attribute.value()),
                    octets(attribute.qualifier() == null ? "" : attribute.qualifier())}));
        }
        DERSequence tagList = new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
                new GeneralNames(authority), new DERSequence(tags)});
        return new DERSequence(new DERSequence(tagList));
    }

    /** TargetInformation with one Targets; each target a URI, wrapped in a SEQUENCE as VOMS does. */
    private static DERSequence targets(List<String> targets) {
        ASN1EncodableVector sequence = new ASN1EncodableVector();
        for (String target : targets) {
            sequence.add(new DERSequence(new DERTaggedObject(true, 0,
                    new GeneralName(GeneralName.uniformResourceIdentifier, target))));
        }
        return new DERSequence(new DERSequence(sequence));
    }

    /** SEQUENCE { SEQUENCE OF Certificate } with the AA certificate, so relying parties verify with an .lsc file. */
    private static DERSequence acCerts(X509Certificate aa) throws CertificateEncodingException, IOException {
        ASN1EncodableVector certificates = new ASN1EncodableVector();
        certificates.add(ASN1Primitive.fromByteArray(aa.getEncoded()));
        return new DERSequence(new DERSequence(certificates));
    }

    private static DEROctetString octets(String value) {
        return new DEROctetString(value.getBytes(StandardCharsets.UTF_8));
    }

    private ContentSigner signer() {
        return signers.get();
    }

    private ContentSigner newSigner() {
        try {
            return new JcaContentSignerBuilder("SHA256withRSA").build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign with the AA key", e);
        }
    }

    /** The AA certificate. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    public String policyAuthority() {
        return policyAuthority;
    }

}
