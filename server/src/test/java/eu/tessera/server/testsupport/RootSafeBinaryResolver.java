package eu.tessera.server.testsupport;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

/**
 * PostgreSQL refuses to run as root, and CI runs as root. When the test JVM is root, this resolver repacks
 * zonky's PostgreSQL binaries so that {@code initdb}, {@code pg_ctl} and {@code postgres} are small wrappers
 * that hand the data directory to {@code nobody} and run the real binary (renamed {@code *.real}) as that user.
 * Otherwise the binaries are used unchanged. Test support only.
 */
final class RootSafeBinaryResolver implements PgBinaryResolver {

    private static final Set<String> WRAPPED = Set.of("bin/initdb", "bin/pg_ctl", "bin/postgres");
    private static final String WRAPPER = """
            #!/bin/sh
            # test support: run PostgreSQL as nobody when started by root
            real="$0.real"
            if [ "$(id -u)" != 0 ]; then exec "$real" "$@"; fi
            prev=""
            for arg in "$@"; do
              if [ "$prev" = "-D" ]; then chown -R 65534:65534 "$arg"; chmod 700 "$arg"; fi
              prev="$arg"
            done
            exec setpriv --reuid=65534 --regid=65534 --clear-groups "$real" "$@"
            """;

    static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    @Override
    public InputStream getPgBinary(String system, String machineHardware) throws IOException {
        InputStream original = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware);
        if (!runningAsRoot()) {
            return original;
        }
        ByteArrayOutputStream repacked = new ByteArrayOutputStream(64 << 20);
        try (TarArchiveInputStream in = new TarArchiveInputStream(new XZInputStream(original));
                TarArchiveOutputStream out = new TarArchiveOutputStream(
                        new XZOutputStream(repacked, new LZMA2Options(0)))) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TarArchiveEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                String name = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
                if (WRAPPED.contains(name) && entry.isFile()) {
                    byte[] real = in.readAllBytes();
                    TarArchiveEntry renamed = new TarArchiveEntry(entry.getName() + ".real");
                    renamed.setMode(0755);
                    renamed.setSize(real.length);
                    out.putArchiveEntry(renamed);
                    out.write(real);
                    out.closeArchiveEntry();
                    byte[] script = WRAPPER.getBytes(StandardCharsets.UTF_8);
                    TarArchiveEntry wrapper = new TarArchiveEntry(entry.getName());
                    wrapper.setMode(0755);
                    wrapper.setSize(script.length);
                    out.putArchiveEntry(wrapper);
                    out.write(script);
                    out.closeArchiveEntry();
                } else {
                    out.putArchiveEntry(entry);
                    if (entry.isFile()) {
                        in.transferTo(out);
                    }
                    out.closeArchiveEntry();
                }
            }
        }
        return new ByteArrayInputStream(repacked.toByteArray());
    }
}
