package eu.tessera.server.testsupport;

import eu.tessera.saml.testing.TestMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * A real SAML IdP for the tests: Debian's SimpleSAMLphp 1.19 (installed by bin/test), served by {@code php -S} on
 * loopback, with a static user ({@link #USERNAME}) whose attributes it releases with their {@code urn:oid:} names.
 * Tessera is registered with it as SP from the test's issuer and SP certificate: it checks the signature of
 * Tessera's AuthnRequests, signs its Response and Assertion and encrypts the assertion to Tessera (its defaults:
 * AES-128-CBC, RSA-OAEP). Its own metadata ({@code /saml2/idp/metadata.php}: unsigned, no validUntil, no display
 * name) reaches Tessera as the {@code local} source pinned by its certificate's fingerprint ({@link TestSaml}). Asked
 * for the REFEDS MFA profile in the AuthnRequest, it asserts that context (as an IdP with MFA does); otherwise it
 * asserts PasswordProtectedTransport.
 */
public final class SimpleSamlPhpIdp {

    public static final String ENTITY_ID = "https://ssp.test.example/idp";
    public static final String DISPLAY_NAME = "SimpleSAMLphp Test University";
    public static final String USERNAME = "student";
    public static final String PASSWORD = "student-pass-7f3a";
    public static final String UNIQUE_ID = "student-4711@ssp.example.org";
    public static final String WWW = "/usr/share/simplesamlphp/www";
    /** The REFEDS MFA profile, which the IdP asserts when an AuthnRequest asks for it. */
    public static final String REFEDS_MFA = "https://refeds.org/profile/mfa";

    private static SimpleSamlPhpIdp instance;

    public final TestMetadata.Signer signer = TestMetadata.signer("SimpleSAMLphp Test IdP");
    public final int port = PostgresAndPortInitializer.freePort();
    private Path dir;
    private Process process;

    private SimpleSamlPhpIdp() {
    }

    public static synchronized SimpleSamlPhpIdp get() {
        if (instance == null) {
            instance = new SimpleSamlPhpIdp();
        }
        return instance;
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    public String ssoUrl() {
        return base() + "/saml2/idp/SSOService.php";
    }

    /** Starts it (once) with Tessera at {@code issuer} as its only SP. */
    public synchronized void start(String issuer, X509Certificate spCertificate) {
        if (process != null && process.isAlive()) {
            return;
        }
        if (!Files.isRegularFile(Path.of(WWW, "saml2/idp/SSOService.php"))) {
            throw new IllegalStateException("SimpleSAMLphp is not installed (Debian package simplesamlphp; bin/test "
                    + "installs it)");
        }
        try {
            dir = Files.createTempDirectory("tessera-ssp");
            for (String sub : new String[] {"config", "metadata", "cert", "tmp", "data", "log", "sessions"}) {
                Files.createDirectories(dir.resolve(sub));
            }
            Files.writeString(dir.resolve("cert/idp.crt"), TestSaml.pem("CERTIFICATE", signer.certificate().getEncoded()));
            Files.writeString(dir.resolve("cert/idp.pem"), TestSaml.pem("PRIVATE KEY", signer.key().getEncoded()));
            Files.writeString(dir.resolve("config/config.php"), "<?php\n$config = [\n"
                    + "  'baseurlpath' => '" + base() + "/',\n"
                    + "  'certdir' => '" + dir.resolve("cert") + "/',\n"
                    + "  'metadatadir' => '" + dir.resolve("metadata") + "/',\n"
                    + "  'tempdir' => '" + dir.resolve("tmp") + "',\n"
                    + "  'datadir' => '" + dir.resolve("data") + "/',\n"
                    + "  'loggingdir' => '" + dir.resolve("log") + "/',\n"
                    + "  'secretsalt' => '" + java.util.UUID.randomUUID() + "',\n"
                    + "  'auth.adminpassword' => '" + java.util.UUID.randomUUID() + "',\n"
                    + "  'admin.protectindexpage' => true,\n"
                    + "  'technicalcontact_email' => 'ops@ssp.example.org',\n"
                    + "  'timezone' => 'UTC',\n"
                    + "  'enable.saml20-idp' => true,\n"
                    + "  'session.cookie.secure' => false,\n"
                    + "  'session.cookie.name' => 'SimpleSAMLSessionID',\n"
                    + "  'session.phpsession.cookiename' => 'SSPPHPSESSID',\n"
                    + "  'session.phpsession.savepath' => '" + dir.resolve("sessions") + "',\n"
                    + "  'logging.handler' => 'file',\n"
                    + "  'logging.logfile' => 'ssp.log',\n"
                    + "  'logging.level' => SimpleSAML\\Logger::INFO,\n"
                    + "  'module.enable' => ['exampleauth' => true, 'core' => true, 'saml' => true],\n"
                    + "  'metadata.sources' => [['type' => 'flatfile']],\n"
                    + "  'store.type' => 'phpsession',\n];\n");
            Files.writeString(dir.resolve("config/authsources.php"), "<?php\n$config = [\n"
                    + "  'admin' => ['core:AdminPassword'],\n"
                    + "  'example-userpass' => ['exampleauth:UserPass',\n"
                    + "    '" + USERNAME + ":" + PASSWORD + "' => [\n"
                    + "      'uid' => ['" + USERNAME + "'],\n"
                    + "      'urn:oid:1.3.6.1.4.1.5923.1.1.1.13' => ['" + UNIQUE_ID + "'],\n"
                    + "      'urn:oid:1.3.6.1.4.1.5923.1.1.1.6' => ['student@ssp.example.org'],\n"
                    + "      'urn:oid:0.9.2342.19200300.100.1.3' => ['student@ssp.example.org'],\n"
                    + "      'urn:oid:2.5.4.42' => ['Stu'],\n"
                    + "      'urn:oid:2.5.4.4' => ['Dent'],\n"
                    + "      'urn:oid:1.3.6.1.4.1.5923.1.1.1.7' => ['urn:mace:ssp.example.org:entitlement:vo'],\n"
                    + "    ],\n  ],\n];\n");
            Files.writeString(dir.resolve("metadata/saml20-idp-hosted.php"), "<?php\n$metadata['" + ENTITY_ID
                    + "'] = [\n  'host' => '__DEFAULT__',\n  'privatekey' => 'idp.pem',\n"
                    + "  'certificate' => 'idp.crt',\n  'auth' => 'example-userpass',\n"
                    + "  'attributes.NameFormat' => 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri',\n"
                    // an IdP that does MFA when asked: a RequestedAuthnContext naming REFEDS MFA is answered with it
                    + "  'authproc' => [90 => ['class' => 'core:PHP', 'code' => '"
                    + "if (isset($state[\"saml:RequestedAuthnContext\"][\"AuthnContextClassRef\"]) && in_array("
                    + "\"" + REFEDS_MFA + "\", $state[\"saml:RequestedAuthnContext\"][\"AuthnContextClassRef\"], "
                    + "true)) { $state[\"saml:AuthnContextClassRef\"] = \"" + REFEDS_MFA + "\"; }']],\n];\n");
            Files.writeString(dir.resolve("metadata/saml20-sp-remote.php"), "<?php\n$metadata['" + issuer
                    + "/saml/metadata'] = [\n"
                    + "  'AssertionConsumerService' => '" + issuer + "/saml/acs',\n"
                    + "  'certData' => '" + base64(spCertificate).replace("\n", "") + "',\n"
                    + "  'validate.authnrequest' => true,\n"
                    + "  'assertion.encryption' => true,\n"
                    + "  'saml20.sign.response' => true,\n"
                    + "  'saml20.sign.assertion' => true,\n"
                    + "  'NameIDFormat' => 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',\n"
                    + "  'simplesaml.nameidattribute' => 'uid',\n"
                    + "  'attributes.NameFormat' => 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri',\n"
                    // an IdP that does MFA when asked: a RequestedAuthnContext naming REFEDS MFA is answered with it
                    + "  'authproc' => [90 => ['class' => 'core:PHP', 'code' => '"
                    + "if (isset($state[\"saml:RequestedAuthnContext\"][\"AuthnContextClassRef\"]) && in_array("
                    + "\"" + REFEDS_MFA + "\", $state[\"saml:RequestedAuthnContext\"][\"AuthnContextClassRef\"], "
                    + "true)) { $state[\"saml:AuthnContextClassRef\"] = \"" + REFEDS_MFA + "\"; }']],\n];\n");
            ProcessBuilder builder = new ProcessBuilder("php", "-S", "127.0.0.1:" + port, "-t", WWW)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("log/php-server.log").toFile());
            builder.environment().put("SIMPLESAMLPHP_CONFIG_DIR", dir.resolve("config").toString());
            process = builder.start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            awaitUp();
        } catch (IOException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot start SimpleSAMLphp", e);
        }
    }

    /** What SimpleSAMLphp logged (for failure messages). */
    public String log() {
        try {
            return Files.readString(dir.resolve("log/ssp.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void awaitUp() {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base()
                        + "/saml2/idp/metadata.php")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains(ENTITY_ID)) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("php -S exited: " + readQuietly(dir.resolve("log/php-server.log")));
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("SimpleSAMLphp did not answer within 30 s: " + log());
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String base64(X509Certificate certificate) {
        try {
            return Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
