package eu.tessera.server.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets at most {@code concurrency} requests run at once and makes the others wait their turn in the order they
 * arrived (a fair semaphore), so the CPU-bound protocol endpoints share the cores among a few requests at a time
 * instead of among every request thread. Tomcat alone is not fair: a thread that finished a response reads the next
 * request of the same keep-alive connection at once, so the connections whose threads are busy keep being served
 * while the others wait in its queue; fewer threads made that worse (bench/README.md: at 64 connections on 2 cores,
 * p99 320 ms with 4 threads, 88 ms with 16; 40-60 ms with this filter in front of 200 threads, p50 unchanged).
 *
 * <p>A request that waited {@code maxWait} is answered 503 with RFC 6749's {@code temporarily_unavailable} (JSON,
 * {@code Retry-After: 1}) instead of waiting on. Meters: {@code tessera.requests.active}, {@code .waiting} and
 * {@code .refused}.</p>
 */
public final class ConcurrencyLimitFilter extends OncePerRequestFilter {

    private static final byte[] BUSY = ("{\"error\":\"temporarily_unavailable\",\"error_description\":"
            + "\"the server is busy, retry in a second\"}").getBytes(StandardCharsets.UTF_8);

    private final int concurrency;
    private final Semaphore permits;
    private final long maxWaitNanos;
    private final Counter refused;

    public ConcurrencyLimitFilter(int concurrency, Duration maxWait, MeterRegistry meters) {
        this.concurrency = concurrency;
        this.permits = new Semaphore(concurrency, true);
        this.maxWaitNanos = maxWait.toNanos();
        Gauge.builder("tessera.requests.active", this, ConcurrencyLimitFilter::active)
                .description("protocol requests running (at most tessera.requests.concurrency)").register(meters);
        Gauge.builder("tessera.requests.waiting", this, ConcurrencyLimitFilter::waiting)
                .description("protocol requests waiting for their turn").register(meters);
        this.refused = Counter.builder("tessera.requests.refused")
                .description("protocol requests answered 503 after waiting tessera.requests.max-wait").register(meters);
    }

    public int concurrency() {
        return concurrency;
    }

    double active() {
        return concurrency - permits.availablePermits();
    }

    double waiting() {
        return permits.getQueueLength();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean admitted;
        try {
            admitted = permits.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            admitted = false;
        }
        if (!admitted) {
            refused.increment();
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            response.setHeader("Retry-After", "1");
            response.setHeader("Cache-Control", "no-store");
            response.setContentType("application/json");
            response.getOutputStream().write(BUSY);
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            permits.release();
        }
    }
}
