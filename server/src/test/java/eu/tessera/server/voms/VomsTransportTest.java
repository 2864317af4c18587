package eu.tessera.server.voms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.tessera.voms.pki.CertificateChainException;
import eu.tessera.voms.pki.ProxyChainValidator;
import eu.tessera.voms.testpki.TestPki;
import eu.tessera.voms.testpki.TestPki.Credential;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The VOMS transports' building blocks without the server: trusted proxies, request heads, CA reloads. */
class VomsTransportTest {

    @TempDir
    Path dir;

    @Test
    void trustedProxiesMatchAddressesAndBlocksOnly() {
        TrustedProxies proxies = new TrustedProxies(List.of("10.0.0.0/8", "192.168.1.7", "fd00::/8", " "));
        assertThat(proxies.trusts("10.20.30.40")).isTrue();
        assertThat(proxies.trusts("192.168.1.7")).isTrue();
        assertThat(proxies.trusts("192.168.1.8")).isFalse();
        assertThat(proxies.trusts("11.0.0.1")).isFalse();
        assertThat(proxies.trusts("fd12::1")).isTrue();
        assertThat(proxies.trusts("not-an-address")).isFalse();
        assertThat(proxies.trusts(null)).isFalse();
        assertThat(new TrustedProxies(List.of()).trusts("127.0.0.1")).isFalse();
        assertThatThrownBy(() -> new TrustedProxies(List.of("proxy.example.org")))
                .hasMessageContaining("tessera.voms.trusted-proxies");
        assertThatThrownBy(() -> new TrustedProxies(List.of("10.0.0.0/40"))).hasMessageContaining("prefix");
    }

    @Test
    void requestHeadsWithCrlfOrBareLf() throws IOException {
        assertThat(head("GET /generate-ac?fqans=/escape HTTP/1.1\r\nHost: x\r\n\r\n"))
                .containsExactly("GET", "/generate-ac?fqans=/escape");
        assertThat(head("GET /generate-ac?fqans=/a,/b&order=/b HTTP/1.0\nUser-Agent: voms APIs 2.0\n\n"))
                .containsExactly("GET", "/generate-ac?fqans=/a,/b&order=/b");
        for (String bad : List.of("GET\n\n", "GET /x FTP/1.0\n\n", "GET x HTTP/1.1\n\n", "GET /x HTTP/1.1\n",
                "GET /" + "x".repeat(20_000) + " HTTP/1.1\n\n")) {
            assertThatThrownBy(() -> head(bad)).as(bad).isInstanceOf(IOException.class);
        }
    }

    private static String[] head(String text) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
        return VomsTlsListener.readHead(in.read(), in);
    }

    @Test
    void caDirectoryReloadSeesNewCrlsAndKeepsTheLastGoodCopy() throws Exception {
        Credential ca = TestPki.ca("C=IT,O=Tessera Test,CN=Reload CA");
        Credential user = TestPki.endEntity(ca, "C=IT,O=Tessera Test,CN=Reload User", false);
        Path certificates = dir.resolve("certificates");
        TestPki.installCa(certificates, ca.certificate(), null);
        CaTrust trust = new CaTrust(certificates, Duration.ofHours(1));
        try {
            ProxyChainValidator validator = new ProxyChainValidator(trust);
            assertThat(validator.validate(user.chain(), Instant.now()).endEntity()).isEqualTo(user.certificate());
            TestPki.installCa(certificates, ca.certificate(), TestPki.crl(ca, Duration.ofDays(1), user.certificate()));
            assertThat(trust.reload()).isTrue();
            assertThatThrownBy(() -> validator.validate(user.chain(), Instant.now()))
                    .isInstanceOf(CertificateChainException.class).hasMessageContaining("revoked");
            try (var files = Files.list(certificates)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(certificates);
            assertThat(trust.reload()).isFalse();
            assertThat(trust.get().all()).containsExactly(ca.certificate());
        } finally {
            trust.destroy();
        }
    }

    @Test
    void cachedValidationsDoNotOutliveACrlReload() throws Exception {
        Credential ca = TestPki.ca("C=IT,O=Tessera Test,CN=Cache CA");
        Credential aa = TestPki.endEntity(ca, "C=IT,O=Tessera Test,CN=localhost", true);
        Credential user = TestPki.endEntity(ca, "C=IT,O=Tessera Test,CN=Cache User", false);
        Path certificates = dir.resolve("cache-certificates");
        TestPki.installCa(certificates, ca.certificate(), null);
        CaTrust trust = new CaTrust(certificates, Duration.ofHours(1));
        try {
            eu.tessera.voms.VomsAccount account = new eu.tessera.voms.VomsAccount("id", "cache", true,
                    List.of(new eu.tessera.voms.fqan.FqanResolver.Membership("/escape", false)), List.of(),
                    java.util.Optional.empty());
            eu.tessera.voms.AttributeAuthority authority = new eu.tessera.voms.AttributeAuthority(
                    new eu.tessera.voms.AttributeAuthority.Settings("escape", Duration.ofHours(1), Duration.ofHours(1),
                            Duration.ofDays(1), null),
                    new eu.tessera.voms.fqan.FqanResolver("escape",
                            eu.tessera.voms.fqan.FqanResolver.OptionalGroupEncoding.ROLE, false),
                    new eu.tessera.voms.ac.AttributeCertificateEncoder(aa.key(), List.of(aa.certificate()), "escape",
                            "localhost", 15000), (subject, issuer) -> java.util.Optional.of(account));
            VomsService service = new VomsService(new ProxyChainValidator(trust), authority,
                    java.time.Clock.systemUTC(), trust, Duration.ofHours(1));
            assertThat(service.generate(user.chain(), "fqans=/escape"))
                    .isInstanceOf(eu.tessera.voms.protocol.VomsResponse.Success.class);
            TestPki.installCa(certificates, ca.certificate(), TestPki.crl(ca, Duration.ofDays(1), user.certificate()));
            assertThat(trust.reload()).isTrue();
            assertThat(service.generate(user.chain(), "fqans=/escape")).isInstanceOfSatisfying(
                    eu.tessera.voms.protocol.VomsResponse.Failure.class,
                    failure -> assertThat(failure.message()).contains("revoked"));
        } finally {
            trust.destroy();
        }
    }

    @Test
    void certificateHeadersInTheFormsProxiesSendThem() throws Exception {
        Credential ca = TestPki.ca("C=IT,O=Tessera Test,CN=Header CA");
        String pem = TestPki.pem(ca.certificate());
        assertThat(PemFiles.certificateFromHeader(java.net.URLEncoder.encode(pem, StandardCharsets.UTF_8)))
                .isEqualTo(ca.certificate());
        assertThat(PemFiles.certificateFromHeader(pem.replace("\n", " "))).isEqualTo(ca.certificate());
        assertThat(PemFiles.certificateFromHeader(pem.replace("\n", "\t"))).isEqualTo(ca.certificate());
        assertThatThrownBy(() -> PemFiles.certificateFromHeader("garbage"))
                .isInstanceOf(java.security.cert.CertificateException.class);
    }
}
