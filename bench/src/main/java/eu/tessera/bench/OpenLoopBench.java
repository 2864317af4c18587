package eu.tessera.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An open-loop (fixed-rate) driver for client_credentials issuance: requests are due on a schedule whatever the
 * answers do, and each latency counts from the moment its request was due, so a stall shows as the delay of every
 * request it held up (no coordinated omission, unlike a closed-loop tool such as wrk). Prints the rate reached,
 * p50, p99, max and errors.
 *
 * <p>Plain HTTP/1.1 over a pool of 64 keep-alive sockets, one thread each, taking due requests in order (a request
 * due while every socket is busy waits, and that wait counts). The JDK's HttpClient cost 0.65 ms of CPU per request
 * (0.6 of the 2 cores at 900 requests/s, next to the server it measures); this costs a fraction of that.</p>
 *
 * <p>Usage: {@code OpenLoopBench <token URL> <client id> <secret> <requests per second> <seconds> [warm-up seconds]}
 * (warm-up 10 s by default: requests at the same rate first, not recorded)</p>
 */
public final class OpenLoopBench {

    private static final int SOCKETS = 64;
    private static final long STOP = Long.MIN_VALUE;

    private OpenLoopBench() {
    }

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        String body = "grant_type=client_credentials&scope=storage.read:/escape";
        byte[] request = ("POST " + url.getRawPath() + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                + "\r\nAuthorization: Basic " + Base64.getEncoder().encodeToString((args[1] + ":" + args[2])
                        .getBytes(StandardCharsets.UTF_8))
                + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length()
                + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
        InetSocketAddress server = new InetSocketAddress(url.getHost(), url.getPort());
        int rate = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        // the driver's own warm-up (its JIT and sockets), at the same rate, not recorded
        run(server, request, rate, rate * Integer.parseInt(args.length > 5 ? args[5] : "10"));
        long start = System.nanoTime();
        Result result = run(server, request, rate, rate * seconds);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] sorted = result.latencies.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "open loop at %d requests/s for %d s: %.0f requests/s answered, p50 %.1f ms, "
                + "p99 %.1f ms, max %.1f ms, errors %d%n", rate, seconds, sorted.length / elapsed, at(sorted, 0.50),
                at(sorted, 0.99), sorted[sorted.length - 1] / 1e6, result.errors.get());
    }

    private record Result(long[] latencies, AtomicInteger errors) {
    }

    /** Makes {@code count} requests due at {@code rate} per second and waits for every answer. */
    private static Result run(InetSocketAddress server, byte[] request, int rate, int count) throws Exception {
        BlockingQueue<long[]> due = new LinkedBlockingQueue<>();
        Result result = new Result(new long[count], new AtomicInteger());
        Thread[] workers = new Thread[SOCKETS];
        for (int w = 0; w < SOCKETS; w++) {
            workers[w] = new Thread(() -> work(server, request, due, result), "open-loop-" + w);
            workers[w].start();
        }
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long at = start + i * interval;
            long wait = at - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            due.add(new long[] {i, at});
        }
        for (int w = 0; w < SOCKETS; w++) {
            due.add(new long[] {STOP, 0});
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return result;
    }

    private static void work(InetSocketAddress server, byte[] request, BlockingQueue<long[]> due, Result result) {
        Socket socket = null;
        InputStream in = null;
        try {
            while (true) {
                long[] next = due.take();
                if (next[0] == STOP) {
                    break;
                }
                int status;
                try {
                    if (socket == null) {
                        socket = new Socket();
                        socket.setTcpNoDelay(true);
                        socket.connect(server, 5000);
                        socket.setSoTimeout(30_000);
                        in = new BufferedInputStream(socket.getInputStream(), 16384);
                    }
                    OutputStream out = socket.getOutputStream();
                    out.write(request);
                    out.flush();
                    Response response = Response.read(in);
                    status = response.status;
                    if (response.close) {
                        socket.close();
                        socket = null;
                    }
                } catch (IOException e) {
                    status = -1;
                    if (socket != null) {
                        socket.close();
                    }
                    socket = null;
                }
                result.latencies[(int) next[0]] = System.nanoTime() - next[1];
                if (status != 200) {
                    result.errors.incrementAndGet();
                }
            }
            if (socket != null) {
                socket.close();
            }
        } catch (InterruptedException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An HTTP/1.1 response read to its end: Content-Length or chunked. */
    private record Response(int status, boolean close) {

        static Response read(InputStream in) throws IOException {
            String statusLine = line(in);
            int status = Integer.parseInt(statusLine.substring(9, 12));
            int length = -1;
            boolean chunked = false;
            boolean close = false;
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    close = true;
                }
            }
            if (chunked) {
                for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16); size > 0;
                        size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
                    skip(in, size);
                    line(in);
                }
                line(in);
            } else if (length > 0) {
                skip(in, length);
            }
            return new Response(status, close);
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed mid-response");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        private static void skip(InputStream in, int n) throws IOException {
            for (int left = n; left > 0; ) {
                long skipped = in.skip(left);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("connection closed mid-body");
                    }
                    skipped = 1;
                }
                left -= (int) skipped;
            }
        }
    }

    private static double at(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }
}
