package eu.tessera.saml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.tessera.saml.metadata.IdentityProvider;
import eu.tessera.saml.testing.TestIdp;
import eu.tessera.saml.testing.TestMetadata;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The assertion consumer's checks, against Responses from an independent test IdP: the shapes real IdPs send
 * (Response signed, Assertion signed, encrypted with GCM or CBC), then one spoiled field at a time, signature
 * wrapping variants, DOCTYPE/XXE, dangerous encryption KeyInfo and unknown algorithms.
 */
class SamlResponsesTest {

    static final String SP = "https://tessera.example.org/saml/metadata";
    static final String ACS = "https://tessera.example.org/saml/acs";
    static final TestMetadata.Signer SP_KEYS = TestMetadata.signer("SP");
    static final TestMetadata.Signer OTHER = TestMetadata.signer("Other");
    static final TestIdp IDP = new TestIdp("https://idp.example.org/idp/shibboleth", TestMetadata.signer("IdP"));
    static final IdentityProvider METADATA = IDP.metadata("https://idp.example.org/sso");

    private final String requestId = TestIdp.id();

    private TestIdp.Spec spec() {
        return new TestIdp.Spec(requestId, ACS, SP).attribute(SamlAttributes.UNIQUE_ID, "alice123@example.org")
                .attribute(SamlAttributes.MAIL, "alice@example.org")
                .attribute(SamlAttributes.ENTITLEMENT, "urn:mace:egi.eu:group:vo.example.org", "urn:x:second");
    }

    private SamlResponses.Expectations expected() {
        return new SamlResponses.Expectations(SP, ACS, requestId, Duration.ofSeconds(60), Instant.now());
    }

    private LoginAssertion validate(Document response) throws SamlException {
        return validate(TestIdp.base64(response), List.of(SP_KEYS.key()));
    }

    private LoginAssertion validate(String base64, List<PrivateKey> keys) throws SamlException {
        return SamlResponses.validate(SamlResponses.read(base64), METADATA, expected(), keys);
    }

    /** As a metadata source that allows AES-CBC and/or requires a signed Response would validate. */
    private LoginAssertion validate(Document response, boolean allowCbc, boolean requireSignedResponse)
            throws SamlException {
        return SamlResponses.validate(SamlResponses.read(TestIdp.base64(response)), METADATA,
                new SamlResponses.Expectations(SP, ACS, requestId, Duration.ofSeconds(60), Instant.now(), allowCbc,
                        requireSignedResponse), List.of(SP_KEYS.key()));
    }

    private void refused(Consumer<TestIdp.Spec> spoil, String message) {
        TestIdp.Spec spec = spec();
        spoil.accept(spec);
        assertThatThrownBy(() -> validate(IDP.response(spec))).isInstanceOf(SamlException.class)
                .hasMessageContaining(message);
    }

    @Test
    void signedResponseGivesIdentityAndAttributes() throws Exception {
        LoginAssertion login = validate(IDP.response(spec()));
        assertThat(login.idp()).isEqualTo(IDP.entityId);
        assertThat(login.first("eduPersonUniqueId")).isEqualTo("alice123@example.org");
        assertThat(login.first("mail")).isEqualTo("alice@example.org");
        assertThat(login.values("eduPersonEntitlement")).containsExactly("urn:mace:egi.eu:group:vo.example.org",
                "urn:x:second");
        assertThat(login.nameId()).isEqualTo("AAdzZWNyZXQxxbOoK8ehAJwC2hX6");
        assertThat(login.nameIdFormat()).isEqualTo(SamlAttributes.PERSISTENT_NAME_ID);
        assertThat(login.encrypted()).isFalse();
        assertThat(login.authnContexts())
                .containsExactly("urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport");
        assertThat(login.replayUntil()).isAfter(Instant.now().plus(Duration.ofMinutes(5)));
    }

    @Test
    void onlyTheAssertionSignedIsAccepted() throws Exception {
        TestIdp.Spec spec = spec();
        spec.signResponse = false;
        spec.signAssertion = true;
        assertThat(validate(IDP.response(spec)).first("mail")).isEqualTo("alice@example.org");
    }

