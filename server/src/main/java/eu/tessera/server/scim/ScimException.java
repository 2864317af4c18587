package eu.tessera.server.scim;

/** A SCIM error (RFC 7644 section 3.12): HTTP status, optional scimType, detail. */
public class ScimException extends RuntimeException {

    private final int status;
    private final String scimType;

    public ScimException(int status, String scimType, String detail) {
        super(detail);
        this.status = status;
        this.scimType = scimType;
    }

    public int status() {
        return status;
    }

    public String scimType() {
        return scimType;
    }
}
