package eu.tessera.server.group;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads an account's current (not expired) group memberships for token claims, without the groups of VOs whose AUP
 * addendum the account has not signed ({@link eu.tessera.server.aup.VoAupService}).
 */
@Service
public class GroupDirectory {

    private final MembershipRepository memberships;
    private final Clock clock;
    private final eu.tessera.server.aup.VoAupService addenda;

    public GroupDirectory(MembershipRepository memberships, Clock clock, eu.tessera.server.aup.VoAupService addenda) {
        this.memberships = memberships;
        this.clock = clock;
        this.addenda = addenda;
    }

    @Transactional(readOnly = true)
    public GroupMemberships membershipsOf(String accountId) {
        Instant now = clock.instant();
        List<String> defaults = new ArrayList<>();
        Set<String> entitled = new LinkedHashSet<>();
        for (MembershipRepository.GroupRow row : memberships.findGroupsOfAccount(accountId)) {
            if (row.endTime() != null && !row.endTime().isAfter(now)) {
                continue;
            }
            entitled.add(row.path());
            if (!row.optional()) {
                defaults.add(row.path());
            }
        }
        List<String> signed = addenda.withoutUnsigned(accountId, entitled);
        if (signed.size() < entitled.size()) {
            defaults.retainAll(signed);
            entitled.retainAll(signed);
        }
        return new GroupMemberships(List.copyOf(defaults), Set.copyOf(entitled));
    }
}
