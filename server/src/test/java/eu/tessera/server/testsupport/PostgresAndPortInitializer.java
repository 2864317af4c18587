package eu.tessera.server.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Points the server at a fresh database on the shared PostgreSQL server and at a free loopback port, and enables
 * the VOMS AA with the test PKI ({@link VomsTestPki}) and mail through GreenMail ({@link TestMail}).
 */
public class PostgresAndPortInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        String url = EmbeddedPostgresServer.newDatabase("tessera_it");   // PostgreSQL first: it takes its own port
        int port = freePort();
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("tessera-it-voms",
                VomsTestPki.get().properties()));
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("tessera-it-mail",
                TestMail.get().properties()));
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("tessera-it-oidc",
                UpstreamTessera.get().properties()));
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("tessera-it-saml",
                TestSaml.get().properties()));
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("tessera-it", Map.of(
                "server.port", port,
                "server.address", "127.0.0.1",
                "tessera.issuer", "http://127.0.0.1:" + port,
                "spring.datasource.url", url,
                "spring.datasource.username", "postgres",
                "spring.datasource.password", "",
                "tessera.keys.additional-jwks", OLD_SERVICE_JWKS.toString(),
                // passkeys need a domain as relying party id (not an IP address): the browser tests use localhost
                "tessera.mfa.passkeys.rp-id", "localhost",
                "tessera.mfa.passkeys.origins", "http://localhost:" + port)));
    }

    /** The kid of the "old service's" key the test server publishes beside its own (tessera.keys.additional-jwks). */
    public static final String OLD_SERVICE_KID = "old-iam-rsa1";

    /** A JWKS file as IAM keeps it: with the private key, of which the server must publish only the public part. */
    static final java.nio.file.Path OLD_SERVICE_JWKS = oldServiceJwks();

    private static java.nio.file.Path oldServiceJwks() {
        try {
            com.nimbusds.jose.jwk.RSAKey key = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048)
                    .keyID(OLD_SERVICE_KID).keyUse(com.nimbusds.jose.jwk.KeyUse.SIGNATURE)
                    .algorithm(com.nimbusds.jose.JWSAlgorithm.RS256).generate();
            java.nio.file.Path file = java.nio.file.Files.createTempFile("old-service", ".jwks");
            java.nio.file.Files.writeString(file, new com.nimbusds.jose.jwk.JWKSet(key).toString(false));
            file.toFile().deleteOnExit();
            return file;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A free loopback port, never one this JVM handed out before (those may not be bound yet). */
    public static int freePort() {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no fresh free port");
    }
}
