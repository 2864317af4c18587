package eu.tessera.server.voms;

import eu.tessera.voms.pki.CaDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * The current snapshot of the IGTF CA directory, re-read every {@code tessera.voms.ca-reload-period} so that
 * new CRLs (fetch-crl) and CA updates take effect; a failed reload keeps the last good snapshot.
 */
public class CaTrust implements Supplier<CaDirectory>, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(CaTrust.class);

    private final Path directory;
    private final AtomicReference<CaDirectory> current = new AtomicReference<>();
    private final ScheduledExecutorService reloader;

    public CaTrust(Path directory, java.time.Duration period) throws IOException {
        this.directory = directory;
        current.set(CaDirectory.load(directory));
        reloader = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "voms-ca-reload");
            thread.setDaemon(true);
            return thread;
        });
        long millis = Math.max(1000, period.toMillis());
        reloader.scheduleWithFixedDelay(this::reload, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Re-reads the directory now; false (and the old snapshot kept) when it cannot be read. */
    public boolean reload() {
        try {
            current.set(CaDirectory.load(directory));
            return true;
        } catch (IOException | RuntimeException e) {
            log.warn("Keeping the previous CA directory snapshot: {}", e.getMessage());
            return false;
        }
    }

    @Override
    public CaDirectory get() {
        return current.get();
    }

    @Override
    public void destroy() {
        reloader.shutdownNow();
    }
}