    @Test
    void encryptedAssertionsAreDecryptedWithGcmAndTheRightKeyOfSeveral() throws Exception {
        for (String algorithm : List.of("http://www.w3.org/2009/xmlenc11#aes128-gcm",
                "http://www.w3.org/2009/xmlenc11#aes256-gcm")) {
            TestIdp.Spec spec = spec();
            spec.encryptTo = SP_KEYS.certificate();
            spec.dataAlgorithm = algorithm;
            LoginAssertion login = validate(TestIdp.base64(IDP.response(spec)), List.of(OTHER.key(), SP_KEYS.key()));
            assertThat(login.encrypted()).isTrue();
            assertThat(login.first("eduPersonUniqueId")).as(algorithm).isEqualTo("alice123@example.org");
        }
        // Shibboleth's default: the Response signed, the encrypted Assertion not; and the reverse
        TestIdp.Spec signedInside = spec();
        signedInside.encryptTo = SP_KEYS.certificate();
        signedInside.signResponse = false;
        signedInside.signAssertion = true;
        assertThat(validate(IDP.response(signedInside)).first("mail")).isEqualTo("alice@example.org");
    }

    @Test
    void cbcEncryptedAssertionWhenTheSourceDoesNotAllowItThenRefusedAndWhenItDoesThenRead() throws Exception {
        for (String algorithm : List.of("http://www.w3.org/2001/04/xmlenc#aes128-cbc",
                "http://www.w3.org/2001/04/xmlenc#aes256-cbc")) {
            TestIdp.Spec spec = spec();
            spec.encryptTo = SP_KEYS.certificate();
            spec.dataAlgorithm = algorithm;
            Document response = IDP.response(spec);
            assertThatThrownBy(() -> validate(response)).isInstanceOf(SamlException.class)
                    .hasMessageContaining("AES-CBC, which is refused").hasMessageContaining("allow-cbc");
            assertThat(validate(response, true, false).first("eduPersonUniqueId")).as(algorithm)
                    .isEqualTo("alice123@example.org");
        }
    }

    @Test
    void responseWithOnlyItsAssertionSignedWhenTheSourceRequiresASignedResponseThenRefused() throws Exception {
        TestIdp.Spec spec = spec();
        spec.signResponse = false;
        spec.signAssertion = true;
        spec.encryptTo = SP_KEYS.certificate();
        assertThatThrownBy(() -> validate(IDP.response(spec), false, true)).isInstanceOf(SamlException.class)
                .hasMessageContaining("the Response is not signed");
        TestIdp.Spec both = spec();
        both.encryptTo = SP_KEYS.certificate();
        assertThat(validate(IDP.response(both), false, true).first("mail")).isEqualTo("alice@example.org");
    }

    @Test
    void encryptionProblemsAreRefused() {
        refused(s -> s.encryptTo = OTHER.certificate(), "cannot be decrypted with this service's key");
        refused(s -> {
            s.encryptTo = SP_KEYS.certificate();
            s.keyTransport = "http://www.w3.org/2001/04/xmlenc#rsa-1_5";
        }, "key transport algorithm not allowed");
        refused(s -> {
            s.encryptTo = SP_KEYS.certificate();
            s.dataAlgorithm = "http://www.w3.org/2001/04/xmlenc#tripledes-cbc";
        }, "assertion encryption algorithm not allowed");
        // the 2022-12 advisory: KeyInfo that makes the decrypter fetch or transform is refused before any crypto
        refused(s -> {
            s.encryptTo = SP_KEYS.certificate();
            s.keyInfoExtra = "<ds:RetrievalMethod URI=\"#key\" Type=\"http://www.w3.org/2001/04/xmlenc#EncryptedKey\">"
                    + "<ds:Transforms><ds:Transform Algorithm=\"http://www.w3.org/TR/1999/REC-xslt-19991116\"/>"
                    + "</ds:Transforms></ds:RetrievalMethod>";
        }, "RetrievalMethod");
        refused(s -> {   // a bare pointer, but not to a peer EncryptedKey of this assertion
            s.encryptTo = SP_KEYS.certificate();
            s.keyInfoExtra = "<ds:RetrievalMethod URI=\"http://evil.example.org/key\" "
                    + "Type=\"http://www.w3.org/2001/04/xmlenc#EncryptedKey\"/>";
        }, "RetrievalMethod");
        refused(s -> {
            s.encryptTo = SP_KEYS.certificate();
            s.keyInfoExtra = "<dsig11:KeyInfoReference xmlns:dsig11=\"http://www.w3.org/2009/xmldsig11#\" URI=\"#k\"/>";
        }, "KeyInfoReference");
        refused(s -> {
            s.encryptTo = SP_KEYS.certificate();
            s.signResponse = false;   // the unsigned encrypted assertion of an unsigned Response
        }, "neither the Response nor the Assertion is signed");
    }

