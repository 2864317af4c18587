package eu.tessera.server.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real OpenSSH {@code ssh-keygen} (Debian openssh-client, installed by bin/test): keys and fingerprints. */
public final class SshKeyGen {

    private SshKeyGen() {
    }

    /** A new public key line ({@code type base64 comment}) from {@code ssh-keygen -t type [-b bits]}. */
    public static String publicKey(String type, int bits, String comment) {
        try {
            Path dir = Files.createTempDirectory("sshkey");
            Path key = dir.resolve("id");
            run(bits > 0 ? List.of("ssh-keygen", "-q", "-t", type, "-b", String.valueOf(bits), "-N", "", "-C", comment,
                    "-f", key.toString()) : List.of("ssh-keygen", "-q", "-t", type, "-N", "", "-C", comment, "-f",
                    key.toString()));
            String line = Files.readString(dir.resolve("id.pub")).strip();
            Files.delete(key);
            Files.delete(dir.resolve("id.pub"));
            Files.delete(dir);
            return line;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code ssh-keygen -l -E sha256} of a public key line: {@code SHA256:...}. */
    public static String fingerprint(String publicKey) {
        try {
            Path file = Files.createTempFile("key", ".pub");
            Files.writeString(file, publicKey + "\n");
            String out = run(List.of("ssh-keygen", "-l", "-E", "sha256", "-f", file.toString()));
            Files.delete(file);
            return out.split(" ")[1];
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + ": " + out);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
