package eu.tessera.saml;

import eu.tessera.saml.metadata.IdentityProvider;
import java.io.ByteArrayInputStream;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Validates a SAML 2.0 Response received with the HTTP-POST binding at Tessera's assertion consumer service, in the
 * order of the Web Browser SSO profile, with the IdP's signing keys from metadata only:
 * <ol>
 * <li>parsed hardened (no DOCTYPE: no XXE, no entity expansion), the root a {@code samlp:Response};</li>
 * <li>the Response's signature verified if it has one, <em>before</em> anything is decrypted;</li>
 * <li>Issuer, Destination (required when signed), InResponseTo (the pending request), Status Success;</li>
 * <li>exactly one Assertion or EncryptedAssertion as a direct child of the Response, decrypted with the SP key
 * ({@link AssertionDecrypter});</li>
 * <li>the Assertion signed unless the Response was (the assertion read is the very element the verified signature
 * covers: no signature wrapping), its Issuer the IdP;</li>
 * <li>a bearer SubjectConfirmation for this ACS (Recipient, NotOnOrAfter, InResponseTo), Conditions NotBefore /
 * NotOnOrAfter with the clock skew, every AudienceRestriction naming this SP, an AuthnStatement whose session has
 * not ended;</li>
 * <li>attributes by Name.</li>
 * </ol>
 * One-time use of the request and of the assertion ID is the caller's (it shares them between instances).
 */
public final class SamlResponses {

    public static final String PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol";
    public static final String ASSERTION = "urn:oasis:names:tc:SAML:2.0:assertion";
    static final String SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success";
    static final String BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
    static final String ENTITY = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity";
    /** Largest decoded Response accepted (a signed and encrypted one with many attributes is some 20 KB). */
    public static final int MAX_BYTES = 512 * 1024;

    /**
     * What this SP expects of the Response.
     *
     * @param allowCbc              accept AES-CBC assertion encryption (padding-oracle prone; AES-GCM only otherwise),
     *                              as a metadata source may allow for an IdP that cannot do better
     * @param requireSignedResponse refuse a Response whose own signature is missing (only its assertion signed),
     *                              so that nothing is decrypted before a signature is checked
     */
    public record Expectations(String spEntityId, String acsUrl, String requestId, Duration clockSkew, Instant now,
            boolean allowCbc, boolean requireSignedResponse) {

        /** The defaults: AES-GCM only, the Response or the assertion signed. */
        public Expectations(String spEntityId, String acsUrl, String requestId, Duration clockSkew, Instant now) {
            this(spEntityId, acsUrl, requestId, clockSkew, now, false, false);
        }
    }

    /** The IdP answered but did not authenticate the user (its Status is not Success). */
    public static final class StatusException extends SamlException {
        private final String status;

        StatusException(String status, String message) {
            super("the identity provider did not log you in (" + status + (message == null ? "" : ": " + message)
                    + ")");
            this.status = status;
        }

        /** The top-level and second-level status codes, e.g. {@code Responder/AuthnFailed}. */
        public String status() {
            return status;
        }
    }

    /** A parsed Response not yet trusted: only hints to find the pending request and the IdP by. */
    public static final class Unverified {
        private final Element response;

        private Unverified(Element response) {
            this.response = response;
        }

        /** The InResponseTo attribute, or null (an unsolicited Response). */
        public String inResponseTo() {
            String value = response.getAttributeNS(null, "InResponseTo");
            return value.isEmpty() ? null : value;
        }

        /** The Response's Issuer, or null. */
        public String issuer() {
            List<Element> issuers = SecureXml.children(response, ASSERTION, "Issuer");
            return issuers.isEmpty() ? null : issuers.get(0).getTextContent().strip();
        }
    }

    private SamlResponses() {
    }

