package eu.tessera.voms.ac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.tessera.voms.testpki.TestPki;
import eu.tessera.voms.testpki.TestPki.Credential;
import eu.tessera.voms.testpki.VomsOracle;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.x509.AttributeCertificate;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509AttributeCertificateHolder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.italiangrid.voms.VOMSAttribute;
import org.italiangrid.voms.ac.VOMSValidationResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The encoder's ACs, checked byte by byte where C++ clients are strict (policyAuthority tag, extensions) and
 * validated by voms-api-java 3.3.5's validator (a relying party) inside an RFC 3820 proxy.
 */
class AttributeCertificateEncoderTest {

    @TempDir
    static Path pki;
    static Credential ca;
    static Credential aa;
    static Credential user;
    static AttributeCertificateEncoder encoder;

    @BeforeAll
    static void setUp() throws Exception {
        ca = TestPki.ca("C=IT,O=Tessera Test,CN=Tessera Test CA");
        aa = TestPki.endEntity(ca, "C=IT,O=Tessera Test,CN=localhost", true);
        user = TestPki.endEntity(ca, "C=IT,O=Tessera Test,CN=Jane Doe", false);
        TestPki.installCa(pki.resolve("certificates"), ca.certificate(), null);
        TestPki.writeLsc(pki.resolve("vomsdir"), "escape", "localhost", aa.certificate());
        encoder = new AttributeCertificateEncoder(aa.key(), List.of(aa.certificate()), "escape", "localhost", 15000);
    }

