package eu.tessera.voms.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.tessera.voms.testpki.TestPki;
import eu.tessera.voms.testpki.TestPki.Credential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxyChainValidatorTest {

    @TempDir
    static Path dir;
    static Credential ca;
    static Credential user;
    static Credential revoked;
    static Credential stranger;
    static ProxyChainValidator validator;

    @BeforeAll
    static void setUp() throws Exception {
        ca = TestPki.ca("C=IT,O=Tessera Test,CN=Tessera Test CA");
        user = TestPki.endEntity(ca, "C=IT,O=Tessera Test,CN=Jane Doe", false);
        revoked = TestPki.endEntity(ca, "C=IT,O=Tessera Test,CN=Revoked Rita", false);
        Credential otherCa = TestPki.ca("C=IT,O=Tessera Test,CN=Tessera Test CA");   // same name, other key
        stranger = TestPki.endEntity(otherCa, "C=IT,O=Tessera Test,CN=Jane Doe", false);
        TestPki.installCa(dir.resolve("certificates"), ca.certificate(),
                TestPki.crl(ca, Duration.ofDays(1), revoked.certificate()));
        Files.writeString(dir.resolve("certificates/README"), "not a CA");
        CaDirectory cas = CaDirectory.load(dir.resolve("certificates"));
        validator = new ProxyChainValidator(() -> cas);
    }

    @Test
    void endEntityCertificate() throws Exception {
        ValidatedChain chain = validator.validate(user.chain(), Instant.now());
        assertThat(chain.subject()).isEqualTo("/C=IT/O=Tessera Test/CN=Jane Doe");
        assertThat(chain.issuer()).isEqualTo("/C=IT/O=Tessera Test/CN=Tessera Test CA");
        assertThat(chain.serial()).isEqualTo(user.certificate().getSerialNumber());
        assertThat(chain.proxies()).isEmpty();
        assertThat(chain.caPath()).containsExactly(ca.certificate());
    }

    @Test
    void rfc3820AndLegacyProxiesIdentifyTheEndEntity() throws Exception {
        Credential rfc = TestPki.proxy(user, true);
        Credential rfcOfRfc = TestPki.proxy(rfc, true);
        Credential legacy = TestPki.proxy(user, false);
        for (Credential proxy : List.of(rfc, rfcOfRfc, legacy)) {
            ValidatedChain chain = validator.validate(proxy.chain(), Instant.now());
            assertThat(chain.endEntity()).isEqualTo(user.certificate());
            assertThat(chain.subject()).isEqualTo("/C=IT/O=Tessera Test/CN=Jane Doe");
        }
        assertThat(validator.validate(rfcOfRfc.chain(), Instant.now()).proxies()).hasSize(2);
        // Without the CA certificate in the presented chain (TLS clients often omit it).
        assertThat(validator.validate(List.of(rfc.certificate(), user.certificate()), Instant.now()).endEntity())
                .isEqualTo(user.certificate());
    }

    @Test
    void expiredProxyOrCertificateIsRefused() {
        Instant now = Instant.now();
        Credential expired = TestPki.proxy(user, true, now.minus(Duration.ofHours(2)), now.minus(Duration.ofHours(1)));
        assertThatThrownBy(() -> validator.validate(expired.chain(), now))
                .isInstanceOf(CertificateChainException.class).hasMessageContaining("expired");
        assertThatThrownBy(() -> validator.validate(user.chain(), now.plus(Duration.ofDays(40))))
                .hasMessageContaining("expired");
    }

    @Test
    void untrustedCaIsRefusedEvenWithTheSameName() {
        assertThatThrownBy(() -> validator.validate(stranger.chain(), Instant.now()))
                .isInstanceOf(CertificateChainException.class).hasMessageContaining("not issued by a trusted CA");
        assertThatThrownBy(() -> validator.validate(TestPki.proxy(stranger, true).chain(), Instant.now()))
                .hasMessageContaining("not issued by a trusted CA");
    }

    @Test
    void revokedCertificateIsRefused() {
        assertThatThrownBy(() -> validator.validate(revoked.chain(), Instant.now()))
                .hasMessageContaining("revoked");
        assertThatThrownBy(() -> validator.validate(TestPki.proxy(revoked, true).chain(), Instant.now()))
                .hasMessageContaining("revoked");
    }

    @Test
    void expiredCrlFailsClosed() throws Exception {
        Path other = dir.resolve("expired-crl");
        TestPki.installCa(other, ca.certificate(), TestPki.crl(ca, Duration.ofMinutes(-10)));
        CaDirectory cas = CaDirectory.load(other);
        assertThatThrownBy(() -> new ProxyChainValidator(() -> cas).validate(user.chain(), Instant.now()))
                .hasMessageContaining("CRL").hasMessageContaining("expired");
    }

    @Test
    void crlNotSignedByItsCaIsIgnored() throws Exception {
        Credential impostorCa = TestPki.ca("C=IT,O=Tessera Test,CN=Tessera Test CA");
        Path other = dir.resolve("forged-crl");
        TestPki.installCa(other, ca.certificate(), TestPki.crl(impostorCa, Duration.ofDays(1), user.certificate()));
        CaDirectory cas = CaDirectory.load(other);
        assertThat(cas.crlsFor(ca.certificate().getSubjectX500Principal())).isEmpty();
        assertThat(new ProxyChainValidator(() -> cas).validate(user.chain(), Instant.now()).endEntity())
                .isEqualTo(user.certificate());
    }

    @Test
    void forgedProxiesAreRefused() {
        Credential proxy = TestPki.proxy(user, true);
        // A proxy signed by someone else's key but claiming to be Jane's.
        Credential impostor = TestPki.proxy(stranger, true);
        List<X509Certificate> forged = new ArrayList<>(List.of(impostor.certificate(), user.certificate()));
        assertThatThrownBy(() -> validator.validate(forged, Instant.now()))
                .isInstanceOf(CertificateChainException.class);
        // A proxy alone, without the end-entity certificate.
        assertThatThrownBy(() -> validator.validate(List.of(proxy.certificate()), Instant.now()))
                .hasMessageContaining("proxy");
        // The CA certificate as a client certificate.
        assertThatThrownBy(() -> validator.validate(ca.chain(), Instant.now())).hasMessageContaining("CA");
        assertThatThrownBy(() -> validator.validate(List.of(), Instant.now())).hasMessageContaining("no client");
    }

    @Test
    void caDirectoryLoadsEachCaOnceUnderBothHashNames() throws Exception {
        CaDirectory cas = CaDirectory.load(dir.resolve("certificates"));
        assertThat(cas.all()).containsExactly(ca.certificate());
        assertThat(cas.crlsFor(ca.certificate().getSubjectX500Principal())).hasSize(1);
        assertThatThrownBy(() -> CaDirectory.load(dir.resolve("missing"))).hasMessageContaining("does not exist");
    }
}