    /**
     * Decodes and parses the {@code SAMLResponse} form parameter.
     *
     * @throws SamlException when it is not base64, too large, not XML, declares a DOCTYPE, or is no Response
     */
    public static Unverified read(String samlResponse) throws SamlException {
        if (samlResponse == null || samlResponse.isBlank()) {
            throw new SamlException("no SAMLResponse");
        }
        if (samlResponse.length() > MAX_BYTES * 4 / 3 + 4096) {
            throw new SamlException("the SAMLResponse is too large");
        }
        byte[] xml;
        try {
            xml = Base64.getMimeDecoder().decode(samlResponse.strip());
        } catch (IllegalArgumentException e) {
            throw new SamlException("the SAMLResponse is not base64");
        }
        Document document = SecureXml.parse(new ByteArrayInputStream(xml));
        Element root = document.getDocumentElement();
        if (!PROTOCOL.equals(root.getNamespaceURI()) || !"Response".equals(root.getLocalName())) {
            throw new SamlException("not a SAML Response (root " + root.getLocalName() + ")");
        }
        return new Unverified(root);
    }

    /**
     * Validates the Response as coming from {@code idp} for the pending request {@code expected.requestId()}.
     *
     * @param decryptionKeys the SP's private keys encrypted assertions may be addressed to
     * @throws StatusException when the IdP reports a failure
     * @throws SamlException   naming the first check that failed
     */
    public static LoginAssertion validate(Unverified unverified, IdentityProvider idp, Expectations expected,
            List<PrivateKey> decryptionKeys) throws SamlException {
        Element response = unverified.response;
        if (!"2.0".equals(response.getAttributeNS(null, "Version"))) {
            throw new SamlException("not a SAML 2.0 Response");
        }
        String issuer = unverified.issuer();
        if (issuer != null) {
            checkIssuer(SecureXml.children(response, ASSERTION, "Issuer").get(0), idp, "Response");
        }
        boolean responseSigned = EnvelopedSignature.isSigned(response);
        if (responseSigned) {
            verify(response, idp);
        } else if (expected.requireSignedResponse()) {
            throw new SamlException("the Response is not signed, and this IdP's metadata source requires it");
        }
        String destination = response.getAttributeNS(null, "Destination");
        if (responseSigned && destination.isEmpty()) {
            throw new SamlException("the signed Response has no Destination");
        }
        if (!destination.isEmpty() && !destination.equals(expected.acsUrl())) {
            throw new SamlException("the Response is addressed to another service (Destination " + destination + ")");
        }
        if (!expected.requestId().equals(unverified.inResponseTo())) {
            throw new SamlException("the Response does not answer this login's request (InResponseTo)");
        }
        checkStatus(response);
        Instant issued = instant(response, "IssueInstant");
        if (issued == null || issued.isAfter(expected.now().plus(expected.clockSkew()))) {
            throw new SamlException("the Response has no IssueInstant or one in the future");
        }

        List<Element> plain = SecureXml.children(response, ASSERTION, "Assertion");
        List<Element> encrypted = SecureXml.children(response, ASSERTION, "EncryptedAssertion");
        if (plain.size() + encrypted.size() != 1) {
            throw new SamlException("the Response must carry exactly one assertion, it has "
                    + (plain.size() + encrypted.size()));
        }
        // when only the assertion inside is signed, it must be decrypted before its signature can be checked: the
        // decrypter then runs on unauthenticated input (hence its restrictions; requireSignedResponse avoids it)
        Element assertion = plain.isEmpty() ? AssertionDecrypter.decrypt(encrypted.get(0), decryptionKeys,
                expected.allowCbc()) : plain.get(0);
        if (!"2.0".equals(assertion.getAttributeNS(null, "Version")) || assertion.getAttributeNS(null, "ID")
                .isEmpty()) {
            throw new SamlException("the Assertion is not SAML 2.0 or has no ID");
        }
        List<Element> assertionIssuers = SecureXml.children(assertion, ASSERTION, "Issuer");
        if (assertionIssuers.size() != 1) {
            throw new SamlException("the Assertion has no Issuer");
        }
        checkIssuer(assertionIssuers.get(0), idp, "Assertion");
        if (EnvelopedSignature.isSigned(assertion)) {
            verify(assertion, idp);
        } else if (!responseSigned) {
            throw new SamlException("neither the Response nor the Assertion is signed");
        }
        return read(assertion, idp, expected, !encrypted.isEmpty());
    }

