package eu.tessera.policy.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.tessera.policy.scope.ScopePolicy.Matching;
import eu.tessera.policy.scope.ScopePolicy.Rule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScopePolicyEvaluatorTests {

    private static long ids;

    private static ScopePolicy policy(Rule rule, Matching matching, String account, String group, String... scopes) {
        return new ScopePolicy(++ids, rule, matching, account, group, List.of(scopes));
    }

    private static final List<ScopePolicy> POLICIES = List.of(
            policy(Rule.PERMIT, Matching.EQ, null, null),                                  // default: permit all
            policy(Rule.DENY, Matching.PATH, null, null, "storage.modify:/"),              // default: no modify
            policy(Rule.DENY, Matching.REGEXP, null, null, "iam:admin\\..*"),
            policy(Rule.PERMIT, Matching.PATH, null, "g-managers", "storage.modify:/data"), // group beats default
            policy(Rule.DENY, Matching.EQ, null, "g-banned", "compute.create"),
            policy(Rule.PERMIT, Matching.EQ, null, "g-other", "compute.create"),           // same tier: DENY wins
            policy(Rule.DENY, Matching.PATH, "alice", null, "storage.modify:/data/private"), // account beats group
            policy(Rule.PERMIT, Matching.EQ, "alice", null, "iam:admin.read"));

    @ParameterizedTest(name = "{0} in [{1}] asks {2} -> {3}")
    @CsvSource(delimiter = '|', value = {
            "bob   |                       | openid                        | PERMIT",
            "bob   |                       | storage.modify:/data          | DENY",
            "bob   | g-managers            | storage.modify:/data/x        | PERMIT",
            "bob   | g-managers            | storage.modify:/database      | DENY",
            "bob   | g-managers            | storage.modify:/other         | DENY",
            "alice | g-managers            | storage.modify:/data/private  | DENY",
            "alice | g-managers            | storage.modify:/data/public   | PERMIT",
            "bob   | g-banned,g-other      | compute.create                | DENY",
            "bob   | g-other               | compute.create                | PERMIT",
            "bob   |                       | iam:admin.read                | DENY",
            "alice |                       | iam:admin.read                | PERMIT",
            "alice |                       | iam:admin.write               | DENY",
    })
    void decideWhenTiersDisagreeThenMostSpecificWinsAndDenyBeatsPermit(String account, String groups,
            String scope, String expected) {
        List<String> groupIds = groups == null ? List.of() : Arrays.asList(groups.split(","));
        ScopePolicyEvaluator.Decision decision = ScopePolicyEvaluator.of(POLICIES)
                .decide(account, groupIds, List.of(scope));
        assertThat(expected.equals("PERMIT") ? decision.granted() : decision.denied()).containsExactly(scope);
    }

    @Test
    void decideWhenNoPolicySpeaksOfScopeThenDenied() {
        ScopePolicyEvaluator evaluator = ScopePolicyEvaluator.of(List.of(
                policy(Rule.PERMIT, Matching.EQ, null, null, "openid")));
        ScopePolicyEvaluator.Decision decision = evaluator.decide("a", List.of(), List.of("openid", "compute.read"));
        assertThat(decision.granted()).containsExactly("openid");
        assertThat(decision.denied()).containsExactly("compute.read");
    }

    @Test
    void decideWhenManyScopesThenRequestOrderKept() {
        ScopePolicyEvaluator evaluator = ScopePolicyEvaluator.of(POLICIES);
        assertThat(evaluator.decide("bob", List.of(), List.of("wlcg.groups", "openid", "storage.read:/x", "openid"))
                .granted()).containsExactly("wlcg.groups", "openid", "storage.read:/x");
    }

    @Test
    void policyWhenInvalidThenMessageNamesField() {
        assertThatThrownBy(() -> new ScopePolicy(1, Rule.PERMIT, Matching.REGEXP, null, null, List.of("(")))
                .hasMessageStartingWith("scopes");
        assertThatThrownBy(() -> new ScopePolicy(1, Rule.PERMIT, Matching.PATH, null, null, List.of()))
                .hasMessageStartingWith("scopes");
        assertThatThrownBy(() -> new ScopePolicy(1, Rule.PERMIT, Matching.PATH, null, null, List.of("openid")))
                .hasMessageStartingWith("scopes");
        assertThatThrownBy(() -> new ScopePolicy(1, Rule.PERMIT, Matching.EQ, "a", "g", List.of()))
                .hasMessageStartingWith("account and group");
        assertThatThrownBy(() -> new ScopePolicy(1, Rule.PERMIT, Matching.EQ, null, null, List.of("x".repeat(256))))
                .hasMessageStartingWith("scopes");
        assertThatThrownBy(() -> new ScopePolicy(1, null, Matching.EQ, null, null, List.of()))
                .hasMessage("rule");
    }

    @Test
    void decideWhenTenThousandPoliciesThenStillCorrect() {
        List<ScopePolicy> many = new ArrayList<>(POLICIES);
        for (int i = 0; i < 10_000; i++) {
            many.add(policy(i % 2 == 0 ? Rule.PERMIT : Rule.DENY, Matching.EQ, null, "g" + i, "storage.read:/p" + i));
        }
        ScopePolicyEvaluator evaluator = ScopePolicyEvaluator.of(many);
        assertThat(evaluator.decide("bob", List.of("g2", "g3"), List.of("storage.read:/p2", "storage.read:/p3"))
                .granted()).containsExactly("storage.read:/p2");
    }
}
