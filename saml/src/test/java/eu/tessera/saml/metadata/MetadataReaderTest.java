package eu.tessera.saml.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.tessera.saml.SamlException;
import eu.tessera.saml.testing.TestMetadata;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MetadataReaderTest {

    private static TestMetadata.Signer federation;
    private static TestMetadata.Signer idpKey;
    private static final Instant NOW = Instant.now();

    @BeforeAll
    static void keys() {
        federation = TestMetadata.signer("Test Federation Signer");
        idpKey = TestMetadata.signer("idp");
    }

    private static String aggregate(int count) {
        return TestMetadata.aggregate(count, NOW.plus(Duration.ofDays(7)), idpKey.certificate());
    }

    private static Metadata read(byte[] xml, MetadataFilter filter) throws SamlException {
        return MetadataReader.read(new ByteArrayInputStream(xml), federation.certificate(), filter, NOW);
    }

    @Test
    void signedAggregateThenIdpsIndexedWithNamesDomainsEndpointsKeysAndCategories() throws SamlException {
        Metadata metadata = read(TestMetadata.sign(aggregate(6), federation), MetadataFilter.NONE);
        assertThat(metadata.size()).isEqualTo(6);
        IdentityProvider idp = metadata.find("https://idp3.example3.org/idp/shibboleth").orElseThrow();
        assertThat(idp.displayName()).isEqualTo("University 3 (en)");
        assertThat(idp.displayNames()).containsEntry("it", "University 3 (it)");
        assertThat(idp.domains()).contains("idp3.example3.org", "example3.org");
        assertThat(idp.ssoRedirect()).isEqualTo("https://idp3.example3.org/idp/profile/SAML2/Redirect/SSO");
        assertThat(idp.signingCertificates()).hasSize(3).allMatch(c -> c.equals(idpKey.certificate()));
        assertThat(idp.entityCategories()).containsExactly(IdentityProvider.SIRTFI);
        assertThat(metadata.find("https://idp0.example0.org/idp/shibboleth").orElseThrow().entityCategories())
                .contains(IdentityProvider.SIRTFI, IdentityProvider.RESEARCH_AND_SCHOLARSHIP);
        assertThat(metadata.search("university 4", 10)).extracting(IdentityProvider::entityId)
                .containsExactly("https://idp4.example4.org/idp/shibboleth");
        assertThat(metadata.search("example5.org", 10)).hasSize(1);
        assertThat(metadata.validUntil()).isAfter(NOW);
    }

    @Test
    void filtersThenOnlySirtfiOrRandSAndAllowDenyLists() throws SamlException {
        byte[] xml = TestMetadata.sign(aggregate(6), federation);
        assertThat(read(xml, new MetadataFilter(true, false, Set.of(), Set.of())).all())
                .extracting(IdentityProvider::entityId).containsExactly("https://idp0.example0.org/idp/shibboleth",
                        "https://idp3.example3.org/idp/shibboleth");
        assertThat(read(xml, new MetadataFilter(false, true, Set.of(), Set.of())).size()).isEqualTo(3);
        assertThat(read(xml, new MetadataFilter(false, false, Set.of(), Set.of(
                "https://idp1.example1.org/idp/shibboleth"))).size()).isEqualTo(5);
        assertThat(read(xml, new MetadataFilter(false, false, Set.of("https://idp2.example2.org/idp/shibboleth"),
                Set.of())).size()).isEqualTo(1);
    }

    @Test
    void tamperedUnsignedWronglySignedOrExpiredThenRefused() {
        String text = new String(TestMetadata.sign(aggregate(3), federation), StandardCharsets.UTF_8);
        byte[] tampered = text.replace("University 1 (en)", "Evil University").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> read(tampered, MetadataFilter.NONE)).isInstanceOf(SamlException.class)
                .hasMessageContaining("does not verify");
        assertThatThrownBy(() -> read(aggregate(3).getBytes(StandardCharsets.UTF_8), MetadataFilter.NONE))
                .hasMessageContaining("is not signed");
        TestMetadata.Signer other = TestMetadata.signer("Someone Else");
        assertThatThrownBy(() -> read(TestMetadata.sign(aggregate(3), other), MetadataFilter.NONE))
                .hasMessageContaining("does not verify");
        byte[] expired = TestMetadata.sign(TestMetadata.aggregate(2, NOW.minusSeconds(60), idpKey.certificate()),
                federation);
        assertThatThrownBy(() -> read(expired, MetadataFilter.NONE)).hasMessageContaining("expired");
    }

    @Test
    void signatureWrappingThenRefused() {
        String signed = new String(TestMetadata.sign(aggregate(2), federation), StandardCharsets.UTF_8);
        // XSW: the signed aggregate moved inside a new root, evil entity beside it; and a root with a copied ID
        int bodyStart = signed.indexOf("<md:EntitiesDescriptor");
        String original = signed.substring(bodyStart);
        String wrapped = "<md:EntitiesDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" ID=\"evil\" "
                + "validUntil=\"" + NOW.plus(Duration.ofDays(7)) + "\">" + original.replace("<?xml", "<!--")
                + "<md:EntityDescriptor entityID=\"https://evil.example.org/idp\"/></md:EntitiesDescriptor>";
        assertThatThrownBy(() -> read(wrapped.getBytes(StandardCharsets.UTF_8), MetadataFilter.NONE))
                .hasMessageContaining("is not signed");
        // XSW with the original signature kept on a new root carrying the same ID, the signed original nested
        String signature = signed.substring(signed.indexOf("<ds:Signature"), signed.indexOf("</ds:Signature>") + 15);
        String sameId = "<md:EntitiesDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" "
                + "xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" ID=\"agg-2\" validUntil=\""
                + NOW.plus(Duration.ofDays(7)) + "\">" + signature
                + "<md:EntityDescriptor entityID=\"https://evil.example.org/idp\"/>" + original
                + "</md:EntitiesDescriptor>";
        assertThatThrownBy(() -> read(sameId.getBytes(StandardCharsets.UTF_8), MetadataFilter.NONE))
                .hasMessageContaining("does not verify");
        // the signature moved out of the root into an entity, the root's content changed
        String moved = signed.replaceFirst("(<ds:Signature[\\s\\S]*?</ds:Signature>)", "")
                .replace("<md:EntityDescriptor entityID=\"https://idp0", "<md:EntityDescriptor entityID=\"https://evil0");
        assertThatThrownBy(() -> read(moved.getBytes(StandardCharsets.UTF_8), MetadataFilter.NONE))
                .hasMessageContaining("is not signed");
        // two signatures on the root
        String twice = signed.replaceFirst("(<ds:Signature[\\s\\S]*?</ds:Signature>)", "$1$1");
        assertThatThrownBy(() -> read(twice.getBytes(StandardCharsets.UTF_8), MetadataFilter.NONE))
                .hasMessageContaining("more than one signature");
    }

    @Test
    void doctypeExternalEntityOrEntityExpansionThenRefusedBeforeAnything() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE md [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<md:EntitiesDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\">&x;</md:EntitiesDescriptor>";
        assertThatThrownBy(() -> read(xxe.getBytes(StandardCharsets.UTF_8), MetadataFilter.NONE))
                .hasMessageContaining("DOCTYPE is refused");
        String bomb = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]>"
                + "<md:EntitiesDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\">&lol2;</md:EntitiesDescriptor>";
        assertThatThrownBy(() -> read(bomb.getBytes(StandardCharsets.UTF_8), MetadataFilter.NONE))
                .hasMessageContaining("DOCTYPE is refused");
        assertThatThrownBy(() -> read("<nope".getBytes(StandardCharsets.UTF_8), MetadataFilter.NONE))
                .hasMessageContaining("not well-formed");
        assertThatThrownBy(() -> read("<html/>".getBytes(StandardCharsets.UTF_8), MetadataFilter.NONE))
                .hasMessageContaining("not SAML metadata");
    }

    /** A Keycloak-style IdP descriptor: unsigned, no validUntil, no mdui:DisplayName. */
    private static String bareIdp(String entityId, java.security.cert.X509Certificate... signing) {
        StringBuilder keys = new StringBuilder();
        for (java.security.cert.X509Certificate certificate : signing) {
            try {
                keys.append("<md:KeyDescriptor use=\"signing\"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>")
                        .append(java.util.Base64.getEncoder().encodeToString(certificate.getEncoded()))
                        .append("</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>");
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
        return "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" "
                + "xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" entityID=\"" + entityId + "\">"
                + "<md:IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">" + keys
                + "<md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\" "
                + "Location=\"https://kc.example.org/realms/vo/protocol/saml\"/></md:IDPSSODescriptor>"
                + "</md:EntityDescriptor>";
    }

    private static Metadata pinned(String xml, String... fingerprints) throws SamlException {
        return MetadataReader.readPinned(new ByteArrayInputStream(xml.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                Set.of(fingerprints), MetadataFilter.NONE, NOW, Duration.ofDays(7));
    }

    @Test
    void unsignedMetadataWhenPinnedByTheIdpsCertificateThenReadWithADefaultValidityAndOnlyThePinnedKey()
            throws SamlException {
        TestMetadata.Signer rogue = TestMetadata.signer("rogue");
        String fingerprint = MetadataReader.fingerprint(idpKey.certificate());
        // configured as an admin copies it from openssl x509 -fingerprint -sha256: upper case with colons
        String colons = fingerprint.toUpperCase().replaceAll("(..)(?!$)", "$1:");
        Metadata metadata = pinned(bareIdp("https://kc.example.org/realms/vo", idpKey.certificate(),
                rogue.certificate()), colons);
        IdentityProvider idp = metadata.find("https://kc.example.org/realms/vo").orElseThrow();
        assertThat(idp.signingCertificates()).containsExactly(idpKey.certificate());
        assertThat(metadata.validUntil()).isEqualTo(NOW.plus(Duration.ofDays(7)));
        assertThat(idp.displayName()).isEqualTo("https://kc.example.org/realms/vo");
        assertThat(idp.namedIfNameless("VO Keycloak").displayName()).isEqualTo("VO Keycloak");
        assertThat(read(TestMetadata.sign(aggregate(1), federation), MetadataFilter.NONE).all().get(0)
                .namedIfNameless("ignored").displayName()).isEqualTo("University 0 (en)");
    }

    @Test
    void unsignedMetadataWhenNoIdpHasAPinnedCertificateOrTheFingerprintIsMalformedThenRefused() {
        TestMetadata.Signer rogue = TestMetadata.signer("rogue");
        assertThatThrownBy(() -> pinned(bareIdp("https://kc.example.org/realms/vo", rogue.certificate()),
                MetadataReader.fingerprint(idpKey.certificate()))).isInstanceOf(SamlException.class)
                .hasMessageContaining("no IdP in the metadata has a signing certificate with a pinned fingerprint");
        assertThatThrownBy(() -> pinned(bareIdp("https://kc.example.org/realms/vo", idpKey.certificate()), "abc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> pinned("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>",
                MetadataReader.fingerprint(idpKey.certificate()))).isInstanceOf(SamlException.class);
    }
}
