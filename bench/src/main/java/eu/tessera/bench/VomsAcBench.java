package eu.tessera.bench;

import eu.tessera.voms.AttributeAuthority;
import eu.tessera.voms.VomsAccount;
import eu.tessera.voms.ac.AttributeCertificateEncoder;
import eu.tessera.voms.fqan.FqanResolver;
import eu.tessera.voms.fqan.FqanResolver.Membership;
import eu.tessera.voms.pki.CaDirectory;
import eu.tessera.voms.pki.ProxyChainValidator;
import eu.tessera.voms.protocol.VomsRequest;
import eu.tessera.voms.protocol.VomsResponse;
import eu.tessera.voms.testpki.TestPki;
import eu.tessera.voms.testpki.TestPki.Credential;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * VOMS AC issuance benchmarks (not tests), driven by bench/voms.sh:
 * <ul>
 *   <li>{@code pki <dir>}: writes a test PKI (CA directory, AA and user credentials) for the server under test;</li>
 *   <li>{@code library <dir> <seconds>}: raw SHA256withRSA signatures/s of the AA's RSA-2048 key beside ACs/s of
 *       the encoder and of the whole attribute authority (chain validation, FQANs, encoding), on all cores;</li>
 *   <li>{@code tls <dir> <port> <seconds> <threads> <resume>}: ACs/s through Tessera's VOMS TLS listener, one
 *       request per connection as the clients do, with or without TLS session resumption.</li>
 * </ul>
 */
public final class VomsAcBench {