    @Test
    void eachSpoiledFieldIsRefusedWithItsReason() {
        refused(s -> s.signResponse = false, "neither the Response nor the Assertion is signed");
        refused(s -> s.audience = "https://other-sp.example.org", "meant for another service (Audience)");
        refused(s -> s.destination = "https://evil.example.org/acs", "addressed to another service");
        refused(s -> s.destination = null, "signed Response has no Destination");
        refused(s -> s.recipient = "https://evil.example.org/acs", "another recipient (Recipient)");
        refused(s -> s.requestId = TestIdp.id(), "does not answer this login's request (InResponseTo)");
        refused(s -> s.subjectInResponseTo = TestIdp.id(), "SubjectConfirmationData InResponseTo");
        refused(s -> s.notOnOrAfter = Instant.now().minusSeconds(120), "has expired (NotOnOrAfter");
        refused(s -> s.confirmationNotOnOrAfter = Instant.now().minusSeconds(120),
                "SubjectConfirmationData NotOnOrAfter");
        refused(s -> s.notBefore = Instant.now().plusSeconds(600), "not valid yet");
        refused(s -> s.issueInstant = Instant.now().plusSeconds(600), "IssueInstant");
        refused(s -> s.issuer = "https://evil.example.org/idp", "issued by https://evil.example.org/idp");
        refused(s -> {
            s.assertionIssuer = "https://evil.example.org/idp";
        }, "Assertion was issued by https://evil.example.org/idp");
        refused(s -> {
            s.status = "urn:oasis:names:tc:SAML:2.0:status:Responder";
            s.subStatus = "urn:oasis:names:tc:SAML:2.0:status:AuthnFailed";
        }, "did not log you in (Responder/AuthnFailed: Authentication failed)");
    }

    @Test
    void clockSkewIsAllowedWithinItsBound() throws Exception {
        TestIdp.Spec spec = spec();
        spec.notOnOrAfter = Instant.now().minusSeconds(30);   // within the 60 s skew
        spec.notBefore = Instant.now().plusSeconds(30);
        assertThat(validate(IDP.response(spec)).first("mail")).isEqualTo("alice@example.org");
    }

    @Test
    void signedByAKeyNotInMetadataOrTamperedIsRefused() {
        TestIdp impostor = new TestIdp(IDP.entityId, OTHER);
        assertThatThrownBy(() -> validate(impostor.response(spec()))).hasMessageContaining("does not verify");
        Document response = IDP.response(spec());
        Element value = (Element) response.getElementsByTagNameNS(TestIdp.SAML, "AttributeValue").item(0);
        value.setTextContent("admin@example.org");
        assertThatThrownBy(() -> validate(response)).hasMessageContaining("does not verify");
    }

