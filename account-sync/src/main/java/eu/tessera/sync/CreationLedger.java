package eu.tessera.sync;

import java.util.Optional;

/**
 * Remembers, before a catalogue account is created, which Tessera account it is created for. Creating an account
 * and marking it as Tessera's are two calls on Rucio; if the first succeeds and the answer is lost, the ledger tells
 * the next attempt that the unmarked account is ours to finish, where an account Tessera never tried to create
 * would be refused.
 */
public interface CreationLedger {

    /** Records the intent to create {@code name} on {@code target} for {@code accountId} (before the call). */
    void intend(String target, String name, String accountId);

    /** The account a creation of {@code name} on {@code target} was intended for, if any. */
    Optional<String> intendedFor(String target, String name);
}
