package eu.tessera.sync;

import java.util.List;
import java.util.Set;

/** A sync target (Rucio, a SCIM server): reads what it holds for an account and repairs the difference. */
public interface Catalogue {

    /** The target's configured name, unique among targets. */
    String name();

    /**
     * Brings what the catalogue holds for the account in line with {@code desired}: reads the catalogue, plans the
     * difference and, unless {@code dryRun}, applies it. Every operation is safe to repeat.
     *
     * @return the operations planned (and applied unless dry run); empty when nothing differs
     */
    List<Operation> synchronize(AccountState desired, boolean dryRun) throws SyncException;

    /**
     * Accounts the catalogue holds for Tessera that Tessera no longer has (by id): reconciliation removes them.
     *
     * @param knownIds ids of every account Tessera has
     */
    List<AccountState> orphans(Set<String> knownIds) throws SyncException;
}
