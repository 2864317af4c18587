package eu.tessera.bench;

import eu.tessera.sync.HttpTransport;
import eu.tessera.sync.testing.RucioStandIn;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * For bench/sync.sh (not a test). {@code standin <port>}: runs the Rucio STAND-IN (Rucio cannot run here; the
 * stand-in follows its REST API) on a fixed port with userpass {@code root/tessera-sync/bench-rucio-password} until
 * killed, printing its account and request counts every 10 s. {@code baseline <url>}: the baseline, raw
 * {@code GET /accounts/{a}} calls per second against it with 4 client threads (the HTTP client and concurrency the
 * sync uses), 3 s warm-up then 5 s measured.
 * {@code clear-events <jdbc-url>}: drops the change events the filler caused, so the sync starts from a
 * reconciliation alone.
 */
public final class SyncBench {

    private SyncBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("clear-events")) {
            try (Connection connection = DriverManager.getConnection(args[1], "tessera", "");
                    Statement statement = connection.createStatement()) {
                System.out.println("dropped " + statement.executeUpdate("delete from sync_event") + " change events");
            }
            return;
        }
        if (args[0].equals("baseline")) {
            baseline(URI.create(args[1]));
            return;
        }
        int port = Integer.parseInt(args[1]);
        RucioStandIn rucio = new RucioStandIn(token -> null, port);
        rucio.addUserpass("root", "tessera-sync", "bench-rucio-password");
        System.out.println("Rucio stand-in at " + rucio.url());
        while (true) {
            Thread.sleep(10_000);
            System.out.println("stand-in: " + rucio.accountCount() + " accounts, " + rucio.requests() + " requests, "
                    + rucio.writes() + " writes");
        }
    }

    private static void baseline(URI rucio) throws Exception {
        HttpTransport http = new HttpTransport(Duration.ofSeconds(10));
        String token = http.send("GET", URI.create(rucio + "/auth/userpass"), null, Map.of("X-Rucio-Account",
                "root", "X-Rucio-Username", "tessera-sync", "X-Rucio-Password", "bench-rucio-password"))
                .header("X-Rucio-Auth-Token");
        AtomicLong calls = new AtomicLong();
        long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        long measureFrom = System.nanoTime() + Duration.ofSeconds(3).toNanos();   // 3 s warm-up
        AtomicLong measured = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                int i = 0;
                while (System.nanoTime() < end) {
                    try {
                        http.send("GET", URI.create(rucio + "/accounts/nobody" + (i++ % 1000)), null,
                                Map.of("X-Rucio-Auth-Token", token, "Accept", "application/json"));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    if (System.nanoTime() >= measureFrom) {
                        measured.incrementAndGet();
                    }
                    calls.incrementAndGet();
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        System.out.printf("baseline: raw GET /accounts/{a} against the stand-in, 4 threads: %.0f calls/s%n",
                measured.get() / 5.0);
    }
}
