package eu.tessera.server.oauth2.scope;

import eu.tessera.policy.scope.ScopePolicy;
import eu.tessera.policy.scope.ScopePolicyEvaluator;
import eu.tessera.server.account.Account;
import eu.tessera.server.account.AccountRepository;
import eu.tessera.server.group.MembershipRepository;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Scope policies: storage, and the decision for an account. The compiled evaluator is rebuilt on every local
 * change and reloaded every 5 seconds, so a change made on one instance holds on all within 5 seconds.
 * Non-admin accounts never get the admin or SCIM scopes; {@code openid} is always granted.
 */
@Service
public class ScopePolicyService {

    private static final List<String> ADMIN_PREFIXES = List.of("iam:admin.", "scim:");

    private final ScopePolicyRecordRepository policies;
    private final MembershipRepository memberships;
    private final AccountRepository accounts;
    private final Clock clock;
    private final eu.tessera.server.audit.AuditLog audit;
    private volatile ScopePolicyEvaluator evaluator;
    /** Counts local changes, so that a reload that read the policies before a change committed is not kept. */
    private final java.util.concurrent.atomic.AtomicLong changes = new java.util.concurrent.atomic.AtomicLong();

    private final eu.tessera.server.aup.VoAupService addenda;

    public ScopePolicyService(ScopePolicyRecordRepository policies, MembershipRepository memberships,
            AccountRepository accounts, Clock clock, eu.tessera.server.audit.AuditLog audit,
            eu.tessera.server.aup.VoAupService addenda) {
        this.addenda = addenda;
        this.audit = audit;
        this.policies = policies;
        this.memberships = memberships;
        this.accounts = accounts;
        this.clock = clock;
    }

    /** The scopes the account may get out of {@code requested} (request order), and those it may not. */
    @Transactional(readOnly = true)
    public ScopePolicyEvaluator.Decision decide(String accountId, Collection<String> requested) {
        Optional<Account> account = accounts.findById(accountId);
        boolean admin = account.map(Account::isAdmin).orElse(false);
        // the groups of a VO whose AUP addendum is unsigned grant nothing until it is signed
        List<String> groupIds = addenda.groupIdsWithoutUnsigned(accountId,
                memberships.findGroupIdsOfAccount(accountId, clock.instant()));
        ScopePolicyEvaluator.Decision decision = evaluator().decide(accountId, groupIds, requested);
        List<String> granted = new java.util.ArrayList<>();
        List<String> denied = new java.util.ArrayList<>(decision.denied());
        for (String scope : decision.granted()) {
            if (!admin && ADMIN_PREFIXES.stream().anyMatch(scope::startsWith)) {
                denied.add(scope);
            } else {
                granted.add(scope);
            }
        }
        if (denied.remove("openid")) {
            granted.add(0, "openid");
        }
        return new ScopePolicyEvaluator.Decision(List.copyOf(granted), List.copyOf(denied));
    }

    private ScopePolicyEvaluator evaluator() {
        ScopePolicyEvaluator current = evaluator;
        return current != null ? current : reload();
    }

    /** Recompiles the policies from the database. */
    @Scheduled(fixedDelayString = "PT5S", initialDelayString = "PT5S")
    @Transactional(readOnly = true)
    public ScopePolicyEvaluator reload() {
        long seen = changes.get();
        ScopePolicyEvaluator fresh = ScopePolicyEvaluator.of(policies.findAll().stream()
                .map(ScopePolicyRecord::toPolicy).toList());
        if (changes.get() == seen) {
            evaluator = fresh;   // else a change committed meanwhile: the next decision reloads
        }
        return fresh;
    }

    /**
     * A local change applies to the next decision: the evaluator is dropped once the change has committed (dropped
     * before, a reload running meanwhile - the 5 s schedule - read the old policies and kept them for 5 s).
     */
    private void changed() {
        Runnable drop = () -> {
            changes.incrementAndGet();
            evaluator = null;
        };
        if (org.springframework.transaction.support.TransactionSynchronizationManager.isSynchronizationActive()) {
            org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(
                    new org.springframework.transaction.support.TransactionSynchronization() {
                        @Override
                        public void afterCommit() {
                            drop.run();
                        }
                    });
        } else {
            drop.run();
        }
    }

    @Transactional(readOnly = true)
    public List<ScopePolicyRecord> findAll() {
        return policies.findAll(org.springframework.data.domain.Sort.by("id"));
    }

    @Transactional(readOnly = true)
    public Optional<ScopePolicyRecord> find(long id) {
        return policies.findById(id);
    }

    /** Creates ({@code id} null) or replaces a policy. @throws IllegalArgumentException naming the bad field */
    @Transactional
    public ScopePolicyRecord save(Long id, ScopePolicy policy, String description) {
        if (description != null && description.length() > 512) {
            throw new IllegalArgumentException("description: at most 512 characters");
        }
        ScopePolicyRecord record = id == null ? new ScopePolicyRecord(clock.instant())
                : policies.findById(id).orElseThrow(() -> new java.util.NoSuchElementException("scope policy " + id));
        record.apply(policy, description, clock.instant());
        ScopePolicyRecord saved = policies.saveAndFlush(record);
        changed();
        audit.record(id == null ? "scope_policy.created" : "scope_policy.updated", String.valueOf(saved.getId()),
                java.util.Map.of("rule", policy.rule().name(), "scopes", policy.scopes()));
        return saved;
    }

    @Transactional
    public boolean delete(long id) {
        if (!policies.existsById(id)) {
            return false;
        }
        policies.deleteById(id);
        changed();
        audit.record("scope_policy.deleted", String.valueOf(id), java.util.Map.of());
        return true;
    }
}
