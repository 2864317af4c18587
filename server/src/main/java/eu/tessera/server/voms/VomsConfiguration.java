package eu.tessera.server.voms;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.voms.AttributeAuthority;
import eu.tessera.voms.ac.AttributeCertificateEncoder;
import eu.tessera.voms.fqan.FqanResolver;
import eu.tessera.voms.pki.ProxyChainValidator;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** The VOMS attribute authority, when {@code tessera.voms.enabled}: both transports share one {@link VomsService}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "tessera.voms.enabled", havingValue = "true")
public class VomsConfiguration {

    /**
     * The AA's key and certificate chain, read once at start: the certificate of the key first (whatever its place
     * in the file), then the others (its CA chain, sent in the listener's TLS handshake).
     */
    public record AaCredential(PrivateKey key, List<X509Certificate> chain) {

        /** The AA certificate: the one relying parties' {@code .lsc} file describes. */
        public X509Certificate certificate() {
            return chain.get(0);
        }

        static AaCredential of(PrivateKey key, List<X509Certificate> certificates) {
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("tessera.voms.certificate holds no certificate");
            }
            if (!(key instanceof java.security.interfaces.RSAKey)) {
                return new AaCredential(key, List.copyOf(certificates));   // the encoder names what is wrong
            }
            List<X509Certificate> ordered = new java.util.ArrayList<>(certificates);
            X509Certificate own = certificates.stream().filter(c -> PemFiles.matches(c, key)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("tessera.voms.certificate holds no certificate "
                            + "of the key in tessera.voms.private-key"));
            ordered.remove(own);
            ordered.add(0, own);
            return new AaCredential(key, List.copyOf(ordered));
        }
    }

    @Bean
    AaCredential vomsAaCredential(TesseraProperties properties) throws IOException {
        TesseraProperties.Voms voms = properties.voms();
        return AaCredential.of(PemFiles.privateKey(Path.of(voms.privateKey())),
                PemFiles.certificates(Path.of(voms.certificate())));
    }

    @Bean
    CaTrust vomsCaTrust(TesseraProperties properties) throws IOException {
        return new CaTrust(Path.of(properties.voms().caDirectory()), properties.voms().caReloadPeriod());
    }

    @Bean
    VomsAccountLookup vomsAccountLookup(JdbcTemplate jdbc, Clock clock, TesseraProperties properties,
            eu.tessera.server.aup.AupService aup) {
        return new VomsAccountLookup(jdbc, clock, vo(properties), aup, properties.tokens().clientCacheTtl());
    }

    @Bean
    ServedVos vomsServedVos(JdbcTemplate jdbc, Clock clock, TesseraProperties properties,
            eu.tessera.server.aup.VoAupService addenda) {
        return new ServedVos(jdbc, clock, vo(properties), advertisedPort(properties), properties.voms().voPorts(),
                properties.tokens().clientCacheTtl(), addenda::expiry);
    }

    @Bean
    VomsService vomsService(TesseraProperties properties, AaCredential credential, CaTrust trust,
            VomsAccountLookup accounts, Clock clock, ServedVos vos) {
        TesseraProperties.Voms voms = properties.voms();
        String vo = vo(properties);
        String host = host(properties);
        int port = advertisedPort(properties);
        FqanResolver.OptionalGroupEncoding encoding;
        try {
            encoding = FqanResolver.OptionalGroupEncoding.valueOf(voms.optionalGroupFqan().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tessera.voms.optional-group-fqan must be ROLE or GROUP");
        }
        AttributeCertificateEncoder encoder;
        try {
            encoder = new AttributeCertificateEncoder(credential.key(), credential.chain(), vo, host, port);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tessera.voms.certificate / private-key: " + e.getMessage());
        }
        AttributeAuthority authority = new AttributeAuthority(
                new AttributeAuthority.Settings(vo, voms.effectiveDefaultLifetime(), voms.maxLifetime(),
                        voms.aupWarning(),
                        properties.baseUrl() + "/aup"),
                new FqanResolver(vo, encoding, voms.legacyFqanEncoding()), encoder, accounts, vos);
        return new VomsService(new ProxyChainValidator(trust), authority, clock, trust,
                properties.tokens().clientCacheTtl());
    }

    @Bean
    ProxyHeaderCertificates vomsProxyHeaderCertificates(TesseraProperties properties) {
        return new ProxyHeaderCertificates(new TrustedProxies(properties.voms().trustedProxies()));
    }

    @Bean
    @ConditionalOnProperty(name = "tessera.voms.listener-enabled", havingValue = "true", matchIfMissing = true)
    VomsTlsListener vomsTlsListener(VomsService service, AaCredential credential, TesseraProperties properties) {
        TesseraProperties.Voms voms = properties.voms();
        return new VomsTlsListener(service, null, voms.bindAddress(), voms.port(), voms.socketTimeout(),
                voms.listenerThreads(), credential.key(), credential.chain());
    }

    /** The listeners of VOs with a port of their own ({@code tessera.voms.vo-ports}), started and stopped together. */
    @Bean
    @ConditionalOnProperty(name = "tessera.voms.listener-enabled", havingValue = "true", matchIfMissing = true)
    VoListeners vomsVoListeners(VomsService service, AaCredential credential, TesseraProperties properties) {
        TesseraProperties.Voms voms = properties.voms();
        return new VoListeners(voms.voPorts().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .map(entry -> new VomsTlsListener(service, entry.getKey(), voms.bindAddress(), entry.getValue(),
                        voms.socketTimeout(), voms.listenerThreads(), credential.key(), credential.chain()))
                .toList());
    }

    /** Several VOMS TLS listeners as one lifecycle. */
    static final class VoListeners implements org.springframework.context.SmartLifecycle {

        private final List<VomsTlsListener> listeners;

        VoListeners(List<VomsTlsListener> listeners) {
            this.listeners = listeners;
        }

        @Override
        public void start() {
            listeners.forEach(VomsTlsListener::start);
        }

        @Override
        public void stop() {
            listeners.forEach(VomsTlsListener::stop);
        }

        @Override
        public boolean isRunning() {
            return !listeners.isEmpty() && listeners.stream().allMatch(VomsTlsListener::isRunning);
        }
    }

    /** The host in the policy authority {@code vo://host:port}: relying parties name the .lsc file after it. */
    static String host(TesseraProperties properties) {
        String host = properties.voms().host();
        return host != null && !host.isBlank() ? host : URI.create(properties.issuer()).getHost();
    }

    static int advertisedPort(TesseraProperties properties) {
        TesseraProperties.Voms voms = properties.voms();
        return voms.advertisedPort() > 0 ? voms.advertisedPort() : voms.port();
    }

    static String vo(TesseraProperties properties) {
        String vo = properties.voms().vo();
        return vo != null && !vo.isBlank() ? vo : properties.organisationName();
    }
}
