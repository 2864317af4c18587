package eu.tessera.server.oauth2.exchange;

import eu.tessera.policy.exchange.ExchangePolicy;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A stored token-exchange policy; {@link #toPolicy()} gives the pure form. */
@Entity
@Table(name = "exchange_policy")
public class ExchangePolicyRecord {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;
    String description;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    ExchangePolicy.Rule rule;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    ExchangePolicy.MatchType originType;
    String originParam;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    ExchangePolicy.MatchType destinationType;
    String destinationParam;
    @Column(nullable = false)
    Instant createdAt;
    /** The VO whose members' exchanges it governs; null: a global policy. */
    String voGroupId;

    protected ExchangePolicyRecord() {
    }

    ExchangePolicyRecord(ExchangePolicy policy, String description, Instant now, String voGroupId) {
        this.voGroupId = voGroupId;
        this.description = description;
        this.rule = policy.rule();
        this.originType = policy.origin().type();
        this.originParam = policy.origin().matchParam();
        this.destinationType = policy.destination().type();
        this.destinationParam = policy.destination().matchParam();
        this.createdAt = now;
    }

    public ExchangePolicy toPolicy() {
        return new ExchangePolicy(id, rule, new ExchangePolicy.ClientMatch(originType, originParam),
                new ExchangePolicy.ClientMatch(destinationType, destinationParam));
    }

    public Long getId() {
        return id;
    }

    public String getDescription() {
        return description;
    }

    public String getVoGroupId() {
        return voGroupId;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
