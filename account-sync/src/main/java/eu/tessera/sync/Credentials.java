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

    /** One request sent with a given token. */
    @FunctionalInterface
    interface Request {
        HttpTransport.Response send(String token) throws SyncException;
    }

    /** Sends with the current token and, if the target answers 401, once more with a renewed one. */
    default HttpTransport.Response send(Request request) throws SyncException {
        HttpTransport.Response response = request.send(token(false));
        return response.status() == 401 ? request.send(token(true)) : response;
    }
}
