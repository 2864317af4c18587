package eu.tessera.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An open-loop (fixed-rate) driver for client_credentials issuance: requests are sent on a schedule whatever the
 * answers do, and each latency counts from the moment its request was due, so a stall shows as the delay of every
 * request it held up (no coordinated omission, unlike a closed-loop tool such as wrk). Prints the rate reached,
 * p50, p99, max and errors.
 *
 * <p>Usage: {@code OpenLoopBench <token URL> <client id> <secret> <requests per second> <seconds> [warm-up seconds]}
 * (warm-up 10 s by default: requests at the same rate first, not recorded)</p>
 */
public final class OpenLoopBench {

    private OpenLoopBench() {
    }

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        String basic = "Basic " + Base64.getEncoder().encodeToString((args[1] + ":" + args[2])
                .getBytes(StandardCharsets.UTF_8));
        int rate = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
                .header("Authorization", basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=storage.read:/escape"))
                .build();
        // the driver's own warm-up (its JIT and HttpClient connections), at the same rate, not recorded: a cold driver
        // stalls by itself and its stalls would count as the server's
        onSchedule(http, request, rate, rate * Integer.parseInt(args.length > 5 ? args[5] : "10"), (due, response) -> {
        });
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicInteger errors = new AtomicInteger();
        long start = System.nanoTime();
        onSchedule(http, request, rate, rate * seconds, (due, response) -> {
            latencies.add(System.nanoTime() - due);
            if (response == null || response.statusCode() != 200) {
                errors.incrementAndGet();
            }
        });
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("open loop at %d requests/s for %d s: %.0f requests/s answered, p50 %.1f ms, p99 %.1f ms, "
                + "max %.1f ms, errors %d%n", rate, seconds, sorted.length / elapsed, at(sorted, 0.50), at(sorted, 0.99),
                sorted[sorted.length - 1] / 1e6, errors.get());
    }

    /**
     * Sends {@code count} requests at {@code rate} per second on a fixed schedule, whatever the answers do, and waits
     * for all; {@code done} gets each request's due time (System.nanoTime) and its response (null on failure).
     */
    private static void onSchedule(HttpClient http, HttpRequest request, int rate, int count,
            java.util.function.BiConsumer<Long, HttpResponse<Void>> done) throws InterruptedException {
        long interval = 1_000_000_000L / rate;
        CompletableFuture<?>[] pending = new CompletableFuture<?>[count];
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            pending[i] = http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, e) -> done.accept(due, e == null ? response : null));
        }
        CompletableFuture.allOf(pending).exceptionally(e -> null).join();
    }

    private static double at(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }
}
