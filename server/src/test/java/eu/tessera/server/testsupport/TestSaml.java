package eu.tessera.server.testsupport;

import com.sun.net.httpserver.HttpServer;
import eu.tessera.saml.testing.TestIdp;
import eu.tessera.saml.testing.TestMetadata;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SAML metadata sources for the shared test server: {@code federation} (a signed file), {@code edugain} (a signed
 * aggregate served over HTTP on loopback, SIRTFI required) and {@code local} (the {@link SimpleSamlPhpIdp}), all
 * signed by a test federation key whose certificate is written as PEM. Tests replace the documents to exercise refresh, tampering and expiry.
 */
public final class TestSaml {

    /** An IdP of the federation file (not trusted). */
    public static final String IDP = "https://idp1.example1.org/idp/shibboleth";
    /** An IdP of the eduGAIN source (SIRTFI) whose users get accounts just in time. */
    public static final String TRUSTED_IDP = "https://idp3.example3.org/idp/shibboleth";

    private static TestSaml instance;

    public final Path dir;
    public final TestMetadata.Signer federationSigner = TestMetadata.signer("Test Federation");
    public final TestMetadata.Signer idpSigner = TestMetadata.signer("Test IdP");
    public final TestMetadata.Signer spSigner = TestMetadata.signer("Tessera SP");
    private final HttpServer server;

    private TestSaml() throws IOException, java.security.cert.CertificateEncodingException {
        dir = Files.createTempDirectory("tessera-saml");
        Files.writeString(dir.resolve("federation.pem"), "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(federationSigner.certificate()
                .getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        Files.writeString(dir.resolve("sp.pem"), pem("CERTIFICATE", spSigner.certificate().getEncoded()));
        Files.writeString(dir.resolve("sp.key"), pem("PRIVATE KEY", spSigner.key().getEncoded()));
        writeFederation(3, Duration.ofDays(7));
        writeEdugain(6, Duration.ofDays(7));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", exchange -> {
            try (exchange) {
                Path file = dir.resolve(exchange.getRequestURI().getPath().substring(1));
                if (!Files.isRegularFile(file)) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                byte[] body = Files.readAllBytes(file);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
    }

    /** A test IdP answering for {@code entityId} with the key the test metadata gives every IdP. */
    public TestIdp idp(String entityId) {
        return new TestIdp(entityId, idpSigner);
    }

    /** The AuthnRequest XML carried by an HTTP-Redirect URL. */
    public static String authnRequest(String redirectUrl) {
        String encoded = TesseraHttp.queryParameter(redirectUrl, "SAMLRequest").orElseThrow();
        java.io.ByteArrayOutputStream xml = new java.io.ByteArrayOutputStream();
        try (var in = new java.util.zip.InflaterInputStream(new java.io.ByteArrayInputStream(Base64.getDecoder()
                .decode(encoded)), new java.util.zip.Inflater(true))) {
            in.transferTo(xml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return xml.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The ID of the AuthnRequest carried by an HTTP-Redirect URL. */
    public static String requestId(String redirectUrl) {
        return authnRequest(redirectUrl).replaceAll("(?s).* ID=\"([^\"]+)\".*", "$1");
    }

    public static synchronized TestSaml get() {
        if (instance == null) {
            try {
                instance = new TestSaml();
            } catch (IOException | java.security.cert.CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
        return instance;
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    public void writeFederation(int idps, Duration validity) throws IOException {
        Files.write(dir.resolve("federation.xml"), TestMetadata.sign(TestMetadata.aggregate(idps,
                Instant.now().plus(validity), idpSigner.certificate()), federationSigner));
    }

    public void writeEdugain(int idps, Duration validity) throws IOException {
        Files.write(dir.resolve("edugain.xml"), TestMetadata.sign(TestMetadata.aggregate(idps,
                Instant.now().plus(validity), idpSigner.certificate()), federationSigner));
    }

    public Map<String, Object> properties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("tessera.saml.metadata[0].name", "federation");
        properties.put("tessera.saml.metadata[0].location", dir.resolve("federation.xml").toString());
        properties.put("tessera.saml.metadata[0].signing-certificate", dir.resolve("federation.pem").toString());
        properties.put("tessera.saml.metadata[1].name", "edugain");
        properties.put("tessera.saml.metadata[1].location", "http://127.0.0.1:" + server.getAddress().getPort()
                + "/edugain.xml");
        properties.put("tessera.saml.metadata[1].signing-certificate", dir.resolve("federation.pem").toString());
        properties.put("tessera.saml.metadata[1].require-sirtfi", "true");
        properties.put("tessera.saml.sp.certificate", dir.resolve("sp.pem").toString());
        properties.put("tessera.saml.sp.private-key", dir.resolve("sp.key").toString());
        // the SimpleSAMLphp IdP, outside any federation: its own unsigned metadata (no validUntil, no
        // mdui:DisplayName), trusted by its signing certificate's fingerprint, named by the source; it encrypts
        // with AES-128-CBC (SimpleSAMLphp 1.19's default), which this source allows
        SimpleSamlPhpIdp ssp = SimpleSamlPhpIdp.get();
        properties.put("tessera.saml.metadata[2].name", "local");
        properties.put("tessera.saml.metadata[2].location", ssp.base() + "/saml2/idp/metadata.php");
        properties.put("tessera.saml.metadata[2].idp-fingerprints", eu.tessera.saml.metadata.MetadataReader
                .fingerprint(ssp.signer.certificate()).toUpperCase().replaceAll("(..)(?!$)", "$1:"));
        properties.put("tessera.saml.metadata[2].display-name", SimpleSamlPhpIdp.DISPLAY_NAME);
        properties.put("tessera.saml.metadata[2].allow-cbc", "true");
        properties.put("tessera.saml.trusted-idps", TRUSTED_IDP);
        properties.put("tessera.saml.sp.technical-contact", "ops@example.org");
        properties.put("tessera.saml.sp.security-contact", "security@example.org");
        return properties;
    }
}
