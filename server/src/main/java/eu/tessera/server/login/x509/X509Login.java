package eu.tessera.server.login.x509;

import eu.tessera.server.voms.CaTrust;
import eu.tessera.server.voms.ProxyHeaderCertificates;
import eu.tessera.voms.pki.CertificateChainException;
import eu.tessera.voms.pki.ProxyChainValidator;
import eu.tessera.voms.pki.ValidatedChain;
import jakarta.servlet.http.HttpServletRequest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The client certificate of a request, validated: from Tessera's own TLS port (the chain the client presented,
 * end-entity certificate and proxies, checked against the CA directory and its CRLs; the port itself accepts any
 * certificate so that proxies get through) or from a trusted TLS-terminating proxy's headers. Then the account it
 * is linked to.
 */
public class X509Login implements org.springframework.beans.factory.DisposableBean {

    /** What the request's certificate says. */
    public sealed interface Outcome {
    }

    /** No certificate came with the request. */
    public record NoCertificate() implements Outcome {
    }

    /** A certificate came but does not validate. */
    public record Invalid(String reason) implements Outcome {
    }

    /** A valid certificate, linked to {@code accountId} (null when linked to no account). */
    public record Valid(ValidatedChain chain, String accountId) implements Outcome {
    }

    private final CaTrust trust;
    private final ProxyChainValidator validator;
    private final ProxyHeaderCertificates headers;
    private final JdbcTemplate jdbc;
    private final Clock clock;

    public X509Login(CaTrust trust, ProxyHeaderCertificates headers, JdbcTemplate jdbc, Clock clock) {
        this.trust = trust;
        this.validator = new ProxyChainValidator(trust);
        this.headers = headers;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public Outcome authenticate(HttpServletRequest request) {
        List<X509Certificate> chain;
        if (request.getAttribute("jakarta.servlet.request.X509Certificate") instanceof X509Certificate[] presented
                && presented.length > 0) {
            chain = Arrays.asList(presented);
        } else {
            try {
                Optional<X509Certificate> endEntity = headers.endEntity(request);
                if (endEntity.isEmpty()) {
                    return new NoCertificate();
                }
                chain = List.of(endEntity.get());
            } catch (ProxyHeaderCertificates.HeaderException e) {
                return new Invalid(e.getMessage());
            }
        }
        ValidatedChain validated;
        try {
            validated = validator.validate(chain, clock.instant());
        } catch (CertificateChainException e) {
            return new Invalid(e.getMessage());
        }
        List<String> accounts = jdbc.queryForList("select account_id from account_certificate where subject_dn = ? "
                + "and issuer_dn = ?", String.class, validated.subject(), validated.issuer());
        return new Valid(validated, accounts.isEmpty() ? null : accounts.get(0));
    }

    @Override
    public void destroy() {
        trust.destroy();
    }
}
