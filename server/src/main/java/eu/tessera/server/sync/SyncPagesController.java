package eu.tessera.server.sync;

import eu.tessera.server.audit.AuditLog;
import eu.tessera.sync.SyncEngine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The admin page {@code /admin/sync}: target status, parked changes with retry, reconciliation. */
@Controller
public class SyncPagesController {

    private static final int PARKED_SHOWN = 200;

    private final SyncService sync;
    private final JdbcOutboxStore store;
    private final AuditLog audit;

    public SyncPagesController(SyncService sync, JdbcOutboxStore store, AuditLog audit) {
        this.sync = sync;
        this.store = store;
        this.audit = audit;
    }

    @GetMapping("/admin/sync")
    public String page(Model model) {
        List<SyncAdminController.TargetStatus> targets = SyncAdminController.statuses(sync);
        Map<String, List<JdbcOutboxStore.Row>> parked = new LinkedHashMap<>();
        for (SyncAdminController.TargetStatus target : targets) {
            parked.put(target.name(), target.parked() == 0 ? List.of()
                    : store.rows(target.name(), "PARKED", 0, PARKED_SHOWN));
        }
        model.addAttribute("enabled", sync.enabled());
        model.addAttribute("unprocessed", store.unprocessedEvents());
        model.addAttribute("targets", targets);
        model.addAttribute("parked", parked);
        return "admin/sync";
    }

    @PostMapping("/admin/sync/{target}/retry")
    public String retry(Authentication admin, @PathVariable String target,
            @RequestParam(required = false) String accountId, RedirectAttributes redirect) {
        requireTarget(target);
        int retried = store.retryParked(target, accountId == null || accountId.isBlank() ? null : accountId);
        audit.record("sync.retried", admin.getName(), accountId, Map.of("target", target, "count", retried));
        redirect.addFlashAttribute("message", retried + " parked change(s) for " + target + " queued again.");
        return "redirect:/admin/sync";
    }

    @PostMapping("/admin/sync/{target}/reconcile")
    public String reconcile(Authentication admin, @PathVariable String target,
            @RequestParam(defaultValue = "true") boolean dryRun, Model model) {
        requireTarget(target);
        Optional<SyncEngine.Report> report = sync.reconcile(target, dryRun);
        if (report.isEmpty()) {
            model.addAttribute("message", "A reconciliation of " + target + " is already running.");
        } else {
            audit.record("sync.reconciled", admin.getName(), null, Map.of("target", target, "dryRun", dryRun,
                    "accountsChanged", report.get().accountsChanged()));
            model.addAttribute("report", report.get());
        }
        return page(model);
    }

    private void requireTarget(String target) {
        if (sync.catalogue(target).isEmpty()) {
            throw new ResponseStatusException(org.springframework.http.HttpStatus.NOT_FOUND, "no sync target " + target);
        }
    }
}
