package eu.tessera.server.oauth2.exchange;

import eu.tessera.policy.exchange.ExchangeClient;
import eu.tessera.policy.exchange.ExchangePolicy;
import eu.tessera.policy.exchange.ExchangePolicyEvaluator;
import java.time.Clock;
import java.util.List;
import java.util.Map;
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

    /** The global policies, and each VO's (by the VO group's id). */
    public record Evaluators(ExchangePolicyEvaluator global, java.util.Map<String, ExchangePolicyEvaluator> vos) {
    }

    private final ExchangePolicyRecordRepository policies;
    private final Clock clock;
    private final eu.tessera.server.audit.AuditLog audit;
    private final org.springframework.jdbc.core.JdbcTemplate jdbc;
    private final eu.tessera.server.group.VoAdmins vos;
    private volatile Evaluators evaluator;

    public ExchangePolicyService(ExchangePolicyRecordRepository policies, Clock clock,
            eu.tessera.server.audit.AuditLog audit, org.springframework.jdbc.core.JdbcTemplate jdbc,
            eu.tessera.server.group.VoAdmins vos) {
        this.vos = vos;
        this.audit = audit;
        this.policies = policies;
        this.clock = clock;
        this.jdbc = jdbc;
    }

    /** Whether {@code destination} may exchange tokens issued to {@code origin} (global policies only). */
    public boolean permits(RegisteredClient origin, RegisteredClient destination) {
        return permits(origin, destination, null);
    }

    /**
     * Whether {@code destination} may exchange a token of {@code subject} (an account id; a client's own id for
     * client tokens) issued to {@code origin}. The policies of the subject's VOs count too: any of their DENYs
     * refuses; else the global policies decide, and if they do not permit, a PERMIT of one of the VOs does.
     */
    public boolean permits(RegisteredClient origin, RegisteredClient destination, String subject) {
        Evaluators current = evaluator;
        if (current == null) {
            current = reload();
        }
        ExchangeClient from = new ExchangeClient(origin.getClientId(), origin.getScopes());
        ExchangeClient to = new ExchangeClient(destination.getClientId(), destination.getScopes());
        java.util.List<Boolean> voDecisions = new java.util.ArrayList<>();
        if (!current.vos().isEmpty() && subject != null) {
            for (String vo : vosOf(subject)) {
                ExchangePolicyEvaluator policiesOfVo = current.vos().get(vo);
                if (policiesOfVo != null) {
                    policiesOfVo.decision(from, to).ifPresent(voDecisions::add);
                }
            }
        }
        if (voDecisions.contains(false)) {
            return false;
        }
        return current.global().permits(from, to) || voDecisions.contains(true);
    }

    private java.util.List<String> vosOf(String accountId) {
        return vos.vosOf(accountId).stream().map(eu.tessera.server.group.GroupAdmin.Group::id).toList();
    }

    @Scheduled(fixedDelayString = "PT5S", initialDelayString = "PT5S")
    @Transactional(readOnly = true)
    public Evaluators reload() {
        java.util.List<ExchangePolicyRecord> all = policies.findAll();
        java.util.Map<String, java.util.List<eu.tessera.policy.exchange.ExchangePolicy>> byVo = new java.util.HashMap<>();
        for (ExchangePolicyRecord record : all) {
            if (record.getVoGroupId() != null) {
                byVo.computeIfAbsent(record.getVoGroupId(), k -> new java.util.ArrayList<>()).add(record.toPolicy());
            }
        }
        java.util.Map<String, ExchangePolicyEvaluator> vos = new java.util.HashMap<>();
        byVo.forEach((vo, list) -> vos.put(vo, ExchangePolicyEvaluator.of(list)));
        Evaluators fresh = new Evaluators(ExchangePolicyEvaluator.of(all.stream()
                .filter(r -> r.getVoGroupId() == null).map(ExchangePolicyRecord::toPolicy).toList()), Map.copyOf(vos));
        evaluator = fresh;
        return fresh;
    }

    /** The clients a VO's admins may name as the destination of a PERMIT; empty: they may only deny. */
    public java.util.List<String> limits(String voGroupId) {
        return jdbc.queryForList("select client_ids from vo_exchange_limit where vo_group_id = ?", String.class,
                voGroupId).stream().findFirst().map(ids -> java.util.Arrays.stream(ids.split("\\s+"))
                .filter(id -> !id.isEmpty()).toList()).orElse(java.util.List.of());
    }

    /** Sets the VO's limits (global admins): client ids separated by spaces; empty removes them. */
    @Transactional
    public void setLimits(String voGroupId, String clientIds, String actor) {
        java.util.List<String> ids = java.util.Arrays.stream((clientIds == null ? "" : clientIds).strip()
                .split("\\s+")).filter(id -> !id.isEmpty()).distinct().toList();
        if (String.join(" ", ids).length() > 4000) {
            throw new IllegalArgumentException("clients: at most 4000 characters");
        }
        jdbc.update("delete from vo_exchange_limit where vo_group_id = ?", voGroupId);
        if (!ids.isEmpty()) {
            jdbc.update("insert into vo_exchange_limit (vo_group_id, client_ids, updated_at, updated_by) values "
                    + "(?, ?, ?, ?)", voGroupId, String.join(" ", ids), java.sql.Timestamp.from(clock.instant()), actor);
        }
        audit.record("vo.exchange_limits", actor, voGroupId, Map.of("clients", String.join(" ", ids)));
    }

    /**
     * Whether a VO admin may write {@code policy} for the VO: a DENY always, a PERMIT only towards one client of
     * the VO's limits, named by id.
     *
     * @throws eu.tessera.server.group.BeyondVoException with the reason when not
     */
    public void checkForVo(String voGroupId, eu.tessera.policy.exchange.ExchangePolicy policy) {
        if (policy.rule() == eu.tessera.policy.exchange.ExchangePolicy.Rule.DENY) {
            return;
        }
        java.util.List<String> limits = limits(voGroupId);
        if (policy.destination().type() != eu.tessera.policy.exchange.ExchangePolicy.MatchType.BY_ID
                || !limits.contains(policy.destination().matchParam())) {
            throw new eu.tessera.server.group.BeyondVoException("a VO's PERMIT names its destination client by id, one of "
                    + (limits.isEmpty() ? "none (no clients are allowed to the VO: ask a global admin)"
                    : String.join(" ", limits)));
        }
    }

    @Transactional(readOnly = true)
    public List<ExchangePolicyRecord> findAll() {
        return policies.findAll(Sort.by("id"));
    }

    public ExchangePolicyRecord create(ExchangePolicy policy, String description) {
        return create(policy, description, null);
    }

    /** Creates a policy of the VO {@code voGroupId} (null: a global one). */
    @Transactional
    public ExchangePolicyRecord create(ExchangePolicy policy, String description, String voGroupId) {
        if (description != null && description.length() > 512) {
            throw new IllegalArgumentException("description: at most 512 characters");
        }
        ExchangePolicyRecord saved = policies.saveAndFlush(new ExchangePolicyRecord(policy, description,
                clock.instant(), voGroupId));
        evaluator = null;
        audit.record("exchange_policy.created", String.valueOf(saved.getId()), voGroupId == null ? Map.of()
                : Map.of("vo", voGroupId));
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
