package eu.tessera.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import eu.tessera.server.testsupport.PostgresAndPortInitializer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trace propagation as the README's operations section documents it, on the jar: with
 * {@code MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT} set, Tessera continues the sampled W3C traces its
 * callers send and exports their spans over OTLP/HTTP (protobuf) to that endpoint; it starts no trace of its own
 * (sampling probability 0 by default) and exports nothing for a caller's unsampled trace. The collector here
 * records what it receives; the trace ids are found as their 16 raw bytes in the protobuf body.
 */
class TracingIT {

    @TempDir
    Path work;

    private record Export(String path, String contentType, byte[] body) {
    }

    @Test
    void sampledCallerTracesAreContinuedAndExportedOthersAreNot() throws Exception {
        List<Export> exports = new CopyOnWriteArrayList<>();
        HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/", exchange -> {
            exports.add(new Export(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"), exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        int port = PostgresAndPortInitializer.freePort();
        String base = "http://127.0.0.1:" + port;
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of("target", "tessera-server.jar").toAbsolutePath().toString(),
                "--server.port=" + port, "--server.address=127.0.0.1", "--tessera.issuer=" + base)
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(work.resolve("log").toFile());
        builder.environment().put("TESSERA_ADMIN_PASSWORD", "tracing-admin");
        builder.environment().put("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT",
                "http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/traces");
        builder.environment().put("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_SCHEDULE_DELAY", "100ms");
        Process server = builder.start();
        HttpClient http = HttpClient.newHttpClient();
        try {
            awaitHealthy(http, base, server);
            String discovery = base + "/.well-known/openid-configuration";

            // no traceparent, and a caller's unsampled trace: nothing leaves the server
            for (int i = 0; i < 10; i++) {
                assertThat(get(http, discovery, null)).isEqualTo(200);
            }
            String unsampledTrace = "0af7651916cd43dd8448eb211c80319c";
            assertThat(get(http, discovery, "00-" + unsampledTrace + "-b7ad6b7169203331-00")).isEqualTo(200);
            Thread.sleep(1500);   // 15 export intervals
            assertThat(exports).isEmpty();

            // a caller's sampled trace: continued (same trace id, the caller's span as parent) and exported
            String sampledTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
            String callerSpan = "00f067aa0ba902b7";
            assertThat(get(http, discovery, "00-" + sampledTrace + "-" + callerSpan + "-01")).isEqualTo(200);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (exports.stream().noneMatch(e -> contains(e.body(), sampledTrace)) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(exports).as("spans exported").isNotEmpty();
            Export export = exports.stream().filter(e -> contains(e.body(), sampledTrace)).findFirst().orElseThrow();
            assertThat(export.path()).isEqualTo("/v1/traces");
            assertThat(export.contentType()).isEqualTo("application/x-protobuf");
            assertThat(contains(export.body(), callerSpan)).as("parent span id of the server span").isTrue();
            assertThat(new String(export.body(), StandardCharsets.ISO_8859_1)).contains("/.well-known/openid-configuration");
            assertThat(exports).noneMatch(e -> contains(e.body(), unsampledTrace));
        } finally {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
            collector.stop(0);
        }
    }

    private static boolean contains(byte[] body, String hexId) {
        byte[] id = HexFormat.of().parseHex(hexId);
        outer:
        for (int i = 0; i + id.length <= body.length; i++) {
            for (int j = 0; j < id.length; j++) {
                if (body[i + j] != id[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static int get(HttpClient http, String url, String traceparent) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (traceparent != null) {
            request.header("traceparent", traceparent);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private void awaitHealthy(HttpClient http, String base, Process server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertThat(server.isAlive()).as("server exited: %s", log()).isTrue();
            try {
                if (get(http, base + "/actuator/health", null) == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not healthy in 120 s: " + log());
    }

    private String log() throws IOException {
        return java.nio.file.Files.readString(work.resolve("log"));
    }
}
