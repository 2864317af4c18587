package eu.tessera.server.sync;

import eu.tessera.server.config.AuthorizationServerConfig;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.config.TesseraProperties.Sync.Target;
import eu.tessera.sync.Backoff;
import eu.tessera.sync.Catalogue;
import eu.tessera.sync.ClientCredentialsToken;
import eu.tessera.sync.Credentials;
import eu.tessera.sync.HttpTransport;
import eu.tessera.sync.OutboxStore;
import eu.tessera.sync.SyncEngine;
import eu.tessera.sync.rucio.RucioCatalogue;
import eu.tessera.sync.rucio.RucioSettings;
import eu.tessera.sync.rucio.RucioUserpass;
import eu.tessera.sync.scim.ScimCatalogue;
import eu.tessera.sync.scim.ScimSettings;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Runs the account sync ({@code tessera.sync.*}): every {@code poll-interval} moves committed change events to the
 * targets and delivers them; every {@code reconcile-interval} reconciles each target in full. With sync disabled
 * it only drops change events older than {@code event-retention}. Publishes the metrics
 * {@code tessera.sync.pending}, {@code .parked}, {@code .oldest.pending.age} (seconds), {@code .delivered} and
 * {@code .failed.attempts}, tagged by target.
 */
@Component
public class SyncService implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SyncService.class);
    private static final Duration STATS_TTL = Duration.ofSeconds(2);

    private final TesseraProperties.Sync settings;
    private final JdbcOutboxStore store;
    private final eu.tessera.server.config.PeriodicTasks tasks;
    private final Clock clock;
    private final SyncEngine engine;
    private final Map<String, Catalogue> catalogues = new LinkedHashMap<>();
    private final Map<String, ReentrantLock> reconciling = new ConcurrentHashMap<>();
    private final Map<String, CachedStats> stats = new ConcurrentHashMap<>();
    private final ReentrantLock delivering = new ReentrantLock();
    private volatile boolean stopping;

    private record CachedStats(OutboxStore.Stats stats, Instant at) {
    }

    public SyncService(TesseraProperties properties, JdbcOutboxStore store, JdbcAccountDirectory directory,
            TaskScheduler scheduler, Clock clock, ObjectProvider<MeterRegistry> meters) {
        this.settings = properties.sync();
        this.store = store;
        this.tasks = new eu.tessera.server.config.PeriodicTasks(scheduler);
        this.clock = clock;
        this.engine = new SyncEngine(store, directory, new SyncEngine.Settings(settings.maxAttempts(),
                new Backoff(settings.retryBase(), settings.retryMax()), settings.batch(), settings.lease(),
                settings.concurrency()), clock);
        HttpTransport http = new HttpTransport(settings.timeout());
        for (Target target : settings.targets()) {
            catalogues.put(target.name(), catalogue(target, properties.issuer(), properties.baseUrl(), http));
        }
        MeterRegistry registry = meters.getIfAvailable();
        if (registry != null && settings.enabled()) {
            catalogues.keySet().forEach(name -> register(registry, name));
        }
    }

    /** What Rucio asks of a token by default ({@code [oidc] expected_scope}, core/oidc.py, Rucio 41). */
    static final String RUCIO_SCOPE = "openid profile";

    private Catalogue catalogue(Target target, String issuer, String baseUrl, HttpTransport http) {
        Credentials credentials = switch (target.auth()) {
            case TOKEN -> new ClientCredentialsToken(http, target.tokenEndpoint() != null ? target.tokenEndpoint()
                    : URI.create(baseUrl + AuthorizationServerConfig.TOKEN), target.clientId(), target.clientSecret(),
                    target.scope() != null ? target.scope()
                            : target.type() == Target.Type.SCIM ? "scim:read scim:write" : RUCIO_SCOPE,
                    target.audience(), clock);
            case USERPASS -> new RucioUserpass(http, target.url(), target.rucioAccount(), target.username(),
                    target.password(), target.vo(), clock);
            case BEARER -> renew -> target.bearerToken();
        };
        if (target.type() == Target.Type.RUCIO) {
            return new RucioCatalogue(new RucioSettings(target.name(), target.url(), issuer, target.groups(),
                    target.attributeRules().stream().map(RucioSettings.AttributeRule::parse).toList(),
                    target.dnFormat(), target.deleteAccounts(), target.adoptExistingAccounts(), target.vo(), null),
                    http, credentials, store);
        }
        return new ScimCatalogue(new ScimSettings(target.name(), target.url(), target.groups(),
                target.adoptExistingAccounts()), http, credentials);
    }

    private void register(MeterRegistry registry, String target) {
        Gauge.builder("tessera.sync.pending", () -> stats(target).pending()).tag("target", target)
                .description("accounts with changes waiting to be delivered").register(registry);
        Gauge.builder("tessera.sync.parked", () -> stats(target).parked()).tag("target", target)
                .description("accounts whose changes were given up until an admin retries").register(registry);
        Gauge.builder("tessera.sync.oldest.pending.age", () -> {
            Instant oldest = stats(target).oldestPending();
            return oldest == null ? 0 : Math.max(0, Duration.between(oldest, clock.instant()).toMillis() / 1000.0);
        }).tag("target", target).baseUnit("seconds").description("age of the oldest undelivered change")
                .register(registry);
        SyncEngine.Counters counters = engine.counters(target);
        FunctionCounter.builder("tessera.sync.delivered", counters, c -> c.delivered.get()).tag("target", target)
                .description("account changes delivered by this instance").register(registry);
        FunctionCounter.builder("tessera.sync.failed.attempts", counters, c -> c.failedAttempts.get())
                .tag("target", target).description("failed delivery attempts by this instance").register(registry);
    }

    /** Pending/parked counts of a target, read from the database at most every two seconds. */
    public OutboxStore.Stats stats(String target) {
        CachedStats cached = stats.get(target);
        Instant now = clock.instant();
        if (cached == null || cached.at().plus(STATS_TTL).isBefore(now)) {
            cached = new CachedStats(store.stats(target), now);
            stats.put(target, cached);
        }
        return cached.stats();
    }

    public boolean enabled() {
        return settings.enabled();
    }

    public List<String> targets() {
        return List.copyOf(catalogues.keySet());
    }

    public Optional<Catalogue> catalogue(String name) {
        return Optional.ofNullable(catalogues.get(name));
    }

    public SyncEngine.Counters counters(String target) {
        return engine.counters(target);
    }

    /** One delivery round: moves new events to the targets, then delivers what is due (used by the schedule). */
    public int deliverNow() {
        if (!settings.enabled() || !delivering.tryLock()) {
            return 0;
        }
        try {
            engine.ingest(targets());
            int delivered = 0;
            for (Catalogue catalogue : catalogues.values()) {
                int round;
                long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                do {
                    round = engine.deliver(catalogue);
                    delivered += round;
                } while (round == settings.batch() && System.nanoTime() < end && !stopping);
            }
            return delivered;
        } finally {
            delivering.unlock();
        }
    }

    /**
     * Reconciles one target now (one reconciliation per target at a time).
     *
     * @return the report, or empty when one is already running
     */
    public Optional<SyncEngine.Report> reconcile(String target, boolean dryRun) {
        Catalogue catalogue = catalogues.get(target);
        if (catalogue == null) {
            throw new IllegalArgumentException("no sync target named " + target);
        }
        ReentrantLock lock = reconciling.computeIfAbsent(target, t -> new ReentrantLock());
        if (!lock.tryLock()) {
            return Optional.empty();
        }
        try {
            return Optional.of(engine.reconcile(catalogue, dryRun));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void start() {
        stopping = false;
        if (!settings.enabled()) {
            tasks.every("Dropping old sync events", Duration.ofMinutes(10), this::purge);
            return;
        }
        log.info("Account sync enabled for {}", settings.targets());
        tasks.every("Sync round", settings.pollInterval(), this::deliverNow);
        if (!settings.reconcileInterval().isZero()) {
            for (String target : catalogues.keySet()) {
                tasks.every("Reconciliation of " + target, clock.instant().plus(settings.reconcileInterval()),
                        settings.reconcileInterval(), () -> reconcile(target, false));
            }
        }
    }

    private void purge() {
        int dropped = store.purgeEvents(clock.instant().minus(settings.eventRetention()));
        if (dropped > 0) {
            log.debug("Sync disabled: dropped {} change events older than {}", dropped, settings.eventRetention());
        }
    }

    @Override
    public void stop() {
        stopping = true;
        tasks.cancelAll();
        try {
            // let the round in progress finish its batch; what it leased and did not finish is retried after the lease
            if (delivering.tryLock(10, java.util.concurrent.TimeUnit.SECONDS)) {
                delivering.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return tasks.running();
    }
}
