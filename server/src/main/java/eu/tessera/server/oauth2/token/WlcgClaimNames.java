package eu.tessera.server.oauth2.token;

/** Claim names on the wire (WLCG Common JWT Profile, AARC-G069, INDIGO IAM profile). */
public final class WlcgClaimNames {

    public static final String VERSION = "wlcg.ver";
    public static final String GROUPS = "wlcg.groups";
    public static final String VERSION_VALUE = "1.0";
    public static final String ENTITLEMENT = "eduperson_entitlement";
    public static final String IAM_GROUPS = "groups";
    public static final String PREFERRED_USERNAME = "preferred_username";
    public static final String ORGANISATION_NAME = "organisation_name";
    public static final String CLIENT_ID = "client_id";
    public static final String SCOPE = "scope";

    private WlcgClaimNames() {
    }
}
