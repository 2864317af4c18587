package eu.tessera.server.login.saml;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.saml.LoginAssertion;
import eu.tessera.saml.SamlAttributes;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which identifier names a SAML user (the configured order) and the required-attribute check. */
class SamlIdentityTest {

    private static LoginAssertion login(String nameIdFormat, String... attributes) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (int i = 0; i < attributes.length; i += 2) {
            values.computeIfAbsent(SamlAttributes.resolve(attributes[i]), k -> new java.util.ArrayList<>())
                    .add(attributes[i + 1]);
        }
        return new LoginAssertion("https://idp.example.org", "_a", Instant.now(), "persistent-42", nameIdFormat,
                values, Instant.now(), false, List.of());
    }

    private static final List<String> ORDER = List.of("eduPersonUniqueId", "subject-id", "pairwise-id",
            "eduPersonPrincipalName", "persistent-nameid");

    @Test
    void theFirstReleasedIdentifierOfTheOrderWins() {
        assertThat(SamlAcsController.identifier(login(null, "eduPersonPrincipalName", "a@x.org",
                "eduPersonUniqueId", "u1@x.org"), ORDER)).isEqualTo(new SamlAcsController.Identifier(
                        "eduPersonUniqueId", "u1@x.org"));
        assertThat(SamlAcsController.identifier(login(null, "eduPersonPrincipalName", "a@x.org", "pairwise-id",
                "p1@x.org"), ORDER)).isEqualTo(new SamlAcsController.Identifier("pairwise-id", "p1@x.org"));
        assertThat(SamlAcsController.identifier(login(null, "eduPersonPrincipalName", "a@x.org"),
                List.of("eduPersonUniqueId", "urn:oid:1.3.6.1.4.1.5923.1.1.1.6"))).isEqualTo(
                        new SamlAcsController.Identifier("urn:oid:1.3.6.1.4.1.5923.1.1.1.6", "a@x.org"));
        // the NameID counts only when it is persistent
        assertThat(SamlAcsController.identifier(login(SamlAttributes.PERSISTENT_NAME_ID, "mail", "a@x.org"), ORDER))
                .isEqualTo(new SamlAcsController.Identifier("persistent-nameid", "persistent-42"));
        assertThat(SamlAcsController.identifier(login("urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
                "mail", "a@x.org"), ORDER)).isNull();
    }

    @Test
    void namesFromGivenNameAndSnElseFromDisplayNameAndTheUsernameFromUidElseEppn() {
        assertThat(SamlAcsController.names(login(null, "givenName", "Ada", "sn", "Lovelace", "displayName",
                "Countess A. Lovelace"))).containsExactly("Ada", "Lovelace");
        assertThat(SamlAcsController.names(login(null, "displayName", "Maria Goeppert Mayer")))
                .containsExactly("Maria Goeppert", "Mayer");
        assertThat(SamlAcsController.names(login(null, "displayName", "Plato"))).containsExactly("Plato", null);
        assertThat(SamlAcsController.names(login(null))).containsExactly(null, null);
        assertThat(SamlAcsController.username(login(null, "uid", "ada", "eduPersonPrincipalName", "al@x.org")))
                .isEqualTo("ada");
        assertThat(SamlAcsController.username(login(null, "eduPersonPrincipalName", "al@x.org"))).isEqualTo("al");
        assertThat(SamlAcsController.username(login(null))).isNull();
    }

    @Test
    void requiredAttributesNeedOneMatchingValueEach() {
        LoginAssertion login = login(null, "eduPersonEntitlement", "urn:a", "eduPersonEntitlement", "urn:vo",
                "eduPersonScopedAffiliation", "member@x.org");
        assertThat(SamlAcsController.missing(login, List.of("eduPersonEntitlement=urn:vo",
                "eduPersonScopedAffiliation = member@x.org"))).isNull();
        assertThat(SamlAcsController.missing(login, List.of("eduPersonEntitlement=urn:vo",
                "eduPersonEntitlement=urn:other"))).isEqualTo("eduPersonEntitlement=urn:other");
        assertThat(SamlAcsController.missing(login(null), List.of("urn:oid:1.3.6.1.4.1.5923.1.1.1.7=urn:vo")))
                .isEqualTo("urn:oid:1.3.6.1.4.1.5923.1.1.1.7=urn:vo");
    }
}