    private static byte[] encode(List<String> fqans, List<GenericAttribute> attributes, List<String> targets) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return encoder.encode(new AttributeCertificateRequest(user.certificate(), fqans, attributes, targets,
                now.minusSeconds(60), now.plus(Duration.ofHours(1)), BigInteger.valueOf(4242)));
    }

    @Test
    void policyAuthorityIsImplicitlyTaggedZero() throws Exception {
        AttributeCertificate ac = AttributeCertificate.getInstance(encode(List.of("/escape"), List.of(), List.of()));
        var attribute = ac.getAcinfo().getAttributes();
        var fqans = org.bouncycastle.asn1.x509.Attribute.getInstance(attribute.getObjectAt(0));
        assertThat(fqans.getAttrType().getId()).isEqualTo(AttributeCertificateEncoder.FQANS_OID);
        ASN1Sequence syntax = ASN1Sequence.getInstance(fqans.getAttrValues().getObjectAt(0));
        ASN1TaggedObject authority = ASN1TaggedObject.getInstance(syntax.getObjectAt(0));
        assertThat(authority.getTagNo()).isZero();
        // [0] IMPLICIT GeneralNames: A0 len 86 len "escape://localhost:15000"
        byte[] der = authority.getEncoded();
        assertThat(der[0] & 0xff).isEqualTo(0xA0);
        assertThat(der[2] & 0xff).isEqualTo(0x86);
        assertThat(new String(der, 4, der.length - 4)).isEqualTo("escape://localhost:15000");
    }

    @Test
    void extensionsAsRelyingPartiesRequireThem() throws Exception {
        X509AttributeCertificateHolder ac = new X509AttributeCertificateHolder(
                encode(List.of("/escape"), List.of(), List.of("host1.example.org")));
        assertThat(ac.isSignatureValid(new JcaContentVerifierProviderBuilder().build(aa.certificate()))).isTrue();
        assertThat(ac.getExtension(Extension.noRevAvail).isCritical()).isFalse();
        assertThat(ac.getExtension(Extension.targetInformation).isCritical()).isTrue();
        Extension akid = ac.getExtension(Extension.authorityKeyIdentifier);
        assertThat(akid.isCritical()).isFalse();
        byte[] ski = ASN1OctetString.getInstance(ASN1OctetString.getInstance(
                aa.certificate().getExtensionValue(Extension.subjectKeyIdentifier.getId())).getOctets()).getOctets();
        assertThat(AuthorityKeyIdentifier.getInstance(akid.getParsedValue()).getKeyIdentifierObject().getOctets())
                .isEqualTo(ski);
        assertThat(ac.getExtension(new org.bouncycastle.asn1.ASN1ObjectIdentifier(
                AttributeCertificateEncoder.AC_CERTS_OID)).isCritical()).isFalse();
        assertThat(ac.getHolder().getSerialNumber()).isEqualTo(user.certificate().getSerialNumber());
        assertThat(ac.getHolder().getIssuer()[0].toString()).isEqualTo("C=IT,O=Tessera Test,CN=Jane Doe");
        assertThat(ac.getIssuer().getNames()[0].toString()).isEqualTo("C=IT,O=Tessera Test,CN=localhost");
        assertThat(ac.getSignatureAlgorithm().getAlgorithm().getId()).isEqualTo("1.2.840.113549.1.1.11");
        // Without targets there is no targetInformation extension (it is critical: it would restrict the AC).
        X509AttributeCertificateHolder untargeted = new X509AttributeCertificateHolder(
                encode(List.of("/escape"), List.of(), List.of()));
        assertThat(untargeted.getExtension(Extension.targetInformation)).isNull();
        assertThat(untargeted.getSerialNumber()).isEqualTo(BigInteger.valueOf(4242));
    }

    @Test
    void vomsApiJavaValidatesTheAcInAProxy() throws Exception {
        byte[] der = encode(List.of("/escape/cms", "/escape", "/escape/Role=data-manager"),
                List.of(new GenericAttribute("nickname", "jane", "escape")), List.of());
        VOMSValidationResult result = validateInProxy(der);
        assertThat(result.isValid()).as(result.getValidationErrors().toString()).isTrue();
        VOMSAttribute attributes = result.getAttributes();
        assertThat(attributes.getVO()).isEqualTo("escape");
        assertThat(attributes.getHost()).isEqualTo("localhost");
        assertThat(attributes.getPort()).isEqualTo(15000);
        assertThat(attributes.getFQANs()).containsExactly("/escape/cms", "/escape", "/escape/Role=data-manager");
        assertThat(attributes.getPrimaryFQAN()).isEqualTo("/escape/cms");
        assertThat(attributes.getGenericAttributes()).singleElement().satisfies(ga -> {
            assertThat(ga.getName()).isEqualTo("nickname");
            assertThat(ga.getValue()).isEqualTo("jane");
            assertThat(ga.getContext()).isEqualTo("escape");
        });
        assertThat(attributes.getHolderSerialNumber()).isEqualTo(user.certificate().getSerialNumber());
        assertThat(attributes.getAACertificates()[0]).isEqualTo(aa.certificate());
    }

    @Test
    void targetsAreReadBackByVomsApiJava() throws Exception {
        VOMSValidationResult result = validateInProxy(
                encode(List.of("/escape"), List.of(), List.of("host1.example.org", "host2.example.org")));
        // The validator checks the local host name against the targets: this host is not one of them.
        assertThat(result.getAttributes().getTargets()).containsExactly("host1.example.org", "host2.example.org");
        assertThat(result.isValid()).isFalse();
        assertThat(result.getValidationErrors().toString()).containsIgnoringCase("target");
    }

    @Test
    void aForgedAcFailsValidation() throws Exception {
        Credential other = TestPki.endEntity(ca, "C=IT,O=Tessera Test,CN=localhost", true);
        AttributeCertificateEncoder forger = new AttributeCertificateEncoder(other.key(),
                List.of(aa.certificate()), "escape", "localhost", 15000);
        Instant now = Instant.now();
        byte[] der = forger.encode(new AttributeCertificateRequest(user.certificate(), List.of("/escape"), List.of(),
                List.of(), now.minusSeconds(60), now.plusSeconds(3600), BigInteger.TEN));
        VOMSValidationResult result = validateInProxy(der);
        assertThat(result.isValid()).isFalse();
    }

    @Test
    void refusesNonRsaKeysAndAaCertificatesWithoutSki() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        assertThatThrownBy(() -> new AttributeCertificateEncoder(ec.generateKeyPair().getPrivate(),
                List.of(aa.certificate()), "escape", "localhost", 15000))
                .hasMessageContaining("RSA");
        assertThatThrownBy(() -> new AttributeCertificateEncoder(ca.key(), List.of(user.certificate()), "escape",
                "localhost", 15000).encode(null)).isInstanceOf(RuntimeException.class);
    }

    static VOMSValidationResult validateInProxy(byte[] der) throws Exception {
        return VomsOracle.validateInProxy(der, user, pki.resolve("certificates"), pki.resolve("vomsdir"));
    }
}
