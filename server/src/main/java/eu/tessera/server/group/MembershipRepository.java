package eu.tessera.server.group;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** Memberships, and the groups of one account joined with their paths in one query. */
public interface MembershipRepository extends JpaRepository<Membership, Membership.Key> {

    /** One row per current membership: group path and whether the membership is optional. */
    record GroupRow(String path, boolean optional, java.time.Instant endTime) {
    }

    @Query("select new eu.tessera.server.group.MembershipRepository$GroupRow(g.path, m.optional, m.endTime) "
            + "from Membership m join VoGroup g on g.id = m.key.groupId "
            + "where m.key.accountId = :accountId order by g.path")
    List<GroupRow> findGroupsOfAccount(String accountId);

    /** Ids of the groups an account is a current member of. */
    @Query("select m.key.groupId from Membership m where m.key.accountId = :accountId "
            + "and (m.endTime is null or m.endTime > :now)")
    List<String> findGroupIdsOfAccount(String accountId, java.time.Instant now);
}
