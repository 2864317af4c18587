package eu.tessera.server.login.saml;

import eu.tessera.saml.SamlException;
import eu.tessera.saml.metadata.IdentityProvider;
import eu.tessera.saml.metadata.Metadata;
import eu.tessera.saml.metadata.MetadataFilter;
import eu.tessera.saml.metadata.MetadataReader;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.config.TesseraProperties.Saml.MetadataSource;
import eu.tessera.server.voms.PemFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * The SAML metadata sources ({@code tessera.saml.metadata}): each read at start-up, every {@code refresh-period}
 * and on admin request, signature required, filters applied. A failed read keeps the last good copy (and says why);
 * a copy past its validUntil is dropped. Lookups go across sources, the first source naming an IdP wins.
 */
@Component
public class SamlMetadataSources implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SamlMetadataSources.class);
    private static final long MAX_BYTES = 200L * 1024 * 1024;

    /** One source's state, for the admin API. */
    public record Status(String name, String location, int identityProviders, Instant validUntil, Instant loadedAt,
            Instant lastAttemptAt, String lastError) {
    }

    private record Loaded(Metadata metadata, Instant loadedAt) {
    }

    private final List<MetadataSource> sources;
    private final eu.tessera.server.config.PeriodicTasks tasks;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private final Map<String, Loaded> loaded = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, String> errors = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Instant> attempts = new java.util.concurrent.ConcurrentHashMap<>();

    public SamlMetadataSources(TesseraProperties properties, TaskScheduler scheduler, Clock clock) {
        this.sources = properties.saml().metadata();
        this.tasks = new eu.tessera.server.config.PeriodicTasks(scheduler);
        this.clock = clock;
    }

    /** Reads one source now; returns its status (the previous copy kept when this read fails). */
    public Optional<Status> refresh(String name) {
        Optional<MetadataSource> source = sources.stream().filter(s -> s.name().equals(name)).findFirst();
        source.ifPresent(this::load);
        return source.map(this::status);
    }

    public List<Status> statuses() {
        return sources.stream().map(this::status).toList();
    }

    /** An IdP and the source it came from (whose settings apply to its Responses). */
    public record Found(IdentityProvider idp, MetadataSource source) {
    }

    /** The IdP with this entity ID in a current copy of any source. */
    public Optional<IdentityProvider> find(String entityId) {
        return findWithSource(entityId).map(Found::idp);
    }

    /** The same, with its source. */
    public Optional<Found> findWithSource(String entityId) {
        for (MetadataSource source : sources) {
            Optional<IdentityProvider> idp = current(source).flatMap(metadata -> metadata.find(entityId));
            if (idp.isPresent()) {
                return Optional.of(new Found(idp.get(), source));
            }
        }
        return Optional.empty();
    }

    /** IdPs whose names or domains contain {@code text}, across sources, at most {@code limit}. */
    public List<IdentityProvider> search(String text, int limit) {
        Map<String, IdentityProvider> found = new LinkedHashMap<>();
        for (MetadataSource source : sources) {
            current(source).ifPresent(metadata -> metadata.search(text, limit)
                    .forEach(idp -> found.putIfAbsent(idp.entityId(), idp)));
        }
        return new ArrayList<>(found.values()).subList(0, Math.min(limit, found.size()));
    }

    private Optional<Metadata> current(MetadataSource source) {
        Loaded copy = loaded.get(source.name());
        if (copy == null) {
            return Optional.empty();
        }
        if (!copy.metadata().validUntil().isAfter(clock.instant())) {
            loaded.remove(source.name());
            errors.putIfAbsent(source.name(), "the last good copy expired at " + copy.metadata().validUntil());
            return Optional.empty();
        }
        return Optional.of(copy.metadata());
    }

    private Status status(MetadataSource source) {
        Optional<Metadata> metadata = current(source);
        Loaded copy = loaded.get(source.name());
        return new Status(source.name(), source.location(), metadata.map(Metadata::size).orElse(0),
                metadata.map(Metadata::validUntil).orElse(null), copy == null ? null : copy.loadedAt(),
                attempts.get(source.name()), errors.get(source.name()));
    }

    private void load(MetadataSource source) {
        Instant now = clock.instant();
        attempts.put(source.name(), now);
        try {
            MetadataFilter filter = new MetadataFilter(source.requireSirtfi(), source.requireResearchAndScholarship(),
                    Set.copyOf(source.allow()), Set.copyOf(source.deny()));
            Metadata read;
            try (InputStream in = open(source.location())) {
                read = source.pinned()
                        ? MetadataReader.readPinned(in, Set.copyOf(source.idpFingerprints()), filter, now,
                                source.defaultValidity())
                        : MetadataReader.read(in, PemFiles.certificates(Path.of(source.signingCertificate())).get(0),
                                filter, now);
            }
            // an IdP its metadata does not name gets the source's display name, not its entity ID on the pages
            Metadata metadata = new Metadata(read.all().stream().map(idp -> idp.namedIfNameless(source.displayName()))
                    .toList(), read.validUntil());
            loaded.put(source.name(), new Loaded(metadata, now));
            errors.remove(source.name());
            log.info("SAML metadata {}: {} IdPs, valid until {}", source.name(), metadata.size(),
                    metadata.validUntil());
        } catch (SamlException | IOException | RuntimeException e) {
            String reason = e instanceof SamlException ? e.getMessage()
                    : e.getClass().getSimpleName() + ": " + e.getMessage();
            errors.put(source.name(), reason);
            log.warn("SAML metadata {} not loaded ({}); {}", source.name(), reason, loaded.containsKey(source.name())
                    ? "keeping the last good copy" : "no copy yet");
        }
    }

    private InputStream open(String location) throws IOException {
        if (location.startsWith("http://") || location.startsWith("https://")) {
            try {
                HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(location))
                        .timeout(Duration.ofMinutes(2)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() != 200) {
                    response.body().close();
                    throw new IOException("HTTP " + response.statusCode() + " from " + location);
                }
                return new BoundedInputStream(response.body(), MAX_BYTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
        return new BoundedInputStream(Files.newInputStream(Path.of(location)), MAX_BYTES);
    }

    /** Refuses documents larger than the bound instead of reading them into memory. */
    private static final class BoundedInputStream extends java.io.FilterInputStream {
        private long left;

        BoundedInputStream(InputStream in, long max) {
            super(in);
            this.left = max;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                throw new IOException("metadata larger than " + MAX_BYTES + " bytes");
            }
            int b = super.read();
            left--;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (left <= 0) {
                throw new IOException("metadata larger than " + MAX_BYTES + " bytes");
            }
            int n = super.read(buffer, offset, (int) Math.min(length, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }

    @Override
    public void start() {
        for (MetadataSource source : sources) {
            load(source);
            tasks.every("SAML metadata " + source.name(), clock.instant().plus(source.refreshPeriod()),
                    source.refreshPeriod(), () -> load(source));
        }
    }

    @Override
    public void stop() {
        tasks.cancelAll();
    }

    @Override
    public boolean isRunning() {
        return tasks.running();
    }
}
