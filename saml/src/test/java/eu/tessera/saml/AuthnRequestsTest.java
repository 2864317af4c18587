package eu.tessera.saml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.tessera.saml.testing.TestMetadata;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** Checked the way an IdP checks a Redirect-binding request: the query signature, then the inflated XML. */
class AuthnRequestsTest {

    static Map<String, String> query(String url) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            parameters.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return parameters;
    }

    @Test
    void redirectThenSignedOverTheQueryAndInflatesToTheRequest() throws Exception {
        TestMetadata.Signer sp = TestMetadata.signer("sp");
        AuthnRequests.Redirect redirect = AuthnRequests.redirect("https://idp.example.org/sso?x=1",
                "https://tessera.example.org/saml/acs", "https://tessera.example.org/saml/metadata", "r1",
                sp.key(), Instant.parse("2026-11-25T10:00:00Z"));
        assertThat(redirect.url()).startsWith("https://idp.example.org/sso?x=1&SAMLRequest=");
        Map<String, String> raw = query(redirect.url());
        String signed = "SAMLRequest=" + raw.get("SAMLRequest") + "&RelayState=" + raw.get("RelayState")
                + "&SigAlg=" + raw.get("SigAlg");
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(sp.certificate().getPublicKey());
        verifier.update(signed.getBytes(StandardCharsets.UTF_8));
        assertThat(verifier.verify(Base64.getDecoder().decode(URLDecoder.decode(raw.get("Signature"),
                StandardCharsets.UTF_8)))).isTrue();
        assertThat(URLDecoder.decode(raw.get("SigAlg"), StandardCharsets.UTF_8)).isEqualTo(AuthnRequests.RSA_SHA256);

        byte[] deflated = Base64.getDecoder().decode(URLDecoder.decode(raw.get("SAMLRequest"), StandardCharsets.UTF_8));
        ByteArrayOutputStream xml = new ByteArrayOutputStream();
        try (InflaterInputStream in = new InflaterInputStream(new ByteArrayInputStream(deflated), new Inflater(true))) {
            in.transferTo(xml);
        }
        Element request = SecureXml.parse(new ByteArrayInputStream(xml.toByteArray())).getDocumentElement();
        assertThat(request.getLocalName()).isEqualTo("AuthnRequest");
        assertThat(request.getAttribute("ID")).isEqualTo(redirect.id()).matches("_[0-9a-f]{32}");
        assertThat(request.getAttribute("Destination")).isEqualTo("https://idp.example.org/sso?x=1");
        assertThat(request.getAttribute("AssertionConsumerServiceURL")).isEqualTo("https://tessera.example.org/saml/acs");
        assertThat(request.getAttribute("IssueInstant")).isEqualTo("2026-11-25T10:00:00Z");
        assertThat(request.getElementsByTagNameNS("urn:oasis:names:tc:SAML:2.0:assertion", "Issuer").item(0)
                .getTextContent()).isEqualTo("https://tessera.example.org/saml/metadata");
        assertThat(AuthnRequests.newId()).isNotEqualTo(AuthnRequests.newId());
    }

    @Test
    void xmlWhenContextRequestedThenRequestedAuthnContextExactAfterNameIdPolicy() throws Exception {
        Element request = SecureXml.parse(new ByteArrayInputStream(AuthnRequests.xml("_1", Instant.EPOCH,
                "https://idp/sso", "https://sp/acs", "https://sp", "https://refeds.org/profile/mfa")
                .getBytes(StandardCharsets.UTF_8))).getDocumentElement();
        Element requested = (Element) request.getElementsByTagNameNS("urn:oasis:names:tc:SAML:2.0:protocol",
                "RequestedAuthnContext").item(0);
        assertThat(requested.getAttribute("Comparison")).isEqualTo("exact");
        assertThat(requested.getTextContent()).isEqualTo("https://refeds.org/profile/mfa");
        // SAML Core's schema order: NameIDPolicy before RequestedAuthnContext
        assertThat(requested.getPreviousSibling().getLocalName()).isEqualTo("NameIDPolicy");
        assertThat(AuthnRequests.xml("_1", Instant.EPOCH, "https://idp/sso", "https://sp/acs", "https://sp"))
                .doesNotContain("RequestedAuthnContext");
    }

    @Test
    void oversizedRelayStateThenRefusedAndMarkupEscaped() {
        TestMetadata.Signer sp = TestMetadata.signer("sp");
        assertThatThrownBy(() -> AuthnRequests.redirect("https://idp/sso", "https://sp/acs", "https://sp", "x".repeat(81),
                sp.key(), Instant.now())).hasMessageContaining("80 bytes");
        assertThat(AuthnRequests.xml("_1", Instant.EPOCH, "https://idp/sso?a=1&b=\"2\"", "https://sp/acs",
                "<sp>")).contains("Destination=\"https://idp/sso?a=1&amp;b=&quot;2&quot;\"", "<saml:Issuer>&lt;sp&gt;");
    }
}