    @Test
    void signatureWrappingIsRefused() throws Exception {
        // XSW1-like: an evil unsigned Response around the genuine signed one
        Document genuine = IDP.response(spec());
        TestIdp.Spec evilSpec = spec();
        evilSpec.signResponse = false;
        evilSpec.attributes.put(SamlAttributes.UNIQUE_ID, List.of("root@example.org"));
        Document evil = IDP.response(evilSpec);
        Node signature = genuine.getDocumentElement().getElementsByTagNameNS("http://www.w3.org/2000/09/xmldsig#",
                "Signature").item(0);
        evil.getDocumentElement().insertBefore(evil.importNode(signature, true),
                evil.getDocumentElement().getFirstChild().getNextSibling());
        // the original signed content hidden as a descendant, the signature now pointing at it
        Element hidden = (Element) evil.importNode(genuine.getDocumentElement(), true);
        ((Element) evil.getElementsByTagNameNS(TestIdp.SAMLP, "Status").item(0)).appendChild(hidden);
        assertThatThrownBy(() -> validate(evil)).hasMessageContaining("does not sign the Response");

        // XSW with the same ID: the evil Response takes the genuine one's ID and signature
        Document sameId = IDP.response(evilSpec);
        sameId.getDocumentElement().setAttribute("ID", genuine.getDocumentElement().getAttribute("ID"));
        sameId.getDocumentElement().insertBefore(sameId.importNode(signature, true),
                sameId.getDocumentElement().getFirstChild().getNextSibling());
        Element extensions = sameId.createElementNS(TestIdp.SAMLP, "samlp:Extensions");
        extensions.appendChild(sameId.importNode(genuine.getDocumentElement(), true));
        sameId.getDocumentElement().appendChild(extensions);
        assertThatThrownBy(() -> validate(sameId)).hasMessageContaining("does not verify");

        // XSW on the assertion: a signed genuine assertion moved aside, an evil one in its place
        TestIdp.Spec assertionSigned = spec();
        assertionSigned.signResponse = false;
        assertionSigned.signAssertion = true;
        Document signedAssertion = IDP.response(assertionSigned);
        Element good = (Element) signedAssertion.getElementsByTagNameNS(TestIdp.SAML, "Assertion").item(0);
        Element forged = (Element) signedAssertion.importNode(IDP.assertion(evilSpec).getDocumentElement(), true);
        forged.setAttribute("ID", good.getAttribute("ID"));
        Node goodSignature = good.getElementsByTagNameNS("http://www.w3.org/2000/09/xmldsig#", "Signature").item(0);
        forged.insertBefore(goodSignature.cloneNode(true), forged.getFirstChild().getNextSibling());
        signedAssertion.getDocumentElement().replaceChild(forged, good);
        forged.getElementsByTagNameNS(TestIdp.SAML, "Subject").item(0).appendChild(good);
        assertThatThrownBy(() -> validate(signedAssertion)).hasMessageContaining("does not verify");

        // two assertions: the signed genuine one and an unsigned evil one beside it
        Document two = IDP.response(spec());
        two.getDocumentElement().appendChild(two.importNode(IDP.assertion(evilSpec).getDocumentElement(), true));
        assertThatThrownBy(() -> validate(two)).hasMessageContaining("does not verify");
        TestIdp.Spec unsignedBoth = spec();
        unsignedBoth.signResponse = false;
        unsignedBoth.signAssertion = true;
        Document twoAssertions = IDP.response(unsignedBoth);
        twoAssertions.getDocumentElement().appendChild(twoAssertions.importNode(IDP.assertion(evilSpec)
                .getDocumentElement(), true));
        assertThatThrownBy(() -> validate(twoAssertions)).hasMessageContaining("exactly one assertion");
    }

    @Test
    void doctypeXxeAndEntityExpansionAreRefusedBeforeAnythingElse() {
        String signed = TestIdp.serialize(IDP.response(spec()).getDocumentElement());
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + signed.replace("alice@example.org", "&x;");
        assertThatThrownBy(() -> validate(TestIdp.base64(xxe), List.of())).hasMessageContaining("DOCTYPE");
        String laughs = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>"
                + signed.replace("alice@example.org", "&b;");
        assertThatThrownBy(() -> validate(TestIdp.base64(laughs), List.of())).hasMessageContaining("DOCTYPE");
        assertThatThrownBy(() -> SamlResponses.read("not base64 !!")).hasMessageContaining("not base64");
        assertThatThrownBy(() -> SamlResponses.read(TestIdp.base64("<a>"))).hasMessageContaining("not well-formed");
        assertThatThrownBy(() -> SamlResponses.read(TestIdp.base64("<x xmlns=\"urn:x\"/>")))
                .hasMessageContaining("not a SAML Response");
    }

    @Test
    void unsolicitedResponsesHaveNoRequestToAnswer() throws Exception {
        TestIdp.Spec spec = spec();
        spec.requestId = null;
        SamlResponses.Unverified unverified = SamlResponses.read(TestIdp.base64(IDP.response(spec)));
        assertThat(unverified.inResponseTo()).isNull();
        assertThat(unverified.issuer()).isEqualTo(IDP.entityId);
        assertThatThrownBy(() -> SamlResponses.validate(unverified, METADATA, expected(), List.of()))
                .hasMessageContaining("InResponseTo");
    }
}
