package eu.tessera.server.oauth2.scope;

import eu.tessera.policy.scope.ScopePolicy;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** A stored scope policy; {@link #toPolicy()} gives the pure form the evaluator compiles. */
@Entity
@Table(name = "scope_policy")
public class ScopePolicyRecord {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;
    String description;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    ScopePolicy.Rule rule;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    ScopePolicy.Matching matching;
    String accountId;
    String groupId;
    @Column(nullable = false)
    String scopes;
    @Column(nullable = false)
    Instant createdAt;
    @Column(nullable = false)
    Instant updatedAt;

    protected ScopePolicyRecord() {
    }

    ScopePolicyRecord(Instant now) {
        this.createdAt = now;
        this.updatedAt = now;
    }

    void apply(ScopePolicy policy, String description, Instant now) {
        this.description = description;
        this.rule = policy.rule();
        this.matching = policy.matching();
        this.accountId = policy.accountId();
        this.groupId = policy.groupId();
        this.scopes = String.join("\n", policy.scopes());
        this.updatedAt = now;
    }

    List<String> scopeList() {
        return scopes.isEmpty() ? List.of() : Arrays.asList(scopes.split("\n"));
    }

    /** The policy in its pure form. */
    public ScopePolicy toPolicy() {
        return new ScopePolicy(id, rule, matching, accountId, groupId, scopeList());
    }

    public Long getId() {
        return id;
    }

    public String getDescription() {
        return description;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }
}
