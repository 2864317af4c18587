package eu.tessera.policy.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.tessera.policy.exchange.ExchangePolicy.ClientMatch;
import eu.tessera.policy.exchange.ExchangePolicy.MatchType;
import eu.tessera.policy.exchange.ExchangePolicy.Rule;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExchangePolicyEvaluatorTests {

    private static final ClientMatch ANY = new ClientMatch(MatchType.ANY, null);

    private static ExchangePolicy policy(Rule rule, ClientMatch origin, ClientMatch destination) {
        return new ExchangePolicy(0, rule, origin, destination);
    }

    private static final ExchangePolicyEvaluator EVALUATOR = ExchangePolicyEvaluator.of(List.of(
            policy(Rule.PERMIT, ANY, ANY),
            policy(Rule.DENY, ANY, new ClientMatch(MatchType.BY_ID, "untrusted")),
            policy(Rule.DENY, new ClientMatch(MatchType.BY_SCOPE, "secret"), ANY),
            policy(Rule.PERMIT, new ClientMatch(MatchType.BY_SCOPE, "secret"),
                    new ClientMatch(MatchType.BY_ID, "fts")),
            policy(Rule.PERMIT, new ClientMatch(MatchType.BY_ID, "rucio"), new ClientMatch(MatchType.BY_ID, "x")),
            policy(Rule.DENY, new ClientMatch(MatchType.BY_ID, "rucio"), new ClientMatch(MatchType.BY_ID, "x"))));

    @ParameterizedTest(name = "{0} ({1}) -> {2}: {3}")
    @CsvSource({
            "rucio, public, fts, true",
            "rucio, public, untrusted, false",
            "vault, secret, other, false",
            "vault, secret, fts, true",
            "rucio, public, x, false",
    })
    void permitsWhenPoliciesOverlapThenMostSpecificWinsAndDenyWinsTies(String origin, String originScope,
            String destination, boolean expected) {
        assertThat(EVALUATOR.permits(new ExchangeClient(origin, Set.of(originScope)),
                new ExchangeClient(destination, Set.of()))).isEqualTo(expected);
    }

    @Test
    void permitsWhenNoPolicyMatchesThenRefused() {
        assertThat(ExchangePolicyEvaluator.of(List.of()).permits(new ExchangeClient("a", Set.of()),
                new ExchangeClient("b", Set.of()))).isFalse();
    }

    @Test
    void decisionWhenNothingMatchesThenEmptyElseTheWinningRule() {
        ExchangeClient a = new ExchangeClient("a", Set.of());
        ExchangeClient b = new ExchangeClient("b", Set.of());
        ExchangePolicy denyB = new ExchangePolicy(1, ExchangePolicy.Rule.DENY, new ClientMatch(MatchType.ANY, null),
                new ClientMatch(MatchType.BY_ID, "b"));
        assertThat(ExchangePolicyEvaluator.of(List.of(denyB)).decision(a, a)).isEmpty();
        assertThat(ExchangePolicyEvaluator.of(List.of(denyB)).decision(a, b)).contains(false);
        ExchangePolicy permitAll = new ExchangePolicy(2, ExchangePolicy.Rule.PERMIT,
                new ClientMatch(MatchType.ANY, null), new ClientMatch(MatchType.ANY, null));
        assertThat(ExchangePolicyEvaluator.of(List.of(denyB, permitAll)).decision(a, a)).contains(true);
    }

    @Test
    void clientMatchWhenParameterMissingThenMessageNamesField() {
        assertThatThrownBy(() -> new ClientMatch(MatchType.BY_ID, " ")).hasMessageStartingWith("matchParam");
        assertThatThrownBy(() -> new ClientMatch(null, "x")).hasMessage("type");
    }
}
