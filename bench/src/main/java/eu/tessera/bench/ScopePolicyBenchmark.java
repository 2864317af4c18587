package eu.tessera.bench;

import eu.tessera.policy.scope.ScopePolicy;
import eu.tessera.policy.scope.ScopePolicy.Matching;
import eu.tessera.policy.scope.ScopePolicy.Rule;
import eu.tessera.policy.scope.ScopePolicyEvaluator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One scope-policy decision with 10,000 policies (account, group and default ones, EQ, PATH and REGEXP) for an
 * account in 50 groups asking for 6 scopes. Target (issue 3): under 20 µs per evaluation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ScopePolicyBenchmark {

    private ScopePolicyEvaluator evaluator;
    private List<String> groups;
    private final List<String> requested = List.of("openid", "offline_access", "wlcg.groups",
            "storage.read:/data/g7/file", "storage.modify:/data/g7", "compute.create");

    @Setup
    public void setUp() {
        List<ScopePolicy> policies = new ArrayList<>();
        long id = 0;
        policies.add(new ScopePolicy(++id, Rule.PERMIT, Matching.EQ, null, null, List.of()));
        policies.add(new ScopePolicy(++id, Rule.DENY, Matching.REGEXP, null, null, List.of("iam:admin\\..*")));
        policies.add(new ScopePolicy(++id, Rule.DENY, Matching.PATH, null, null, List.of("storage.modify:/")));
        for (int i = 0; policies.size() < 10_000; i++) {
            switch (i % 4) {
                case 0 -> policies.add(new ScopePolicy(++id, Rule.PERMIT, Matching.PATH, null, "group-" + (i % 2000),
                        List.of("storage.modify:/data/g" + (i % 2000))));
                case 1 -> policies.add(new ScopePolicy(++id, Rule.DENY, Matching.EQ, "account-" + i, null,
                        List.of("compute.create")));
                case 2 -> policies.add(new ScopePolicy(++id, Rule.PERMIT, Matching.REGEXP, null, "group-" + (i % 2000),
                        List.of("storage\\.read:/data/g" + (i % 2000) + "(/.*)?")));
                default -> policies.add(new ScopePolicy(++id, Rule.DENY, Matching.EQ, null, "group-" + (i % 2000),
                        List.of("storage.stage:/data/g" + (i % 2000))));
            }
        }
        evaluator = ScopePolicyEvaluator.of(policies);
        groups = new ArrayList<>();
        for (int g = 0; g < 50; g++) {
            groups.add("group-" + (g * 7));
        }
    }

    @Benchmark
    public ScopePolicyEvaluator.Decision decide() {
        return evaluator.decide("account-5", groups, requested);
    }
}
