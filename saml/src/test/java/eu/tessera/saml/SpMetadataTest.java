package eu.tessera.saml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.tessera.saml.testing.TestMetadata;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class SpMetadataTest {

    @Test
    void signedMetadataVerifiesWithTheSpKeyAndListsEndpointsKeysAndRequestedAttributes() throws SamlException {
        TestMetadata.Signer signing = TestMetadata.signer("sp signing");
        TestMetadata.Signer encryption = TestMetadata.signer("sp encryption");
        String xml = SpMetadata.signed(new SpMetadata.Settings("https://tessera.example.org/saml/metadata",
                "https://tessera.example.org/saml/acs", "Example <VO>", "https://tessera.example.org",
                signing.certificate(), encryption.certificate(), "ops@example.org", "security@example.org"),
                signing.key(), Instant.now().plus(Duration.ofDays(7)));
        Document document = SecureXml.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        EnvelopedSignature.verify(document.getDocumentElement(), signing.certificate().getPublicKey());
        assertThat(xml).contains("entityID=\"https://tessera.example.org/saml/metadata\"",
                "AuthnRequestsSigned=\"true\"", "WantAssertionsSigned=\"true\"",
                "Location=\"https://tessera.example.org/saml/acs\"", "FriendlyName=\"eduPersonUniqueId\"",
                "Name=\"urn:oasis:names:tc:SAML:attribute:subject-id\"", "use=\"encryption\"",
                "http://refeds.org/metadata/contactType/security", "Example &lt;VO&gt;");
        assertThat(xml.split("RequestedAttribute ", -1)).hasSize(SpMetadata.REQUESTED.size() + 1);
        // signed with the SP key, not verifiable with another
        TestMetadata.Signer other = TestMetadata.signer("other");
        Document again = SecureXml.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> EnvelopedSignature.verify(again.getDocumentElement(),
                other.certificate().getPublicKey())).hasMessageContaining("does not verify");
    }
}
