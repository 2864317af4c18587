package eu.tessera.server.voms;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** Reads PEM certificates and unencrypted private keys (PKCS#8 or PKCS#1), with errors naming the file. */
public final class PemFiles {

    private PemFiles() {
    }

    /**
     * Every certificate in a PEM file, in file order; other blocks (a proxy file's private key between its
     * certificates, as X509_USER_PROXY files have it) are skipped.
     */
    public static List<X509Certificate> certificates(Path file) throws IOException {
        List<X509Certificate> out = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            org.bouncycastle.cert.jcajce.JcaX509CertificateConverter converter =
                    new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter();
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof org.bouncycastle.cert.X509CertificateHolder holder) {
                    out.add(converter.getCertificate(holder));
                }
            }
        } catch (CertificateException | RuntimeException e) {
            throw new IOException(file + " is not a PEM certificate file: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new IOException(file + " contains no certificate");
        }
        return out;
    }

    /** The private key in a PEM file. */
    public static PrivateKey privateKey(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
                if (object instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
                if (object instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
            }
        }
        throw new IOException(file + " contains no unencrypted private key");
    }

    /** Whether an RSA certificate holds the public half of an RSA key (same modulus). */
    public static boolean matches(X509Certificate certificate, PrivateKey key) {
        return certificate.getPublicKey() instanceof java.security.interfaces.RSAPublicKey rsa
                && key instanceof java.security.interfaces.RSAKey rsaKey && rsa.getModulus().equals(rsaKey.getModulus());
    }

    /**
     * A certificate from a header value as TLS-terminating proxies send it: URL-encoded PEM (nginx
     * {@code $ssl_client_escaped_cert}), or PEM whose line breaks became spaces or tabs.
     */
    public static X509Certificate certificateFromHeader(String value) throws CertificateException {
        String text = value.contains("%") ? java.net.URLDecoder.decode(value, StandardCharsets.UTF_8) : value;
        int begin = text.indexOf("-----BEGIN CERTIFICATE-----");
        int end = text.indexOf("-----END CERTIFICATE-----");
        if (begin < 0 || end < begin) {
            throw new CertificateException("not a PEM certificate");
        }
        String base64 = text.substring(begin + "-----BEGIN CERTIFICATE-----".length(), end).replaceAll("\\s+", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new CertificateException("not a PEM certificate");
        }
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
    }
}
