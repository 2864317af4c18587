package eu.tessera.sync;

import java.util.List;
import java.util.Optional;

/** Tessera's accounts as the sync sees them (implemented by the server on its database). */
public interface AccountDirectory {

    /** The account's current state; empty when it no longer exists. */
    Optional<AccountState> find(String accountId);

    /** Accounts ordered by id after {@code afterId} (null: from the start), at most {@code limit}. */
    List<AccountState> page(String afterId, int limit);
}
