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
                "spring.datasource.password", "")));
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
