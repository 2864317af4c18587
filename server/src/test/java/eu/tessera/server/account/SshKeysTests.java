package eu.tessera.server.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.tessera.server.testsupport.SshKeyGen;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Keys made by the real ssh-keygen; fingerprints compared with what ssh-keygen -l prints. */
class SshKeysTests {

    @ParameterizedTest
    @CsvSource({"ed25519, 0", "ecdsa, 256", "ecdsa, 384", "ecdsa, 521", "rsa, 3072"})
    void keyFromSshKeygenThenAcceptedWithTheFingerprintSshKeygenPrints(String type, int bits) {
        String line = SshKeyGen.publicKey(type, bits, "jane@laptop");
        SshKeys.Parsed parsed = SshKeys.parse(line);
        assertThat(parsed.value()).isEqualTo(line);
        assertThat(parsed.comment()).isEqualTo("jane@laptop");
        assertThat(new SshKeys.Key("id", "a", "l", parsed.value(), parsed.fingerprint(), false, null, null).sha256())
                .isEqualTo(SshKeyGen.fingerprint(line));
        // IAM's stored form: standard Base64 with padding, 44 characters
        assertThat(parsed.fingerprint()).hasSize(44).endsWith("=");
        // the blob alone, as IAM accepted it: the same key, its type read from the blob
        String blob = line.split(" ")[1];
        assertThat(SshKeys.parse(blob).fingerprint()).isEqualTo(parsed.fingerprint());
        assertThat(SshKeys.parse(blob).value()).isEqualTo(line.substring(0, line.lastIndexOf(' ')));
    }

    @Test
    void badKeysThenRefusedSayingWhy() {
        String ed = SshKeyGen.publicKey("ed25519", 0, "c");
        String rsa = SshKeyGen.publicKey("rsa", 3072, "c");
        String blob = ed.split(" ")[1];
        assertThatThrownBy(() -> SshKeys.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> SshKeys.parse("ssh-ed25519 not*base64")).hasMessageContaining("not Base64");
        assertThatThrownBy(() -> SshKeys.parse("ssh-rsa " + blob)).hasMessageContaining("says ssh-rsa but the key "
                + "data is ssh-ed25519");
        assertThatThrownBy(() -> SshKeys.parse("ssh-ed25519 " + blob.substring(0, 40))).isInstanceOf(
                LinkException.class);
        byte[] raw = Base64.getDecoder().decode(blob);
        assertThatThrownBy(() -> SshKeys.parse("ssh-ed25519 " + Base64.getEncoder().encodeToString(
                java.util.Arrays.copyOf(raw, raw.length - 1)))).hasMessageContaining("cut short");
        assertThatThrownBy(() -> SshKeys.parse("ssh-ed25519 " + Base64.getEncoder().encodeToString(
                java.util.Arrays.copyOf(raw, raw.length + 4)))).hasMessageContaining("bytes after the key");
        assertThatThrownBy(() -> SshKeys.parse(SshKeyGen.publicKey("rsa", 1024, "weak")))
                .hasMessageContaining("RSA key of 1024 bits");
        assertThatThrownBy(() -> SshKeys.parse("ssh-dss AAAAB3NzaC1kc3MAAACBAP")).hasMessageContaining("DSA");
        assertThatThrownBy(() -> SshKeys.parse(ed + "\n" + rsa)).hasMessageContaining("one key on one line");
        assertThatThrownBy(() -> SshKeys.parse("-----BEGIN OPENSSH PRIVATE KEY-----")).hasMessageContaining(
                "never a private key");
        assertThatThrownBy(() -> SshKeys.parse("ssh-ed25519 " + "A".repeat(4000))).hasMessageContaining("longer");
        assertThat(SshKeys.parse(rsa).fingerprint()).isNotEqualTo(SshKeys.parse(ed).fingerprint());
    }
}
