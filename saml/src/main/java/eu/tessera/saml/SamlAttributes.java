package eu.tessera.saml;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The attributes Tessera reads from assertions (eduPerson, REFEDS R&amp;S bundle, SAML subject identifiers), by the
 * {@code urn:oid:} names IdPs send (SAML2 "uri" name format) and the short names configuration uses.
 */
public final class SamlAttributes {

    public static final String EPPN = "urn:oid:1.3.6.1.4.1.5923.1.1.1.6";
    public static final String UNIQUE_ID = "urn:oid:1.3.6.1.4.1.5923.1.1.1.13";
    public static final String ENTITLEMENT = "urn:oid:1.3.6.1.4.1.5923.1.1.1.7";
    public static final String SCOPED_AFFILIATION = "urn:oid:1.3.6.1.4.1.5923.1.1.1.9";
    public static final String TARGETED_ID = "urn:oid:1.3.6.1.4.1.5923.1.1.1.10";
    public static final String MAIL = "urn:oid:0.9.2342.19200300.100.1.3";
    public static final String DISPLAY_NAME = "urn:oid:2.16.840.1.113730.3.1.241";
    public static final String GIVEN_NAME = "urn:oid:2.5.4.42";
    public static final String SURNAME = "urn:oid:2.5.4.4";
    public static final String UID = "urn:oid:0.9.2342.19200300.100.1.1";
    public static final String SUBJECT_ID = "urn:oasis:names:tc:SAML:attribute:subject-id";
    public static final String PAIRWISE_ID = "urn:oasis:names:tc:SAML:attribute:pairwise-id";
    /** Pseudo-attribute: the Subject's NameID when its format is persistent. */
    public static final String PERSISTENT_NAME_ID = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent";

    private static final Map<String, String> SHORT = new LinkedHashMap<>();

    static {
        SHORT.put("eduPersonUniqueId", UNIQUE_ID);
        SHORT.put("subject-id", SUBJECT_ID);
        SHORT.put("pairwise-id", PAIRWISE_ID);
        SHORT.put("eduPersonPrincipalName", EPPN);
        SHORT.put("persistent-nameid", PERSISTENT_NAME_ID);
        SHORT.put("eduPersonTargetedID", TARGETED_ID);
        SHORT.put("eduPersonEntitlement", ENTITLEMENT);
        SHORT.put("eduPersonScopedAffiliation", SCOPED_AFFILIATION);
        SHORT.put("mail", MAIL);
        SHORT.put("displayName", DISPLAY_NAME);
        SHORT.put("givenName", GIVEN_NAME);
        SHORT.put("sn", SURNAME);
        SHORT.put("uid", UID);
    }

    private SamlAttributes() {
    }

    /** The full name of a short name ({@code mail}, {@code eduPersonUniqueId}, ...) or a full name as it is. */
    public static String resolve(String name) {
        String trimmed = name.strip();
        return SHORT.getOrDefault(trimmed, trimmed);
    }

    /** Whether a configured name is a short name Tessera knows or a URI. */
    public static boolean known(String name) {
        String trimmed = name.strip();
        return SHORT.containsKey(trimmed) || trimmed.startsWith("urn:") || trimmed.startsWith("http");
    }

    /** The short name of a full name, if it has one. */
    public static Optional<String> shortName(String fullName) {
        return SHORT.entrySet().stream().filter(e -> e.getValue().equals(fullName)).map(Map.Entry::getKey)
                .findFirst();
    }
}
