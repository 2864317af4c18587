package eu.tessera.voms.testpki;

import eu.emi.security.authn.x509.CrlCheckingMode;
import eu.emi.security.authn.x509.NamespaceCheckingMode;
import eu.emi.security.authn.x509.OCSPCheckingMode;
import eu.emi.security.authn.x509.X509CertChainValidatorExt;
import eu.emi.security.authn.x509.proxy.ProxyCertificate;
import eu.emi.security.authn.x509.proxy.ProxyCertificateOptions;
import eu.emi.security.authn.x509.proxy.ProxyGenerator;
import eu.emi.security.authn.x509.proxy.ProxyType;
import java.nio.file.Path;
import java.util.List;
import org.bouncycastle.asn1.x509.AttributeCertificate;
import org.italiangrid.voms.VOMSValidators;
import org.italiangrid.voms.ac.VOMSACValidator;
import org.italiangrid.voms.ac.VOMSValidationResult;
import org.italiangrid.voms.store.impl.DefaultVOMSTrustStore;
import org.italiangrid.voms.util.CertificateValidatorBuilder;

/**
 * The relying-party oracle: puts an AC into an RFC 3820 proxy of its holder (as voms-proxy-init does, with canl)
 * and validates it with voms-api-java against a CA directory and a vomsdir of {@code .lsc} files.
 */
public final class VomsOracle {

    private VomsOracle() {
    }

    public static VOMSValidationResult validateInProxy(byte[] ac, TestPki.Credential holder, Path certificates,
            Path vomsdir) throws Exception {
        ProxyCertificateOptions options = new ProxyCertificateOptions(holder.chainArray());
        options.setType(ProxyType.RFC3820);
        options.setLifetime(3600);
        options.setAttributeCertificates(new AttributeCertificate[] {AttributeCertificate.getInstance(ac)});
        ProxyCertificate proxy = ProxyGenerator.generate(options, holder.key());
        X509CertChainValidatorExt chainValidator = new CertificateValidatorBuilder()
                .trustAnchorsDir(certificates.toString())
                .namespaceChecks(NamespaceCheckingMode.IGNORE).crlChecks(CrlCheckingMode.IGNORE)
                .ocspChecks(OCSPCheckingMode.IGNORE).lazyAnchorsLoading(false).build();
        VOMSACValidator validator = VOMSValidators.newValidator(
                new DefaultVOMSTrustStore(List.of(vomsdir.toString())), chainValidator);
        try {
            List<VOMSValidationResult> results = validator.validateWithResult(proxy.getCertificateChain());
            if (results.size() != 1) {
                throw new AssertionError("expected one AC in the proxy, found " + results.size());
            }
            return results.get(0);
        } finally {
            validator.shutdown();
        }
    }
}
