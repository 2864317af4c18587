package eu.tessera.voms.testpki;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away grid PKI for tests, made with Bouncy Castle so that CI has no external state: a CA, an AA (VOMS
 * server) certificate for {@code localhost}, user certificates, RFC 3820 and legacy Globus proxies, CRLs, and the
 * files the VOMS clients read (IGTF CA directory with both hash names, vomsdir {@code .lsc}, vomses).
 */
public final class TestPki {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ASN1ObjectIdentifier PROXY_CERT_INFO = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.1.14");
    private static final ASN1ObjectIdentifier INHERIT_ALL = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.21.1");

    /** A certificate with its key. */
    public record Credential(X509Certificate certificate, PrivateKey key, List<X509Certificate> chain) {

        /** The chain in TLS order: this certificate first. */
        public X509Certificate[] chainArray() {
            return chain.toArray(X509Certificate[]::new);
        }
    }

    private TestPki() {
    }

    public static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed CA valid from an hour ago for 30 days. */
    public static Credential ca(String dn) {
        KeyPair keys = rsa();
        Instant now = Instant.now();
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(dn), serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))),
                    new X500Name(dn), keys.getPublic());
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    utils.createSubjectKeyIdentifier(keys.getPublic()));
            X509Certificate certificate = sign(builder, keys.getPrivate());
            return new Credential(certificate, keys.getPrivate(), List.of(certificate));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An end-entity certificate issued by {@code ca}; {@code host} adds DNS/IP names and serverAuth. */
    public static Credential endEntity(Credential ca, String dn, boolean host, Instant notBefore, Instant notAfter) {
        KeyPair keys = rsa();
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(), serial(),
                    Date.from(notBefore), Date.from(notAfter), new X500Name(dn), keys.getPublic());
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature
                    | KeyUsage.keyEncipherment | KeyUsage.dataEncipherment | KeyUsage.keyAgreement));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(host
                    ? new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}
                    : new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth}));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    utils.createSubjectKeyIdentifier(keys.getPublic()));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    utils.createAuthorityKeyIdentifier(ca.certificate()));
            if (host) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            }
            X509Certificate certificate = sign(builder, ca.key());
            return new Credential(certificate, keys.getPrivate(), List.of(certificate, ca.certificate()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static Credential endEntity(Credential ca, String dn, boolean host) {
        Instant now = Instant.now();
        return endEntity(ca, dn, host, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(10)));
    }

    /** An RFC 3820 proxy (ProxyCertInfo, inherit-all policy) or a legacy Globus proxy ({@code CN=proxy}). */
    public static Credential proxy(Credential issuer, boolean rfc3820, Instant notBefore, Instant notAfter) {
        KeyPair keys = rsa();
        try {
            X500Name issuerName = X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
            BigInteger serial = serial();
            String cn = rfc3820 ? serial.toString() : "proxy";
            org.bouncycastle.asn1.x500.RDN[] rdns = java.util.Arrays.copyOf(issuerName.getRDNs(),
                    issuerName.getRDNs().length + 1);
            rdns[rdns.length - 1] = new org.bouncycastle.asn1.x500.RDN(
                    org.bouncycastle.asn1.x500.style.BCStyle.CN, new org.bouncycastle.asn1.DERUTF8String(cn));
            X500Name subject = new X500Name(rdns);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName, serial,
                    Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic());
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.dataEncipherment));
            if (rfc3820) {
                ASN1EncodableVector info = new ASN1EncodableVector();
                info.add(new DERSequence(INHERIT_ALL));
                builder.addExtension(PROXY_CERT_INFO, true, new DERSequence(info));
            }
            X509Certificate certificate = sign(builder, issuer.key());
            List<X509Certificate> chain = new java.util.ArrayList<>();
            chain.add(certificate);
            chain.addAll(issuer.chain());
            return new Credential(certificate, keys.getPrivate(), List.copyOf(chain));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static Credential proxy(Credential issuer, boolean rfc3820) {
        Instant now = Instant.now();
        return proxy(issuer, rfc3820, now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofHours(12)));
    }

    /** A CRL of {@code ca} revoking the given certificates, current for {@code validity}. */
    public static X509CRL crl(Credential ca, Duration validity, X509Certificate... revoked) {
        try {
            Instant now = Instant.now();
            X509v2CRLBuilder builder = new X509v2CRLBuilder(
                    X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()),
                    Date.from(now.minus(Duration.ofHours(1))));
            builder.setNextUpdate(Date.from(now.plus(validity)));
            for (X509Certificate certificate : revoked) {
                builder.addCRLEntry(certificate.getSerialNumber(), Date.from(now.minus(Duration.ofMinutes(1))),
                        CRLReason.keyCompromise);
            }
            return new JcaX509CRLConverter().getCRL(builder.build(
                    new JcaContentSignerBuilder("SHA256withRSA").build(ca.key())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(key)));
    }

    private static BigInteger serial() {
        return new BigInteger(63, RANDOM).add(BigInteger.ONE);
    }

    // ---- files -------------------------------------------------------------------------------------

    public static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            if (object instanceof PrivateKey key) {
                writer.writeObject(new JcaPKCS8Generator(key, null));
            } else {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    /** Writes PEM objects to a file; private keys get mode 600 as the VOMS clients demand. */
    public static Path write(Path file, Object... objects) throws IOException {
        StringBuilder text = new StringBuilder();
        boolean secret = false;
        for (Object object : objects) {
            text.append(pem(object));
            secret |= object instanceof PrivateKey;
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, text.toString(), StandardCharsets.US_ASCII);
        if (secret) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        return file;
    }

    /**
     * Installs a CA in an IGTF-layout directory under its old (MD5, canl/Java) and new (SHA-1, OpenSSL/C++)
     * subject-hash names, with its CRL as {@code .r0} when given. The new hash comes from the openssl command.
     */
    public static void installCa(Path directory, X509Certificate ca, X509CRL crl) throws IOException {
        Files.createDirectories(directory);
        Path pem = write(directory.resolve("tmp-" + System.nanoTime() + ".pem"), ca);
        try {
            String oldHash = oldHash(ca);
            String newHash = openssl("x509", "-in", pem.toString(), "-noout", "-subject_hash");
            for (String hash : List.of(oldHash, newHash)) {
                Files.copy(pem, directory.resolve(hash + ".0"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                if (crl != null) {
                    write(directory.resolve(hash + ".r0"), crl);
                }
            }
        } finally {
            Files.deleteIfExists(pem);
        }
    }

    /** OpenSSL's old subject hash: the first four bytes of MD5(DER subject), little-endian. */
    public static String oldHash(X509Certificate certificate) {
        try {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(certificate.getSubjectX500Principal().getEncoded());
            long value = (md5[0] & 0xffL) | (md5[1] & 0xffL) << 8 | (md5[2] & 0xffL) << 16 | (md5[3] & 0xffL) << 24;
            return String.format("%08x", value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs openssl and returns its trimmed output. */
    public static String openssl(String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("openssl " + String.join(" ", args) + " failed: "
                        + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }

    /** The vomsdir {@code <vo>/<host>.lsc} file: AA subject then its issuer, slash form. */
    public static Path writeLsc(Path vomsdir, String vo, String host, X509Certificate aa) throws IOException {
        Path file = vomsdir.resolve(vo).resolve(host + ".lsc");
        Files.createDirectories(file.getParent());
        Files.writeString(file, eu.tessera.voms.pki.DistinguishedNames.canonical(aa.getSubjectX500Principal()) + "\n"
                + eu.tessera.voms.pki.DistinguishedNames.canonical(aa.getIssuerX500Principal()) + "\n");
        return file;
    }

    /** A vomses file with one entry. */
    public static Path writeVomses(Path file, String vo, String host, int port, X509Certificate aa)
            throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "\"" + vo + "\" \"" + host + "\" \"" + port + "\" \""
                + eu.tessera.voms.pki.DistinguishedNames.canonical(aa.getSubjectX500Principal()) + "\" \"" + vo + "\"\n");
        return file;
    }

    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

}
