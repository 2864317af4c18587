package eu.tessera.voms.pki;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trust anchors of an IGTF-layout CA directory ({@code /etc/grid-security/certificates}): CA certificates in
 * {@code <hash>.N} files (the same CA usually under both the old MD5 and the new SHA-1 subject hash, loaded once)
 * and CRLs in {@code <hash>.rN} files. {@code .signing_policy} and {@code .namespaces} files are not required and
 * not read. An immutable snapshot: {@link #load(Path)} again to refresh.
 */
public final class CaDirectory {

    private static final Logger log = LoggerFactory.getLogger(CaDirectory.class);
    private static final Pattern CA_FILE = Pattern.compile("[0-9a-fA-F]{8}\\.[0-9]+");
    private static final Pattern CRL_FILE = Pattern.compile("[0-9a-fA-F]{8}\\.r[0-9]+");

    private final Path directory;
    private final Map<X500Principal, List<X509Certificate>> bySubject;
    private final Map<X500Principal, List<X509CRL>> crlsByIssuer;
    private final Instant loadedAt;

    private CaDirectory(Path directory, Map<X500Principal, List<X509Certificate>> bySubject,
            Map<X500Principal, List<X509CRL>> crlsByIssuer, Instant loadedAt) {
        this.directory = directory;
        this.bySubject = bySubject;
        this.crlsByIssuer = crlsByIssuer;
        this.loadedAt = loadedAt;
    }

    /** Reads every CA certificate and CRL in the directory; unreadable files are skipped with a warning. */
    public static CaDirectory load(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new IOException("CA directory " + directory + " does not exist");
        }
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
        Map<String, X509Certificate> unique = new LinkedHashMap<>();
        Map<X500Principal, List<X509CRL>> crls = new HashMap<>();
        java.util.Set<String> seenCrls = new java.util.HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                boolean ca = CA_FILE.matcher(name).matches();
                boolean crl = CRL_FILE.matcher(name).matches();
                if (!ca && !crl || !Files.isRegularFile(file)) {
                    continue;
                }
                try (InputStream in = Files.newInputStream(file)) {
                    if (ca) {
                        for (var certificate : factory.generateCertificates(in)) {
                            X509Certificate x509 = (X509Certificate) certificate;
                            if (x509.getBasicConstraints() < 0) {
                                log.warn("Skipping {}: not a CA certificate", file);
                                continue;
                            }
                            unique.putIfAbsent(fingerprint(x509), x509);
                        }
                    } else {
                        for (var item : factory.generateCRLs(in)) {
                            X509CRL x509Crl = (X509CRL) item;
                            if (!seenCrls.add(digest(x509Crl.getEncoded()))) {
                                continue;   // the same CRL under the other hash name
                            }
                            crls.computeIfAbsent(x509Crl.getIssuerX500Principal(), k -> new ArrayList<>()).add(x509Crl);
                        }
                    }
                } catch (CertificateException | java.security.cert.CRLException | IOException e) {
                    log.warn("Skipping unreadable file {} in the CA directory: {}", file, e.getMessage());
                }
            }
        }
        Map<X500Principal, List<X509Certificate>> bySubject = new HashMap<>();
        for (X509Certificate certificate : unique.values()) {
            bySubject.computeIfAbsent(certificate.getSubjectX500Principal(), k -> new ArrayList<>()).add(certificate);
        }
        // Keep only CRLs signed by their CA, checked once here rather than on every validation.
        Map<X500Principal, List<X509CRL>> verified = new HashMap<>();
        crls.forEach((issuer, list) -> {
            for (X509CRL crl : list) {
                boolean signed = bySubject.getOrDefault(issuer, List.of()).stream().anyMatch(ca -> verifies(crl, ca));
                if (signed) {
                    verified.computeIfAbsent(issuer, k -> new ArrayList<>()).add(crl);
                } else {
                    log.warn("Ignoring a CRL of {} in {}: not signed by that CA", issuer.getName(), directory);
                }
            }
        });
        crls = verified;
        log.info("Loaded {} CA certificates and {} CRLs from {}", unique.size(),
                crls.values().stream().mapToInt(List::size).sum(), directory);
        return new CaDirectory(directory, Map.copyOf(bySubject), Map.copyOf(crls), Instant.now());
    }

    private static boolean verifies(X509CRL crl, X509Certificate ca) {
        try {
            crl.verify(ca.getPublicKey());
            return true;
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }

    private static String fingerprint(X509Certificate certificate) {
        try {
            return digest(certificate.getEncoded());
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String digest(byte[] encoded) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(encoded));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** CA certificates with this subject (several during a CA key rollover). */
    public List<X509Certificate> casFor(X500Principal subject) {
        return bySubject.getOrDefault(subject, List.of());
    }

    /** CRLs issued by this CA, each verified with one of the CA's keys at load time. */
    public List<X509CRL> crlsFor(X500Principal issuer) {
        return crlsByIssuer.getOrDefault(issuer, List.of());
    }

    /** Every CA certificate. */
    public Collection<X509Certificate> all() {
        return bySubject.values().stream().flatMap(List::stream).toList();
    }

    public Path directory() {
        return directory;
    }

    public Instant loadedAt() {
        return loadedAt;
    }
}
