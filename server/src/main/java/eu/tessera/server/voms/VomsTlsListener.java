package eu.tessera.server.voms;

import eu.tessera.voms.VomsError;
import eu.tessera.voms.protocol.LegacyProtocol;
import eu.tessera.voms.protocol.VomsResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Tessera's own VOMS TLS listener (default port 15000), serving {@code GET /generate-ac} to the real clients as
 * they behave: TLS client authentication with an end-entity certificate (voms-proxy-init3) or a proxy chain
 * (voms-proxy-init2's temporary RFC 3820 proxy), which the JDK's trust manager would refuse, so the chain is
 * accepted at the handshake and validated by {@link VomsService} against the CA directory before anything is
 * issued; one leading {@code '0'} character skipped (the GSI "no delegation" flag the C++ client writes before
 * its request: the ASCII digit, observed on the wire; a NUL byte is accepted too); HTTP/1.0 or
 * 1.1 with CRLF or bare LF line ends; raw {@code / = ,} in the query; the status line starts
 * {@code HTTP/1.1 200} on success, which the C++ client requires; after any other status line it retries with the
 * legacy XML protocol, which is answered too ({@link LegacyProtocol}). One request per connection.
 */
public class VomsTlsListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(VomsTlsListener.class);
    private static final int MAX_HEAD = 16 * 1024;

    private final VomsService service;
    private final String boundVo;
    private final String bindAddress;
    private final int port;
    private final Duration socketTimeout;
    private final SSLContext context;
    private final ThreadPoolExecutor workers;
    private volatile SSLServerSocket serverSocket;
    private volatile Thread acceptor;

    /**
     * @param boundVo the VO this port serves ({@code tessera.voms.vo-ports}); null: the shared port, where the
     *                request's FQANs or the account's memberships decide
     */
    public VomsTlsListener(VomsService service, String boundVo, String bindAddress, int port, Duration socketTimeout,
            int threads, PrivateKey key, List<X509Certificate> chain) {
        this.service = service;
        this.boundVo = boundVo;
        this.bindAddress = bindAddress;
        this.port = port;
        this.socketTimeout = socketTimeout;
        this.context = sslContext(key, chain);
        AtomicInteger count = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(threads * 8), r -> {
                    Thread thread = new Thread(r, "voms-tls-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    private static SSLContext sslContext(PrivateKey key, List<X509Certificate> chain) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = new char[0];
            store.setKeyEntry("voms", key, password, chain.toArray(Certificate[]::new));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), new TrustManager[] {new DeferredClientTrust()}, new SecureRandom());
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up the VOMS TLS listener: " + e.getMessage(), e);
        }
    }

    @Override
    public void start() {
        try {
            SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), port), 128);
            socket.setWantClientAuth(true);
            socket.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            serverSocket = socket;
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen for VOMS requests on " + bindAddress + ":" + port
                    + (boundVo == null ? " (tessera.voms.bind-address / tessera.voms.port): "
                    : " (tessera.voms.bind-address / tessera.voms.vo-ports." + boundVo + "): ") + e.getMessage(), e);
        }
        acceptor = new Thread(this::acceptLoop, "voms-tls-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        log.info("VOMS attribute authority listening with TLS on {}:{}{}", bindAddress, port,
                boundVo == null ? "" : " for the VO " + boundVo);
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            Socket client;
            try {
                client = serverSocket.accept();
            } catch (IOException e) {
                if (!serverSocket.isClosed()) {
                    log.warn("VOMS listener accept failed: {}", e.getMessage());
                }
                continue;
            }
            try {
                workers.execute(() -> serve((SSLSocket) client));
            } catch (RejectedExecutionException e) {
                closeQuietly(client);
            }
        }
    }

    private void serve(SSLSocket socket) {
        try (socket) {
            socket.setSoTimeout((int) socketTimeout.toMillis());
            socket.setTcpNoDelay(true);
            socket.startHandshake();
            List<X509Certificate> chain = new ArrayList<>();
            try {
                for (Certificate certificate : socket.getSession().getPeerCertificates()) {
                    chain.add((X509Certificate) certificate);
                }
            } catch (SSLPeerUnverifiedException e) {
                // no client certificate: answered below
            }
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            int first = in.read();
            if (first == '0' || first == 0) {
                first = in.read();   // the C++ client's GSI "no delegation" flag: the character '0' first
            }
            if (first == '<') {
                serveLegacy(chain, in, out);
                return;
            }
            String[] requestLine;
            try {
                requestLine = readHead(first, in);
            } catch (IOException e) {
                write(out, 400, new VomsResponse.Failure(VomsError.BadRequest, "Malformed HTTP request."));
                return;
            }
            String method = requestLine[0];
            String target = requestLine[1];
            int question = target.indexOf('?');
            String path = question < 0 ? target : target.substring(0, question);
            String query = question < 0 ? "" : target.substring(question + 1);
            VomsResponse response;
            int status;
            if (!"/generate-ac".equals(path)) {
                response = new VomsResponse.Failure(VomsError.BadRequest, "Unknown resource; use /generate-ac.");
                status = 404;
            } else if (!"GET".equals(method)) {
                response = new VomsResponse.Failure(VomsError.BadRequest, "Only GET is supported.");
                status = 405;
            } else if (chain.isEmpty()) {
                response = new VomsResponse.Failure(VomsError.BadRequest,
                        "A client certificate is required to get VOMS attributes.");
                status = 400;
            } else {
                response = service.generate(chain, () -> eu.tessera.voms.protocol.VomsRequest.parse(query), boundVo);
                status = response.httpStatus();
            }
            write(out, status, response);
        } catch (SocketException | javax.net.ssl.SSLException e) {
            log.debug("VOMS TLS connection failed: {}", e.getMessage());
        } catch (IOException e) {
            log.debug("VOMS TLS connection failed: {}", e.getMessage());
        } catch (RuntimeException e) {
            log.error("VOMS request failed", e);
        }
    }

    /**
     * The legacy XML protocol, which the C++ client falls back to when its REST request got no AC (any status
     * line but {@code HTTP/1.1 200}): answered through the same AA, so that the client shows the refusal's message.
     */
    private void serveLegacy(List<X509Certificate> chain, InputStream in, OutputStream out) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.write('<');
        while (!request.toString(StandardCharsets.ISO_8859_1).endsWith("</voms>")) {
            int b = in.read();
            if (b < 0 || request.size() > LegacyProtocol.MAX_REQUEST) {
                return;
            }
            request.write(b);
        }
        String xml = request.toString(StandardCharsets.ISO_8859_1);
        VomsResponse response = chain.isEmpty()
                ? new VomsResponse.Failure(VomsError.BadRequest, "A client certificate is required.")
                : service.generate(chain,
                        () -> LegacyProtocol.parseRequest(xml, boundVo != null ? boundVo : service.vo()), boundVo);
        out.write(LegacyProtocol.answer(response).getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads the request head: request line and headers, up to the empty line. Returns method and target. */
    static String[] readHead(int first, InputStream in) throws IOException {
        if (first < 0) {
            throw new IOException("connection closed before the request");
        }
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        line.write(first);
        String requestLine = null;
        int total = 1;
        for (int b = in.read(); ; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed in the request head");
            }
            if (++total > MAX_HEAD) {
                throw new IOException("request head too long");
            }
            if (b != '\n') {
                line.write(b);
                continue;
            }
            String text = line.toString(StandardCharsets.ISO_8859_1);
            if (text.endsWith("\r")) {
                text = text.substring(0, text.length() - 1);
            }
            line.reset();
            if (requestLine == null) {
                requestLine = text;
            } else if (text.isEmpty()) {
                break;
            }
        }
        String[] parts = requestLine.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.") || !parts[1].startsWith("/")) {
            throw new IOException("malformed request line");
        }
        return new String[] {parts[0], parts[1]};
    }

    private static void write(OutputStream out, int status, VomsResponse response) throws IOException {
        byte[] body = response.toXml().getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + reason(status) + "\r\n"
                + "Content-Type: text/xml; charset=UTF-8\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Cache-Control: no-store\r\n"
                + "Connection: close\r\n\r\n";
        // One write, one TLS record: head and body in two small writes meet the client's delayed ACK (Nagle),
        // which cost 40 ms per request.
        byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] message = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, message, 0, headBytes.length);
        System.arraycopy(body, 0, message, headBytes.length, body.length);
        out.write(message);
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            default -> "Internal Server Error";
        };
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void stop() {
        SSLServerSocket socket = serverSocket;
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        serverSocket = null;
    }

    @Override
    public boolean isRunning() {
        return serverSocket != null && !serverSocket.isClosed();
    }

    /** The bound port (useful when configured as 0). */
    public int localPort() {
        return serverSocket == null ? -1 : serverSocket.getLocalPort();
    }

    /**
     * Accepts any client chain during the handshake: proxy chains fail the JDK's PKIX checks, so trust is decided
     * after the handshake by {@link eu.tessera.voms.pki.ProxyChainValidator}, before any attribute is issued.
     * Announces no CA names, so that clients send their certificate whatever its issuer and get a clear answer.
     */
    static final class DeferredClientTrust extends X509ExtendedTrustManager {

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws
                java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("the VOMS listener is not a client");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws
                java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("the VOMS listener is not a client");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws
                java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("the VOMS listener is not a client");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