    private VomsAcBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        switch (args[0]) {
            case "pki" -> pki(dir);
            case "library" -> library(dir, Integer.parseInt(args[2]));
            case "tls" -> tls(dir, Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Boolean.parseBoolean(args[5]));
            default -> throw new IllegalArgumentException("pki | library | tls");
        }
    }

    private static void pki(Path dir) throws Exception {
        Credential ca = TestPki.ca("C=IT,O=Tessera Bench,CN=Tessera Bench CA");
        Credential aa = TestPki.endEntity(ca, "C=IT,O=Tessera Bench,CN=localhost", true);
        Credential user = TestPki.endEntity(ca, "C=IT,O=Tessera Bench,CN=Bench User", false);
        TestPki.installCa(dir.resolve("certificates"), ca.certificate(), TestPki.crl(ca, Duration.ofDays(1)));
        TestPki.write(dir.resolve("aa.pem"), aa.certificate());
        TestPki.write(dir.resolve("aa.key"), aa.key());
        TestPki.write(dir.resolve("ca.pem"), ca.certificate());
        TestPki.write(dir.resolve("user.pem"), user.certificate());
        TestPki.write(dir.resolve("user.key"), user.key());
        Files.writeString(dir.resolve("user.escaped"), java.net.URLEncoder.encode(
                TestPki.pem(user.certificate()), StandardCharsets.UTF_8));
    }

    private static Credential load(Path dir, String name) throws Exception {
        var factory = java.security.cert.CertificateFactory.getInstance("X.509");
        List<java.security.cert.X509Certificate> chain = new ArrayList<>();
        try (InputStream in = Files.newInputStream(dir.resolve(name + ".pem"))) {
            chain.add((java.security.cert.X509Certificate) factory.generateCertificate(in));
        }
        try (InputStream in = Files.newInputStream(dir.resolve("ca.pem"))) {
            chain.add((java.security.cert.X509Certificate) factory.generateCertificate(in));
        }
        String pem = Files.readString(dir.resolve(name + ".key"));
        byte[] der = java.util.Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        var key = java.security.KeyFactory.getInstance("RSA")
                .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(der));
        return new Credential(chain.get(0), key, chain);
    }

    private static void library(Path dir, int seconds) throws Exception {
        Credential aa = load(dir, "aa");
        Credential user = load(dir, "user");
        int cores = Runtime.getRuntime().availableProcessors();
        byte[] input = new byte[900];   // about the size of an AC's signed part
        ThreadLocal<Signature> signers = ThreadLocal.withInitial(() -> {
            try {
                Signature signer = Signature.getInstance("SHA256withRSA");
                signer.initSign(aa.key());
                return signer;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Runnable sign = () -> {
            try {
                Signature signer = signers.get();
                signer.update(input);
                signer.sign();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        AttributeCertificateEncoder encoder = new AttributeCertificateEncoder(aa.key(), List.of(aa.certificate()),
                "escape", "localhost", 15000);
        CaDirectory cas = CaDirectory.load(dir.resolve("certificates"));
        VomsAccount account = new VomsAccount("id", "bench", true, List.of(new Membership("/escape", false),
                new Membership("/escape/cms", false), new Membership("/escape/data-manager", true)), List.of(),
                Optional.empty());
        AttributeAuthority authority = new AttributeAuthority(new AttributeAuthority.Settings("escape",
                Duration.ofHours(12), Duration.ofHours(12), Duration.ofDays(15), null),
                new FqanResolver("escape", FqanResolver.OptionalGroupEncoding.ROLE, false), encoder,
                (s, i) -> Optional.of(account));
        ProxyChainValidator validator = new ProxyChainValidator(() -> cas);
        VomsRequest request = VomsRequest.parse("fqans=/escape/Role=data-manager&lifetime=3600");
        Runnable issue = () -> {
            try {
                VomsResponse response = authority.issue(validator.validate(user.chain(), Instant.now()), request,
                        Instant.now());
                if (!(response instanceof VomsResponse.Success)) {
                    throw new IllegalStateException(response.toXml());
                }
            } catch (eu.tessera.voms.pki.CertificateChainException e) {
                throw new IllegalStateException(e);
            }
        };
        rate(cores, 2, sign);
        double raw = rate(cores, seconds, sign);
        rate(cores, 2, issue);
        double library = rate(cores, seconds, issue);
        System.out.printf(Locale.ROOT, "raw_signatures_per_second %.0f%n", raw);
        System.out.printf(Locale.ROOT, "library_acs_per_second %.0f%n", library);
    }

    private static void tls(Path dir, int port, int seconds, int threads, boolean resume) throws Exception {
        Credential user = load(dir, "user");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("user", user.key(), new char[0], user.chain().toArray(Certificate[]::new));
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, new char[0]);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", user.chain().get(1));
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        byte[] request = ("GET /generate-ac?fqans=/escape&lifetime=3600 HTTP/1.1\r\nHost: localhost:" + port
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        ThreadLocal<SSLContext> contexts = ThreadLocal.withInitial(() -> {
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), new SecureRandom());
                if (!resume) {
                    context.getClientSessionContext().setSessionCacheSize(1);
                    context.getClientSessionContext().setSessionTimeout(1);
                }
                return context;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        AtomicLong failures = new AtomicLong();
        Runnable call = () -> {
            SSLContext context = resume ? contexts.get() : fresh(keyManagers, trustManagers);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                socket.setSoTimeout(30_000);
                OutputStream out = socket.getOutputStream();
                out.write(request);
                out.flush();
                String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                if (!response.startsWith("HTTP/1.1 200")) {
                    failures.incrementAndGet();
                }
            } catch (Exception e) {
                failures.incrementAndGet();
            }
        };
        rate(threads, 5, call);
        failures.set(0);
        double rate = rate(threads, seconds, call);
        System.out.printf(Locale.ROOT, "tls_%s_acs_per_second %.0f failures %d%n", resume ? "resumed" : "full", rate,
                failures.get());
    }

    private static SSLContext fresh(KeyManagerFactory keys, TrustManagerFactory trust) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), new SecureRandom());
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Operations per second on {@code threads} threads for {@code seconds}. */
    static double rate(int threads, int seconds, Runnable operation) throws Exception {
        AtomicLong count = new AtomicLong();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    operation.run();
                    count.incrementAndGet();
                }
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();
        return count.get() / ((System.nanoTime() - start) / 1e9);
    }
}
