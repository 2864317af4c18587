package eu.tessera.server.config;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The default issuer follows the HTTP port and address: {@code SERVER_PORT=9090} alone gives
 * {@code http://127.0.0.1:9090}, not an issuer on a port nothing listens on. An issuer that is set
 * ({@code TESSERA_ISSUER}, {@code tessera.issuer}) always wins; a random port ({@code 0}) has no issuer to derive,
 * so the start stops naming {@code TESSERA_ISSUER}.
 */
public class IssuerDefault implements EnvironmentPostProcessor, Ordered {

    static final String PROPERTY = "tessera.issuer";

    /** Set by {@code tessera import}: the server's configuration, but its web port a free one on 127.0.0.1. */
    public static final String IMPORT_MODE = "tessera.import.running";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        deriveIssuer(environment);
        if (environment.getProperty(IMPORT_MODE, Boolean.class, false)) {
            // after the issuer is known (mails of the import carry the real server's links), the web port goes to
            // a free one on this machine and the VOMS listener stays off, so the import runs beside a live server
            environment.getPropertySources().addFirst(new MapPropertySource("tesseraImportMode", Map.of(
                    "server.port", "0", "server.address", "127.0.0.1", "tessera.voms.listener-enabled", "false")));
        }
    }

    private static void deriveIssuer(ConfigurableEnvironment environment) {
        if (environment.containsProperty(PROPERTY)) {
            return;
        }
        String port = environment.getProperty("server.port", "8080").strip();
        if (port.equals("0")) {
            throw new IllegalStateException("server.port=0 (a random port) needs tessera.issuer (TESSERA_ISSUER): "
                    + "the issuer cannot be derived from it");
        }
        String address = environment.getProperty("server.address", "").strip();
        String host = address.isEmpty() || address.equals("0.0.0.0") || address.equals("::") ? "127.0.0.1"
                : address.contains(":") ? "[" + address + "]" : address;
        environment.getPropertySources().addLast(new MapPropertySource("tesseraDerivedIssuer",
                Map.of(PROPERTY, "http://" + host + ":" + port)));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;   // after the configuration files and the environment are read
    }
}
