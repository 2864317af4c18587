package eu.tessera.server.config;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Bounds the request threads to the CPU: 8 per core, at least 16, instead of Tomcat's 200. Token issuance is
 * CPU-bound (RS256 signing), so 200 threads on 2 cores only compete for the CPU and stretch the tail: measured at 64
 * connections on 2 cores (bench/footprint.sh), p99 369 ms with 200 threads, 192 ms with 32, 104 ms with 16, at the same
 * throughput. Connections beyond the threads wait in Tomcat's queue (NIO keeps them open cheaply). An explicit
 * {@code server.tomcat.threads.max} ({@code SERVER_TOMCAT_THREADS_MAX}) wins.
 */
public class RequestThreadsDefault implements EnvironmentPostProcessor, Ordered {

    static final String PROPERTY = "server.tomcat.threads.max";

    static int threads(int cores) {
        return Math.max(16, 8 * cores);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.containsProperty(PROPERTY)) {
            environment.getPropertySources().addLast(new MapPropertySource("tesseraRequestThreads",
                    Map.of(PROPERTY, String.valueOf(threads(Runtime.getRuntime().availableProcessors())))));
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
