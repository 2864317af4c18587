package eu.tessera.server.oauth2.exchange;

import eu.tessera.policy.exchange.ExchangeClient;
import eu.tessera.policy.exchange.ExchangePolicy;
import eu.tessera.policy.exchange.ExchangePolicyEvaluator;
import java.time.Clock;
import java.util.List;
import org.springframework.data.domain.Sort;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Token-exchange policies: storage and decision. The compiled policies are rebuilt on every local change and
 * reloaded every 5 seconds, so a change made on one instance holds on every instance within 5 seconds.
 */
@Service
public class ExchangePolicyService {

    private final ExchangePolicyRecordRepository policies;
    private final Clock clock;
    private final eu.tessera.server.audit.AuditLog audit;
    private volatile ExchangePolicyEvaluator evaluator;

    public ExchangePolicyService(ExchangePolicyRecordRepository policies, Clock clock,
            eu.tessera.server.audit.AuditLog audit) {
        this.audit = audit;
        this.policies = policies;
        this.clock = clock;
    }

    /** Whether {@code destination} may exchange tokens issued to {@code origin}. */
    public boolean permits(RegisteredClient origin, RegisteredClient destination) {
        ExchangePolicyEvaluator current = evaluator;
        if (current == null) {
            current = reload();
        }
        return current.permits(new ExchangeClient(origin.getClientId(), origin.getScopes()),
                new ExchangeClient(destination.getClientId(), destination.getScopes()));
    }

    @Scheduled(fixedDelayString = "PT5S", initialDelayString = "PT5S")
    @Transactional(readOnly = true)
    public ExchangePolicyEvaluator reload() {
        ExchangePolicyEvaluator fresh = ExchangePolicyEvaluator.of(policies.findAll().stream()
                .map(ExchangePolicyRecord::toPolicy).toList());
        evaluator = fresh;
        return fresh;
    }

    @Transactional(readOnly = true)
    public List<ExchangePolicyRecord> findAll() {
        return policies.findAll(Sort.by("id"));
    }

    @Transactional
    public ExchangePolicyRecord create(ExchangePolicy policy, String description) {
        if (description != null && description.length() > 512) {
            throw new IllegalArgumentException("description: at most 512 characters");
        }
        ExchangePolicyRecord saved = policies.saveAndFlush(new ExchangePolicyRecord(policy, description,
                clock.instant()));
        evaluator = null;
        audit.record("exchange_policy.created", String.valueOf(saved.getId()), java.util.Map.of());
        return saved;
    }

    @Transactional
    public boolean delete(long id) {
        if (!policies.existsById(id)) {
            return false;
        }
        policies.deleteById(id);
        evaluator = null;
        audit.record("exchange_policy.deleted", String.valueOf(id), java.util.Map.of());
        return true;
    }
}
