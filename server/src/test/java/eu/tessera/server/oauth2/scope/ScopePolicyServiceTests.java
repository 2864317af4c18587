package eu.tessera.server.oauth2.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import eu.tessera.policy.scope.ScopePolicy;
import eu.tessera.server.account.AccountRepository;
import eu.tessera.server.audit.AuditLog;
import eu.tessera.server.group.MembershipRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ScopePolicyServiceTests {

    @Test
    void reloadWhenAPolicyChangeCommitsMeanwhileThenItsStaleResultIsNotKept() {
        ScopePolicyRecordRepository policies = mock(ScopePolicyRecordRepository.class);
        AccountRepository accounts = mock(AccountRepository.class);
        MembershipRepository memberships = mock(MembershipRepository.class);
        when(accounts.findById(anyString())).thenReturn(Optional.empty());
        when(memberships.findGroupIdsOfAccount(anyString(), any())).thenReturn(List.of());
        eu.tessera.server.aup.VoAupService addenda = mock(eu.tessera.server.aup.VoAupService.class);
        when(addenda.groupIdsWithoutUnsigned(anyString(), any())).thenAnswer(call -> call.getArgument(1));
        ScopePolicyService service = new ScopePolicyService(policies, memberships, accounts, Clock.systemUTC(),
                mock(AuditLog.class), addenda);
        ScopePolicyRecord deny = new ScopePolicyRecord(Instant.now());
        deny.apply(new ScopePolicy(0, ScopePolicy.Rule.DENY, ScopePolicy.Matching.EQ, null, null,
                List.of("storage.read:/x")), null, Instant.now());
        deny.id = 7L;
        ScopePolicyRecord permitAll = new ScopePolicyRecord(Instant.now());
        permitAll.apply(new ScopePolicy(0, ScopePolicy.Rule.PERMIT, ScopePolicy.Matching.EQ, null, null, List.of()),
                null, Instant.now());
        permitAll.id = 1L;
        AtomicInteger reads = new AtomicInteger();
        when(policies.existsById(7L)).thenReturn(true);
        when(policies.findAll()).thenAnswer(call -> {
            if (reads.getAndIncrement() == 0) {
                // the scheduled reload has read the policies; now an admin's delete commits (no transaction here,
                // so it counts as committed at once), then this reload finishes with what it read
                service.delete(7L);
                return List.of(permitAll, deny);
            }
            return List.of(permitAll);
        });
        assertThat(service.reload().decide("a", List.of(), List.of("storage.read:/x")).denied())
                .as("what the racing reload read").containsExactly("storage.read:/x");
        assertThat(service.decide("a", List.of("storage.read:/x")).granted())
                .as("the next decision sees the change").containsExactly("storage.read:/x");
        assertThat(reads.get()).isEqualTo(2);
    }
}
