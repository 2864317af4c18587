package eu.tessera.sync;

/**
 * One change a catalogue needs (or got) for an account, as shown in reconciliation reports and logs.
 *
 * @param account the catalogue's name for the account
 * @param action  what is done, e.g. {@code add identity}
 * @param detail  on what, e.g. the identity; never a secret
 */
public record Operation(String account, String action, String detail) {

    @Override
    public String toString() {
        return account + ": " + action + (detail == null || detail.isEmpty() ? "" : " " + detail);
    }
}
