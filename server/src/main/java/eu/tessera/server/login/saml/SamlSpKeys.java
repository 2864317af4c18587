package eu.tessera.server.login.saml;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.voms.PemFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Tessera's SAML SP keys ({@code tessera.saml.sp.*}), read once at start: the signing certificate and key (metadata,
 * AuthnRequests), the certificate IdPs encrypt to and the keys assertions are decrypted with. An unreadable file
 * stops the start with the property named, instead of failing every login.
 */
@Component
public class SamlSpKeys {

    private final X509Certificate signingCertificate;
    private final PrivateKey signingKey;
    private final X509Certificate encryptionCertificate;
    private final List<PrivateKey> decryptionKeys;

    public SamlSpKeys(TesseraProperties properties) {
        TesseraProperties.Saml.Sp sp = properties.saml().sp();
        if (!sp.configured()) {
            signingCertificate = null;
            signingKey = null;
            encryptionCertificate = null;
            decryptionKeys = List.of();
            return;
        }
        signingCertificate = certificate(sp.certificate(), "tessera.saml.sp.certificate");
        signingKey = key(sp.privateKey(), "tessera.saml.sp.private-key");
        encryptionCertificate = sp.encryptionCertificate() == null ? signingCertificate
                : certificate(sp.encryptionCertificate(), "tessera.saml.sp.encryption-certificate");
        List<PrivateKey> keys = new ArrayList<>();
        if (sp.encryptionPrivateKey() != null) {
            keys.add(key(sp.encryptionPrivateKey(), "tessera.saml.sp.encryption-private-key"));
        }
        keys.add(signingKey);
        decryptionKeys = List.copyOf(keys);
    }

    private static X509Certificate certificate(String file, String property) {
        try {
            return PemFiles.certificates(Path.of(file)).get(0);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(property + ": " + e.getMessage(), e);
        }
    }

    private static PrivateKey key(String file, String property) {
        try {
            return PemFiles.privateKey(Path.of(file));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(property + ": " + e.getMessage(), e);
        }
    }

    public X509Certificate signingCertificate() {
        return signingCertificate;
    }

    public PrivateKey signingKey() {
        return signingKey;
    }

    public X509Certificate encryptionCertificate() {
        return encryptionCertificate;
    }

    /** The encryption key (if configured apart), then the signing key. */
    public List<PrivateKey> decryptionKeys() {
        return decryptionKeys;
    }
}
