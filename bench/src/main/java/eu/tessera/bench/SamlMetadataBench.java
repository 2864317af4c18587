package eu.tessera.bench;

import eu.tessera.saml.SecureXml;
import eu.tessera.saml.metadata.Metadata;
import eu.tessera.saml.metadata.MetadataFilter;
import eu.tessera.saml.metadata.MetadataReader;
import eu.tessera.saml.testing.TestMetadata;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * For bench/saml.sh (not a test): an eduGAIN-size signed aggregate (default 5000 IdPs of about 9 KB) is generated,
 * then read as Tessera reads a metadata source (hardened parse, signature verified with the pinned key, IdPs indexed,
 * DOM dropped), three times. Baseline in the same run: the hardened parse alone. Prints seconds per read and the
 * heap retained by the index after garbage collection (target: under 10 s and 200 MB).
 */
public final class SamlMetadataBench {

    private SamlMetadataBench() {
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        TestMetadata.Signer federation = TestMetadata.signer("Bench Federation Signer");
        TestMetadata.Signer idp = TestMetadata.signer("Bench IdP");
        Path file = Files.createTempFile("aggregate", ".xml");
        try {
            Instant now = Instant.now();
            Files.write(file, TestMetadata.sign(TestMetadata.aggregate(count, now.plus(Duration.ofDays(7)),
                    idp.certificate()), federation));
            System.out.printf("aggregate: %d IdPs, %.1f MB, signed (RSA-SHA256, exclusive c14n)%n", count,
                    Files.size(file) / 1e6);
            long before = usedAfterGc();
            for (int run = 1; run <= 3; run++) {
                long start = System.nanoTime();
                try (InputStream in = Files.newInputStream(file)) {
                    SecureXml.parse(in);
                }
                long parsed = System.nanoTime();
                Metadata metadata;
                try (InputStream in = Files.newInputStream(file)) {
                    metadata = MetadataReader.read(in, federation.certificate(), MetadataFilter.NONE, Instant.now());
                }
                long read = System.nanoTime();
                long retained = usedAfterGc() - before;
                System.out.printf("run %d: baseline parse only %.2f s | parse + verify + index %.2f s | %d IdPs | "
                        + "retained %.1f MB%n", run, (parsed - start) / 1e9, (read - parsed) / 1e9, metadata.size(),
                        retained / 1e6);
                if (metadata.find("https://idp0.example0.org/idp/shibboleth").isEmpty()) {
                    throw new IllegalStateException("index incomplete");
                }
            }
            System.out.printf("max heap %.0f MB%n", Runtime.getRuntime().maxMemory() / 1e6);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
