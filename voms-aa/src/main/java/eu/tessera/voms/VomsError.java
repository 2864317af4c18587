package eu.tessera.voms;

/**
 * The error codes of the VOMS REST protocol, as the C++ vomsd writes them in
 * {@code <voms><error><code>}, with the HTTP status Tessera answers them with.
 */
public enum VomsError {
    /** The certificate is not linked to an account, or the account has no membership in the VO. */
    NoSuchUser(403),
    /** The account is suspended, expired, or its AUP signature has expired. */
    SuspendedUser(403),
    /** A malformed request, or a requested FQAN the holder is not entitled to. */
    BadRequest(400),
    /** Anything else; the message does not leak details. */
    InternalError(500);

    private final int httpStatus;

    VomsError(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
