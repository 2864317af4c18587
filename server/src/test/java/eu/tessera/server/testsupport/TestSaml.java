package eu.tessera.server.testsupport;

import com.sun.net.httpserver.HttpServer;
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
 * SAML metadata sources for the shared test server: {@code federation} (a signed file) and {@code edugain} (a signed
 * aggregate served over HTTP on loopback, SIRTFI required), both signed by a test federation key whose certificate is
 * written as PEM. Tests replace the documents to exercise refresh, tampering and expiry.
 */
public final class TestSaml {

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

    private static String pem(String type, byte[] der) {
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
        properties.put("tessera.saml.sp.technical-contact", "ops@example.org");
        properties.put("tessera.saml.sp.security-contact", "security@example.org");
        return properties;
    }
}
