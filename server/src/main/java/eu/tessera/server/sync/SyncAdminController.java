package eu.tessera.server.sync;

import eu.tessera.server.api.ProblemDetails;
import eu.tessera.server.audit.AuditLog;
import eu.tessera.sync.OutboxStore;
import eu.tessera.sync.SyncEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The account sync for admins ({@code iam:admin.read} / {@code iam:admin.write}): per-target status
 * ({@code GET /iam/sync}), parked changes ({@code GET /iam/sync/{target}/parked}) and their retry
 * ({@code POST .../parked/{accountId}/retry}, {@code POST .../parked/retry} for all), and reconciliation
 * ({@code POST /iam/sync/{target}/reconcile?dryRun=true}). Errors are problem+json.
 */
@RestController
public class SyncAdminController {

    private final SyncService sync;
    private final JdbcOutboxStore store;
    private final AuditLog audit;

    public SyncAdminController(SyncService sync, JdbcOutboxStore store, AuditLog audit) {
        this.sync = sync;
        this.store = store;
        this.audit = audit;
    }

    /** Status of one target. */
    public record TargetStatus(String name, long pending, long parked, Long oldestPendingAgeSeconds, long delivered,
            long failedAttempts) {
    }

    /** Builds the status of every target (also used by the admin page). */
    public static List<TargetStatus> statuses(SyncService sync) {
        return sync.targets().stream().map(name -> {
            OutboxStore.Stats stats = sync.stats(name);
            SyncEngine.Counters counters = sync.counters(name);
            Long age = stats.oldestPending() == null ? null
                    : Math.max(0, Duration.between(stats.oldestPending(), Instant.now()).toSeconds());
            return new TargetStatus(name, stats.pending(), stats.parked(), age, counters.delivered.get(),
                    counters.failedAttempts.get());
        }).toList();
    }

    @GetMapping("/iam/sync")
    public Map<String, Object> status() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("enabled", sync.enabled());
        body.put("unprocessedEvents", store.unprocessedEvents());
        body.put("targets", statuses(sync));
        return body;
    }

    @GetMapping("/iam/sync/{target}/parked")
    public ResponseEntity<?> parked(@PathVariable String target,
            @RequestParam(defaultValue = "1") int startIndex, @RequestParam(defaultValue = "50") int count) {
        if (sync.catalogue(target).isEmpty()) {
            return unknown(target);
        }
        if (startIndex < 1 || count < 1 || count > 500) {
            return ProblemDetails.of(HttpStatus.BAD_REQUEST, "startIndex must be at least 1 and count 1 to 500");
        }
        return ResponseEntity.ok(Map.of("totalResults", sync.stats(target).parked(),
                "Resources", store.rows(target, "PARKED", startIndex - 1, count)));
    }

    @PostMapping("/iam/sync/{target}/parked/{accountId}/retry")
    public ResponseEntity<?> retry(@PathVariable String target, @PathVariable String accountId) {
        if (sync.catalogue(target).isEmpty()) {
            return unknown(target);
        }
        int retried = store.retryParked(target, accountId);
        if (retried == 0) {
            return ProblemDetails.of(HttpStatus.NOT_FOUND, "no parked change of account " + accountId + " for "
                    + target);
        }
        audit.record("sync.retried", accountId, Map.of("target", target));
        return ResponseEntity.ok(Map.of("retried", retried));
    }

    @PostMapping("/iam/sync/{target}/parked/retry")
    public ResponseEntity<?> retryAll(@PathVariable String target) {
        if (sync.catalogue(target).isEmpty()) {
            return unknown(target);
        }
        int retried = store.retryParked(target, null);
        audit.record("sync.retried", null, Map.of("target", target, "count", retried));
        return ResponseEntity.ok(Map.of("retried", retried));
    }

    @PostMapping("/iam/sync/{target}/reconcile")
    public ResponseEntity<?> reconcile(@PathVariable String target,
            @RequestParam(defaultValue = "true") boolean dryRun) {
        if (sync.catalogue(target).isEmpty()) {
            return unknown(target);
        }
        Optional<SyncEngine.Report> report = sync.reconcile(target, dryRun);
        if (report.isEmpty()) {
            return ProblemDetails.of(HttpStatus.CONFLICT, "a reconciliation of " + target + " is already running");
        }
        audit.record("sync.reconciled", null, Map.of("target", target, "dryRun", dryRun,
                "accountsChanged", report.get().accountsChanged(), "failures", report.get().failures().size()));
        return ResponseEntity.ok(render(report.get()));
    }

    /** The report as JSON (operations as text lines). */
    public static Map<String, Object> render(SyncEngine.Report report) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("target", report.target());
        body.put("dryRun", report.dryRun());
        body.put("accountsChecked", report.accountsChecked());
        body.put("accountsChanged", report.accountsChanged());
        body.put("operationCounts", report.operationCounts());
        body.put("operations", report.operations().stream().map(Object::toString).toList());
        body.put("failures", report.failures());
        body.put("elapsedMillis", report.elapsed().toMillis());
        return body;
    }

    private static ResponseEntity<?> unknown(String target) {
        return ProblemDetails.of(HttpStatus.NOT_FOUND, "no sync target named " + target);
    }
}
