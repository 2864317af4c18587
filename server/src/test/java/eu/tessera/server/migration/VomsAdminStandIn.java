package eu.tessera.server.migration;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import eu.tessera.voms.testpki.TestPki;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * A STAND-IN for VOMS-Admin's read-only REST API (VOMS-Admin cannot run here: no package), answering as VOMS-Admin
 * 3.8 does (italiangrid/voms "VOMS Admin REST API documentation" 3.8.1, voms-admin-server {@code ListUserResultJSON},
 * {@code VOMSUserJSON}, {@code CertificateJSON}, {@code AUPAcceptanceRecordJSON}): HTTPS only, a client certificate
 * or proxy required in the handshake (proxy chains accepted, as VOMS-Admin's CANL does), the end-entity's subject
 * must be a VO admin's (403 otherwise), the {@code X-VOMS-CSRF-GUARD} header must be present, possibly empty (the
 * documentation says so and {@code CSRFGuardHandler} refuses without it; the status VOMS-Admin's REST filter answers
 * is not documented: 403 here);
 * {@code GET /voms/<vo>/apiv2/users?startIndex=<0-based>&pageSize=<n>} answers {@code {count, startIndex, pageSize,
 * result}} with dates without an offset.
 */
public final class VomsAdminStandIn implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpsServer server;
    private final String vo;
    private final Set<String> admins;
    private volatile List<Map<String, Object>> users;

    public VomsAdminStandIn(String vo, List<Map<String, Object>> users, TestPki.Credential host,
            X509Certificate trustedCa, Set<String> adminSubjects) throws Exception {
        this.vo = vo;
        this.users = users;
        this.admins = adminSubjects;
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("host", host.key(), new char[0], host.chainArray());
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), new TrustManager[] {new ProxyTolerantTrust(trustedCa)},
                new SecureRandom());
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters parameters) {
                var ssl = context.getDefaultSSLParameters();
                ssl.setNeedClientAuth(true);
                parameters.setSSLParameters(ssl);
            }
        });
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "https://localhost:" + server.getAddress().getPort() + "/voms/" + vo;
    }

    public void users(List<Map<String, Object>> users) {
        this.users = users;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            Certificate[] peer = ((HttpsExchange) exchange).getSSLSession().getPeerCertificates();
            X509Certificate endEntity = null;
            for (Certificate c : peer) {
                X509Certificate x = (X509Certificate) c;
                if (x.getExtensionValue("1.3.6.1.5.5.7.1.14") == null) {   // not an RFC 3820 proxy
                    endEntity = x;
                    break;
                }
            }
            if (endEntity == null || !admins.contains(endEntity.getSubjectX500Principal().getName())) {
                send(exchange, 403, Map.of("error", "You do not have the permission to perform this operation"));
                return;
            }
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            send(exchange, 401, Map.of("error", "no client certificate"));
            return;
        }
        if (!exchange.getRequestHeaders().containsKey("X-VOMS-CSRF-GUARD")) {
            send(exchange, 403, Map.of("error", "CSRF guard header missing"));
            return;
        }
        String path = exchange.getRequestURI().getPath();
        if (!path.equals("/voms/" + vo + "/apiv2/users")) {
            send(exchange, 404, Map.of("error", "not found"));
            return;
        }
        Map<String, String> query = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                query.put(kv[0], kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        int start = Integer.parseInt(query.getOrDefault("startIndex", "0"));
        int size = Integer.parseInt(query.getOrDefault("pageSize", "100"));
        List<Map<String, Object>> all = users;
        List<Map<String, Object>> page = start >= all.size() ? List.of()
                : new ArrayList<>(all.subList(start, Math.min(all.size(), start + size)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", all.size());
        out.put("pageSize", size);
        out.put("result", page);
        out.put("startIndex", start);
        send(exchange, 200, out);
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** Accepts a client chain whose end-entity certificate the test CA issued, proxies in front of it included. */
    private static final class ProxyTolerantTrust extends X509ExtendedTrustManager {
        private final X509Certificate ca;

        ProxyTolerantTrust(X509Certificate ca) {
            this.ca = ca;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType)
                throws java.security.cert.CertificateException {
            for (X509Certificate c : chain) {
                if (c.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
                    try {
                        c.verify(ca.getPublicKey());
                        return;
                    } catch (java.security.GeneralSecurityException e) {
                        throw new java.security.cert.CertificateException("not signed by the trusted CA");
                    }
                }
            }
            throw new java.security.cert.CertificateException("no certificate of the trusted CA in the chain");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws java.security.cert.CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws java.security.cert.CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            throw new UnsupportedOperationException();
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[] {ca};
        }
    }
}