    private static LoginAssertion read(Element assertion, IdentityProvider idp, Expectations expected,
            boolean encrypted) throws SamlException {
        Instant now = expected.now();
        Duration skew = expected.clockSkew();
        Element subject = one(assertion, "Subject");
        String nameId = null;
        String nameIdFormat = null;
        List<Element> nameIds = SecureXml.children(subject, ASSERTION, "NameID");
        if (!nameIds.isEmpty()) {
            nameId = nameIds.get(0).getTextContent().strip();
            String format = nameIds.get(0).getAttributeNS(null, "Format");
            nameIdFormat = format.isEmpty() ? null : format;
        }
        Instant confirmedUntil = bearerConfirmation(subject, expected);

        Element conditions = one(assertion, "Conditions");
        Instant notBefore = instant(conditions, "NotBefore");
        Instant notOnOrAfter = instant(conditions, "NotOnOrAfter");
        if (notBefore != null && notBefore.isAfter(now.plus(skew))) {
            throw new SamlException("the Assertion is not valid yet (NotBefore " + notBefore + ")");
        }
        if (notOnOrAfter != null && !notOnOrAfter.isAfter(now.minus(skew))) {
            throw new SamlException("the Assertion has expired (NotOnOrAfter " + notOnOrAfter + ")");
        }
        List<Element> restrictions = SecureXml.children(conditions, ASSERTION, "AudienceRestriction");
        if (restrictions.isEmpty()) {
            throw new SamlException("the Assertion names no audience");
        }
        for (Element restriction : restrictions) {
            boolean ours = SecureXml.children(restriction, ASSERTION, "Audience").stream()
                    .anyMatch(audience -> audience.getTextContent().strip().equals(expected.spEntityId()));
            if (!ours) {
                throw new SamlException("the Assertion is meant for another service (Audience)");
            }
        }

        List<Element> statements = SecureXml.children(assertion, ASSERTION, "AuthnStatement");
        if (statements.isEmpty()) {
            throw new SamlException("the Assertion has no AuthnStatement");
        }
        Instant authnInstant = instant(statements.get(0), "AuthnInstant");
        Instant sessionEnd = instant(statements.get(0), "SessionNotOnOrAfter");
        if (authnInstant == null) {
            throw new SamlException("the AuthnStatement has no AuthnInstant");
        }
        if (sessionEnd != null && !sessionEnd.isAfter(now.minus(skew))) {
            throw new SamlException("the session at the identity provider has ended (SessionNotOnOrAfter)");
        }

        List<String> contexts = new ArrayList<>();
        for (Element statement : statements) {
            for (Element context : SecureXml.children(statement, ASSERTION, "AuthnContext")) {
                for (Element reference : SecureXml.children(context, ASSERTION, "AuthnContextClassRef")) {
                    String text = reference.getTextContent().strip();
                    if (!text.isEmpty()) {
                        contexts.add(text);
                    }
                }
            }
        }

        Map<String, List<String>> attributes = new LinkedHashMap<>();
        for (Element statement : SecureXml.children(assertion, ASSERTION, "AttributeStatement")) {
            for (Element attribute : SecureXml.children(statement, ASSERTION, "Attribute")) {
                List<String> values = attributes.computeIfAbsent(attribute.getAttributeNS(null, "Name"),
                        k -> new ArrayList<>());
                for (Element value : SecureXml.children(attribute, ASSERTION, "AttributeValue")) {
                    List<Element> innerNameIds = SecureXml.children(value, ASSERTION, "NameID");
                    String text = (innerNameIds.isEmpty() ? value : innerNameIds.get(0)).getTextContent().strip();
                    if (!text.isEmpty()) {
                        values.add(text);
                    }
                }
            }
        }
        Instant replayUntil = notOnOrAfter == null || confirmedUntil.isAfter(notOnOrAfter) ? confirmedUntil
                : notOnOrAfter;
        return new LoginAssertion(idp.entityId(), assertion.getAttributeNS(null, "ID"), replayUntil.plus(skew),
                nameId, nameIdFormat, attributes, authnInstant, encrypted, contexts);
    }

