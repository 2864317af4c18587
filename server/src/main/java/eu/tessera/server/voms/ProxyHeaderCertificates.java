package eu.tessera.server.voms;

import jakarta.servlet.http.HttpServletRequest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * The client certificate a trusted TLS-terminating proxy (nginx with ngx_http_voms_module, as in front of INDIGO
 * IAM) passes in headers: {@code X-SSL-Client-Verify: SUCCESS} and the end-entity certificate in
 * {@code X-SSL-Client-EE-Cert} (or {@code X-ssl_client_ee_cert}), else {@code X-SSL-Client-Cert} when that is not a
 * proxy. Headers from any other address are ignored.
 */
public class ProxyHeaderCertificates {

    /** Why no certificate could be taken from the headers. */
    public static class HeaderException extends Exception {
        public HeaderException(String message) {
            super(message);
        }
    }

    private final TrustedProxies trustedProxies;
    /** Parsed certificates by header value (the same few certificates come again and again); bounded. */
    private final java.util.Map<String, X509Certificate> parsed = new java.util.concurrent.ConcurrentHashMap<>();

    public ProxyHeaderCertificates(TrustedProxies trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    /**
     * The end-entity certificate of the request's client.
     *
     * @return empty when the request does not come from a trusted proxy
     * @throws HeaderException when a trusted proxy sent no usable certificate
     */
    public Optional<X509Certificate> endEntity(HttpServletRequest request) throws HeaderException {
        if (!trustedProxies.trusts(request.getRemoteAddr())) {
            return Optional.empty();
        }
        if (!"SUCCESS".equalsIgnoreCase(String.valueOf(request.getHeader("X-SSL-Client-Verify")).strip())) {
            throw new HeaderException("The proxy did not verify a client certificate (X-SSL-Client-Verify).");
        }
        String value = firstHeader(request, "X-SSL-Client-EE-Cert", "X-ssl_client_ee_cert");
        boolean endEntityHeader = value != null;
        if (value == null) {
            value = request.getHeader("X-SSL-Client-Cert");
        }
        if (value == null || value.isBlank()) {
            throw new HeaderException("The proxy sent no client certificate (X-SSL-Client-Cert).");
        }
        X509Certificate certificate = parsed.get(value);
        if (certificate == null) {
            try {
                certificate = PemFiles.certificateFromHeader(value);
            } catch (CertificateException e) {
                throw new HeaderException("The client certificate header is not a PEM certificate.");
            }
            if (parsed.size() > 1000) {
                parsed.clear();
            }
            parsed.put(value, certificate);
        }
        if (!endEntityHeader && (certificate.getExtensionValue("1.3.6.1.5.5.7.1.14") != null
                || certificate.getSubjectX500Principal().getName().startsWith("CN=proxy,")
                || certificate.getSubjectX500Principal().getName().startsWith("CN=limited proxy,"))) {
            throw new HeaderException("The client certificate is a proxy: the proxy must also send the end-entity "
                    + "certificate (X-SSL-Client-EE-Cert).");
        }
        return Optional.of(certificate);
    }

    private static String firstHeader(HttpServletRequest request, String... names) {
        for (String name : names) {
            String value = request.getHeader(name);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
