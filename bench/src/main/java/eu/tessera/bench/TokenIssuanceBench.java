package eu.tessera.bench;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The baselines of the token benchmarks: the raw RS256 signing and verification rates of a 2048-bit RSA key
 * (the server's default key type and size) on all cores of this machine. bench/run.sh prints them beside
 * the issuance and introspection rates that wrk measures over HTTP in the same run. Not a test.
 *
 * <p>Argument: seconds. Output: {@code raw_signatures_per_second <rate>} and
 * {@code raw_verifications_per_second <rate>}.
 */
public final class TokenIssuanceBench {

    private TokenIssuanceBench() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(args[0]);
        int cores = Runtime.getRuntime().availableProcessors();
        rawRate(cores, 2, true);
        System.out.printf(Locale.ROOT, "raw_signatures_per_second %.0f%n", rawRate(cores, seconds, true));
        rawRate(cores, 2, false);
        System.out.printf(Locale.ROOT, "raw_verifications_per_second %.0f%n", rawRate(cores, seconds, false));
    }

    /** Signatures (or verifications) per second on {@code threads} threads. */
    static double rawRate(int threads, int seconds, boolean sign) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair key = generator.generateKeyPair();
        // about the size of a WLCG access token's signing input
        byte[] input = ("eyJraWQiOiJ4IiwidHlwIjoiYXQrand0IiwiYWxnIjoiUlMyNTYifQ." + "x".repeat(420))
                .getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(key.getPrivate());
        signer.update(input);
        byte[] signed = signer.sign();
        AtomicLong count = new AtomicLong();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                Signature signature = Signature.getInstance("SHA256withRSA");
                while (System.nanoTime() < end) {
                    if (sign) {
                        signature.initSign(key.getPrivate());
                        signature.update(input);
                        signature.sign();
                    } else {
                        signature.initVerify(key.getPublic());
                        signature.update(input);
                        if (!signature.verify(signed)) {
                            throw new IllegalStateException("verification failed");
                        }
                    }
                    count.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();
        return count.get() / ((System.nanoTime() - start) / 1e9);
    }
}
