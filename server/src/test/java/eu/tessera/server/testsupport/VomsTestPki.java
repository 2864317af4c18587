package eu.tessera.server.testsupport;

import eu.tessera.voms.testpki.TestPki;
import eu.tessera.voms.testpki.TestPki.Credential;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The grid PKI of the integration tests, made once per JVM: a trusted test CA (IGTF directory with both hash
 * names and a CRL), the AA certificate for {@code localhost}, user certificates (alice's, linked by the tests;
 * an unlinked one; one from an untrusted CA with the same CA name), vomsdir and vomses files for the clients.
 */
public final class VomsTestPki {

    public static final String VO = "escape";

    private static VomsTestPki instance;

    public final Path dir;
    public final Credential ca;
    public final Credential aa;
    public final Credential alice;
    public final Credential nobody;
    public final Credential stranger;
    public final int port;
    /** Tessera's X.509 login port (TLS, asks for client certificates). */
    public final int x509Port;
    /** The VOMS port of the VO {@value #OWN_PORT_VO} ({@code tessera.voms.vo-ports}). */
    public final int voPort;
    /** A VO served on a port of its own. */
    public static final String OWN_PORT_VO = "lofar";

    private VomsTestPki(int port, int x509Port, int voPort) throws IOException {
        this.port = port;
        this.x509Port = x509Port;
        this.voPort = voPort;
        dir = Files.createTempDirectory("tessera-voms-pki");
        ca = TestPki.ca("C=IT,O=Tessera Test,CN=Tessera Test CA");
        aa = TestPki.endEntity(ca, "C=IT,O=Tessera Test,CN=localhost", true);
        alice = TestPki.endEntity(ca, "C=IT,O=Tessera Test,OU=Users,CN=Alice Member", false);
        nobody = TestPki.endEntity(ca, "C=IT,O=Tessera Test,OU=Users,CN=Nobody Known", false);
        Credential untrustedCa = TestPki.ca("C=IT,O=Tessera Test,CN=Tessera Test CA");
        stranger = TestPki.endEntity(untrustedCa, "C=IT,O=Tessera Test,OU=Users,CN=Alice Member", false);
        TestPki.installCa(dir.resolve("certificates"), ca.certificate(), TestPki.crl(ca, Duration.ofDays(2)));
        // as the README documents tessera.voms.certificate: the AA certificate, then its CA chain
        TestPki.write(dir.resolve("aa.pem"), aa.certificate(), ca.certificate());
        TestPki.write(dir.resolve("aa.key"), aa.key());
        TestPki.write(dir.resolve("ca.pem"), ca.certificate());
        writeUser("alice", alice);
        writeUser("nobody", nobody);
        writeUser("stranger", stranger);
        TestPki.writeLsc(dir.resolve("vomsdir"), VO, "localhost", aa.certificate());
        TestPki.writeVomses(dir.resolve("vomses"), VO, "localhost", port, aa.certificate());
    }

    private void writeUser(String name, Credential credential) throws IOException {
        TestPki.write(dir.resolve(name + ".pem"), credential.certificate());
        TestPki.write(dir.resolve(name + ".key"), credential.key());
    }

    /** The PKI, created on first use with a free port for the VOMS listener. */
    public static synchronized VomsTestPki get() {
        if (instance == null) {
            try {
                instance = new VomsTestPki(PostgresAndPortInitializer.freePort(),
                        PostgresAndPortInitializer.freePort(), PostgresAndPortInitializer.freePort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /** The server properties that enable the AA and X.509 login with this PKI. */
    public Map<String, Object> properties() {
        return Map.ofEntries(
                Map.entry("tessera.x509.login-enabled", "true"),
                Map.entry("tessera.x509.ca-directory", dir.resolve("certificates").toString()),
                Map.entry("tessera.x509.trusted-proxies", "127.0.0.2"),
                Map.entry("tessera.x509.port", x509Port),
                Map.entry("tessera.x509.certificate", dir.resolve("aa.pem").toString()),
                Map.entry("tessera.x509.private-key", dir.resolve("aa.key").toString()),
                Map.entry("tessera.voms.enabled", "true"),
                Map.entry("tessera.voms.vo", VO),
                Map.entry("tessera.voms.host", "localhost"),
                Map.entry("tessera.voms.port", port),
                Map.entry("tessera.voms.vo-ports." + OWN_PORT_VO, voPort),
                Map.entry("tessera.voms.bind-address", "127.0.0.1"),
                Map.entry("tessera.voms.certificate", dir.resolve("aa.pem").toString()),
                Map.entry("tessera.voms.private-key", dir.resolve("aa.key").toString()),
                Map.entry("tessera.voms.ca-directory", dir.resolve("certificates").toString()),
                Map.entry("tessera.voms.trusted-proxies", "127.0.0.2"));
    }

    /** A TLS client context presenting {@code client} (null: no certificate) and trusting only the test CA. */
    public SSLContext sslContext(Credential client) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        if (client != null) {
            keys.setKeyEntry("client", client.key(), new char[0], client.chain().toArray(Certificate[]::new));
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, new char[0]);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), new SecureRandom());
        return context;
    }

    /**
     * Sends raw request bytes to the VOMS TLS listener, authenticating with {@code client} (null: no client
     * certificate), trusting only the test CA; returns the whole response.
     */
    public String send(Credential client, byte[] request) throws Exception {
        SSLContext context = sslContext(client);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(20_000);
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A Java-client style request: {@code GET /generate-ac?<query> HTTP/1.1} with CRLF. */
    public String get(Credential client, String query) throws Exception {
        return send(client, ("GET /generate-ac?" + query + " HTTP/1.1\r\nHost: localhost:" + port
                + "\r\nUser-Agent: Java/17\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    }
}
