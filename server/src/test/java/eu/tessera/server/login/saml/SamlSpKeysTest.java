package eu.tessera.server.login.saml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.tessera.saml.testing.TestMetadata;
import eu.tessera.server.config.TesseraProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The SP keys are read once; a separate encryption key is tried first; a bad file names its property. */
class SamlSpKeysTest {

    @TempDir
    Path dir;

    private static TesseraProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("tessera", TesseraProperties.class);
    }

    private Path pem(String name, String type, byte[] der) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END " + type + "-----\n");
        return file;
    }

    @Test
    void keysReadOnceWithTheEncryptionKeyFirstAndBadFilesNamed() throws Exception {
        TestMetadata.Signer signing = TestMetadata.signer("sp");
        TestMetadata.Signer encryption = TestMetadata.signer("sp-enc");
        Map<String, String> config = Map.of(
                "tessera.saml.sp.certificate", pem("sp.pem", "CERTIFICATE", signing.certificate().getEncoded()).toString(),
                "tessera.saml.sp.private-key", pem("sp.key", "PRIVATE KEY", signing.key().getEncoded()).toString(),
                "tessera.saml.sp.encryption-certificate", pem("enc.pem", "CERTIFICATE",
                        encryption.certificate().getEncoded()).toString(),
                "tessera.saml.sp.encryption-private-key", pem("enc.key", "PRIVATE KEY",
                        encryption.key().getEncoded()).toString());
        SamlSpKeys keys = new SamlSpKeys(bind(config));
        assertThat(keys.signingCertificate()).isEqualTo(signing.certificate());
        assertThat(keys.encryptionCertificate()).isEqualTo(encryption.certificate());
        assertThat(keys.decryptionKeys()).containsExactly(encryption.key(), signing.key());

        assertThat(new SamlSpKeys(bind(Map.of())).decryptionKeys()).isEmpty();   // SAML off: nothing read
        Files.writeString(dir.resolve("broken.key"), "not a key");
        assertThatThrownBy(() -> new SamlSpKeys(bind(Map.of("tessera.saml.sp.certificate",
                config.get("tessera.saml.sp.certificate"), "tessera.saml.sp.private-key",
                dir.resolve("broken.key").toString())))).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("tessera.saml.sp.private-key");
    }
}
