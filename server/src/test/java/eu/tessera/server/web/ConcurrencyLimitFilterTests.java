package eu.tessera.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class ConcurrencyLimitFilterTests {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<String> entered = new CopyOnWriteArrayList<>();
    private final Map<String, CountDownLatch> release = new ConcurrentHashMap<>();
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger mostInside = new AtomicInteger();

    @AfterEach
    void stop() {
        release.values().forEach(CountDownLatch::countDown);
        threads.shutdownNow();
    }

    /** A chain that records the request's name (its URI) and holds it until {@code release.get(name)} opens. */
    private final FilterChain holding = (request, response) -> {
        String name = ((MockHttpServletRequest) request).getRequestURI();
        mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
        entered.add(name);
        try {
            release.computeIfAbsent(name, n -> new CountDownLatch(1)).await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inside.decrementAndGet();
        }
    };

    private Future<MockHttpServletResponse> send(ConcurrencyLimitFilter filter, String name) {
        release.computeIfAbsent(name, n -> new CountDownLatch(1));
        return threads.submit(() -> {
            MockHttpServletResponse response = new MockHttpServletResponse();
            filter.doFilter(new MockHttpServletRequest("POST", name), response, holding);
            return response;
        });
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            Thread.sleep(2);
        }
    }

    private double gauge(String name) {
        return meters.get(name).gauge().value();
    }

    @Test
    void requestsWhenMoreThanTheConcurrencyThenAtMostThatManyRunAndTheOthersInArrivalOrder() throws Exception {
        ConcurrencyLimitFilter filter = new ConcurrencyLimitFilter(2, Duration.ofSeconds(10), meters);
        send(filter, "/a");
        send(filter, "/b");
        await(() -> entered.size() == 2);
        for (String name : List.of("/c", "/d", "/e")) {
            int before = (int) filter.waiting();
            send(filter, name);
            await(() -> filter.waiting() == before + 1);
        }
        assertThat(gauge("tessera.requests.active")).isEqualTo(2);
        assertThat(gauge("tessera.requests.waiting")).isEqualTo(3);
        assertThat(entered).containsExactlyInAnyOrder("/a", "/b");

        release.get("/b").countDown();
        await(() -> entered.size() == 3);
        assertThat(entered.get(2)).isEqualTo("/c");
        assertThat(gauge("tessera.requests.waiting")).isEqualTo(2);
        release.get("/a").countDown();
        await(() -> entered.size() == 4);
        assertThat(entered.get(3)).isEqualTo("/d");
        release.get("/c").countDown();
        release.get("/d").countDown();
        release.get("/e").countDown();
        await(() -> entered.size() == 5 && filter.active() == 0);
        assertThat(entered.subList(2, 5)).containsExactly("/c", "/d", "/e");
        assertThat(mostInside).hasValue(2);
        assertThat(meters.get("tessera.requests.refused").counter().count()).isZero();
    }

    @Test
    void requestWhenItWaitedTheMaximumThen503TemporarilyUnavailableAndTheChainNeverCalled() throws Exception {
        ConcurrencyLimitFilter filter = new ConcurrencyLimitFilter(1, Duration.ofMillis(200), meters);
        Future<MockHttpServletResponse> first = send(filter, "/first");
        await(() -> entered.size() == 1);

        MockHttpServletResponse refused = send(filter, "/second").get(10, TimeUnit.SECONDS);
        assertThat(refused.getStatus()).isEqualTo(503);
        assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
        assertThat(refused.getHeader("Cache-Control")).isEqualTo("no-store");
        assertThat(refused.getContentType()).isEqualTo("application/json");
        assertThat(refused.getContentAsString()).isEqualTo("{\"error\":\"temporarily_unavailable\","
                + "\"error_description\":\"the server is busy, retry in a second\"}");
        assertThat(entered).containsExactly("/first");
        assertThat(meters.get("tessera.requests.refused").counter().count()).isEqualTo(1);

        release.get("/first").countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
        release.computeIfAbsent("/third", n -> new CountDownLatch(1)).countDown();
        assertThat(send(filter, "/third").get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
        assertThat(entered).containsExactly("/first", "/third");
    }

    @Test
    void chainWhenItFailsThenItsTurnIsGivenBack() throws Exception {
        ConcurrencyLimitFilter filter = new ConcurrencyLimitFilter(1, Duration.ofMillis(100), meters);
        FilterChain failing = (request, response) -> {
            throw new ServletException("endpoint failed");
        };
        assertThatThrownBy(() -> filter.doFilter(new MockHttpServletRequest("POST", "/token"),
                new MockHttpServletResponse(), failing)).hasMessage("endpoint failed");
        assertThat(filter.active()).isZero();
        release.computeIfAbsent("/next", n -> new CountDownLatch(1)).countDown();
        assertThat(send(filter, "/next").get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
        assertThat(entered).containsExactly("/next");
    }
}