    /** The NotOnOrAfter of a bearer confirmation that holds for this ACS and request, else the reason it fails. */
    private static Instant bearerConfirmation(Element subject, Expectations expected) throws SamlException {
        String reason = "the Assertion has no bearer SubjectConfirmation";
        for (Element confirmation : SecureXml.children(subject, ASSERTION, "SubjectConfirmation")) {
            if (!BEARER.equals(confirmation.getAttributeNS(null, "Method"))) {
                continue;
            }
            List<Element> data = SecureXml.children(confirmation, ASSERTION, "SubjectConfirmationData");
            if (data.size() != 1) {
                reason = "the bearer SubjectConfirmation has no SubjectConfirmationData";
                continue;
            }
            Element d = data.get(0);
            Instant until = instant(d, "NotOnOrAfter");
            Instant from = instant(d, "NotBefore");
            if (!expected.acsUrl().equals(d.getAttributeNS(null, "Recipient"))) {
                reason = "the Assertion is for another recipient (Recipient)";
            } else if (until == null || !until.isAfter(expected.now().minus(expected.clockSkew()))) {
                reason = "the Assertion has expired (SubjectConfirmationData NotOnOrAfter)";
            } else if (from != null) {
                reason = "a bearer SubjectConfirmationData must not have NotBefore";
            } else if (!expected.requestId().equals(d.getAttributeNS(null, "InResponseTo"))) {
                reason = "the Assertion does not answer this login's request (SubjectConfirmationData InResponseTo)";
            } else {
                return until;
            }
        }
        throw new SamlException(reason);
    }

    private static void checkStatus(Element response) throws SamlException {
        List<Element> statuses = SecureXml.children(response, PROTOCOL, "Status");
        if (statuses.size() != 1) {
            throw new SamlException("the Response has no Status");
        }
        List<Element> codes = SecureXml.children(statuses.get(0), PROTOCOL, "StatusCode");
        String code = codes.isEmpty() ? "" : codes.get(0).getAttributeNS(null, "Value");
        if (SUCCESS.equals(code)) {
            return;
        }
        String status = shortStatus(code);
        List<Element> second = codes.isEmpty() ? List.of()
                : SecureXml.children(codes.get(0), PROTOCOL, "StatusCode");
        if (!second.isEmpty()) {
            status += "/" + shortStatus(second.get(0).getAttributeNS(null, "Value"));
        }
        List<Element> messages = SecureXml.children(statuses.get(0), PROTOCOL, "StatusMessage");
        String message = messages.isEmpty() ? null : messages.get(0).getTextContent().strip();
        throw new StatusException(status, message == null || message.length() <= 200 ? message
                : message.substring(0, 200));
    }

    private static String shortStatus(String code) {
        return code.startsWith("urn:oasis:names:tc:SAML:2.0:status:") ? code.substring(35) : code;
    }

    private static void checkIssuer(Element issuer, IdentityProvider idp, String what) throws SamlException {
        String format = issuer.getAttributeNS(null, "Format");
        if (!format.isEmpty() && !ENTITY.equals(format)) {
            throw new SamlException("the " + what + " Issuer is not an entity");
        }
        if (!idp.entityId().equals(issuer.getTextContent().strip())) {
            throw new SamlException("the " + what + " was issued by " + issuer.getTextContent().strip()
                    + ", not by the identity provider the login went to");
        }
    }

    /** Verifies with each of the IdP's signing keys in turn: any one of them (key rollover) suffices. */
    private static void verify(Element element, IdentityProvider idp) throws SamlException {
        if (idp.signingCertificates().isEmpty()) {
            throw new SamlException("the identity provider's metadata has no signing key");
        }
        SamlException last = null;
        for (X509Certificate certificate : idp.signingCertificates()) {
            try {
                EnvelopedSignature.verify(element, certificate.getPublicKey());
                return;
            } catch (SamlException e) {
                last = e;
            }
        }
        throw last;
    }

    private static Element one(Element parent, String localName) throws SamlException {
        List<Element> elements = SecureXml.children(parent, ASSERTION, localName);
        if (elements.size() != 1) {
            throw new SamlException("the Assertion must have one " + localName);
        }
        return elements.get(0);
    }

    private static Instant instant(Element element, String attribute) throws SamlException {
        String value = element.getAttributeNS(null, attribute).strip();
        if (value.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException notInstant) {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException notOffset) {
                try {
                    return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException e) {
                    throw new SamlException("invalid time in " + attribute + ": " + value);
                }
            }
        }
    }
}
