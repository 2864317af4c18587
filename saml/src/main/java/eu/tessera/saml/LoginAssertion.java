package eu.tessera.saml;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a validated SAML Response says of the user.
 *
 * @param idp          the IdP's entity ID (checked against the Response's and the Assertion's Issuer)
 * @param assertionId  the Assertion's ID, for the replay cache
 * @param replayUntil  until when the assertion could be presented again (its latest NotOnOrAfter)
 * @param nameId       the Subject's NameID, or null
 * @param nameIdFormat its Format, or null
 * @param attributes   attribute values by attribute Name, in document order
 * @param authnInstant when the user authenticated at the IdP
 * @param encrypted    whether the assertion came encrypted
 * @param authnContexts the AuthnContextClassRef of each AuthnStatement (how the IdP authenticated the user, e.g.
 *                      {@code https://refeds.org/profile/mfa}), in document order
 */
public record LoginAssertion(String idp, String assertionId, Instant replayUntil, String nameId, String nameIdFormat,
        Map<String, List<String>> attributes, Instant authnInstant, boolean encrypted, List<String> authnContexts) {

    public LoginAssertion {
        attributes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(attributes));
        authnContexts = authnContexts == null ? List.of() : List.copyOf(authnContexts);
    }

    /** The values of an attribute (full or short name), empty when not released. */
    public List<String> values(String name) {
        return attributes.getOrDefault(SamlAttributes.resolve(name), List.of());
    }

    /** The first value of an attribute, or null. */
    public String first(String name) {
        List<String> values = values(name);
        return values.isEmpty() || values.get(0).isBlank() ? null : values.get(0);
    }
}
