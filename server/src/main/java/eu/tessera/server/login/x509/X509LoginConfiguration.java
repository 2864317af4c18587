package eu.tessera.server.login.x509;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.voms.CaTrust;
import eu.tessera.server.voms.ProxyHeaderCertificates;
import eu.tessera.server.voms.TrustedProxies;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * X.509 login ({@code tessera.x509.login-enabled}): the CA directory, the trusted proxies and, with
 * {@code tessera.x509.port}, a second TLS port on Tessera's own server that asks browsers for a client certificate.
 * That port lets any certificate through the handshake ({@code optional_no_ca},
 * {@link AnyClientCertificateTrustManager}): Java's TLS stack refuses proxy certificates, so Tessera validates the
 * chain itself, against the CA directory, on every login.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "tessera.x509.login-enabled", havingValue = "true")
public class X509LoginConfiguration {

    @Bean
    X509Login x509Login(TesseraProperties properties, JdbcTemplate jdbc, Clock clock) throws IOException {
        TesseraProperties.X509 x509 = properties.x509();
        Path directory = Path.of(x509.caDirectory());
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("tessera.x509.ca-directory " + directory + " is not a directory");
        }
        return new X509Login(new CaTrust(directory, x509.caReloadPeriod()),
                new ProxyHeaderCertificates(new TrustedProxies(x509.trustedProxies())), jdbc, clock);
    }

    @Bean
    @ConditionalOnProperty(name = "tessera.x509.port")
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> x509Port(TesseraProperties properties) {
        TesseraProperties.X509 x509 = properties.x509();
        return factory -> {
            if (x509.port() <= 0) {
                return;
            }
            Connector connector = new Connector(Http11NioProtocol.class.getName());
            connector.setPort(x509.port());
            connector.setScheme("https");
            connector.setSecure(true);
            connector.setProperty("address", x509.bindAddress());
            Http11NioProtocol protocol = (Http11NioProtocol) connector.getProtocolHandler();
            protocol.setSSLEnabled(true);
            SSLHostConfig ssl = new SSLHostConfig();
            ssl.setCertificateVerification("optional_no_ca");
            ssl.setTrustManagerClassName(AnyClientCertificateTrustManager.class.getName());
            SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(ssl,
                    SSLHostConfigCertificate.Type.UNDEFINED);
            certificate.setCertificateFile(x509.certificate());
            certificate.setCertificateKeyFile(x509.privateKey());
            ssl.addCertificate(certificate);
            protocol.addSslHostConfig(ssl);
            factory.addAdditionalConnectors(connector);
        };
    }
}
