package eu.tessera.sync;

/** Supplies the token a catalogue call carries (a bearer token, or Rucio's {@code X-Rucio-Auth-Token}). */
@FunctionalInterface
public interface Credentials {

    /**
     * The token to send.
     *
     * @param renew true after the catalogue refused the previous one: fetch a new one
     */
    String token(boolean renew) throws SyncException;
}
