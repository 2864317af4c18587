package eu.tessera.saml.testing;

import eu.tessera.saml.EnvelopedSignature;
import eu.tessera.saml.SamlException;
import eu.tessera.saml.metadata.IdentityProvider;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A SAML IdP for tests, written independently of the SP code it tests: it builds Responses as Shibboleth and
 * SimpleSAMLphp send them (signed Response and/or signed Assertion, the assertion optionally encrypted to the SP
 * certificate with AES-GCM or AES-CBC and RSA-OAEP), and every field can be set wrong on purpose. The negative tests
 * change the returned documents further (signature wrapping, DOCTYPEs).
 */
public final class TestIdp {

    public static final String SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol";
    public static final String SAML = "urn:oasis:names:tc:SAML:2.0:assertion";
    public static final String XENC = "http://www.w3.org/2001/04/xmlenc#";
    private static final SecureRandom RANDOM = new SecureRandom();

    public final String entityId;
    public final TestMetadata.Signer signer;

    public TestIdp(String entityId, TestMetadata.Signer signer) {
        this.entityId = entityId;
        this.signer = signer;
    }

    /** This IdP as Tessera's metadata index knows it. */
    public IdentityProvider metadata(String ssoUrl) {
        return new IdentityProvider(entityId, Map.of("en", "Test University"), Set.of("example.org"), ssoUrl,
                List.of(signer.certificate()), Set.of());
    }

    /** What to put in a Response; public fields so tests can spoil any one of them. */
    public static final class Spec {
        public String requestId;
        public String acsUrl;
        public String audience;
        public String destination;
        public String issuer;
        public String assertionIssuer;
        public String recipient;
        public String subjectInResponseTo;
        public String nameId = "AAdzZWNyZXQxxbOoK8ehAJwC2hX6";
        public String nameIdFormat = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent";
        public Map<String, List<String>> attributes = new LinkedHashMap<>();
        public Instant issueInstant = Instant.now();
        public Instant notBefore = Instant.now().minusSeconds(5);
        public Instant notOnOrAfter = Instant.now().plus(Duration.ofMinutes(5));
        public Instant confirmationNotOnOrAfter = Instant.now().plus(Duration.ofMinutes(5));
        public String status = "urn:oasis:names:tc:SAML:2.0:status:Success";
        public String subStatus;
        public boolean signResponse = true;
        public boolean signAssertion = false;
        /** Encrypt the assertion to this certificate (null: plain). */
        public X509Certificate encryptTo;
        public String dataAlgorithm = "http://www.w3.org/2009/xmlenc11#aes128-gcm";
        public String keyTransport = XENC + "rsa-oaep-mgf1p";
        /** Extra XML put in the EncryptedKey's EncryptionMethod's sibling position (e.g. a RetrievalMethod). */
        public String keyInfoExtra = "";

        public Spec(String requestId, String acsUrl, String spEntityId) {
            this.requestId = requestId;
            this.acsUrl = acsUrl;
            this.audience = spEntityId;
            this.destination = acsUrl;
            this.recipient = acsUrl;
            this.subjectInResponseTo = requestId;
        }

        public Spec attribute(String name, String... values) {
            attributes.put(name, List.of(values));
            return this;
        }
    }

    /** A fresh SAML ID. */
    public static String id() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return "_" + HexFormat.of().formatHex(bytes);
    }

    /** The Assertion alone, in a document of its own (signed if the spec says so). */
    public Document assertion(Spec spec) {
        StringBuilder attributes = new StringBuilder();
        for (Map.Entry<String, List<String>> attribute : spec.attributes.entrySet()) {
            attributes.append("<saml:Attribute NameFormat=\"urn:oasis:names:tc:SAML:2.0:attrname-format:uri\" Name=\"")
                    .append(esc(attribute.getKey())).append("\">");
            for (String value : attribute.getValue()) {
                attributes.append("<saml:AttributeValue xsi:type=\"xs:string\">").append(esc(value))
                        .append("</saml:AttributeValue>");
            }
            attributes.append("</saml:Attribute>");
        }
        String xml = "<saml:Assertion xmlns:saml=\"" + SAML + "\" xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" "
                + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" ID=\"" + id() + "\" Version=\"2.0\" "
                + "IssueInstant=\"" + spec.issueInstant + "\">"
                + "<saml:Issuer>" + esc(spec.assertionIssuer != null ? spec.assertionIssuer : entityId)
                + "</saml:Issuer>"
                + "<saml:Subject>" + (spec.nameId == null ? "" : "<saml:NameID Format=\"" + esc(spec.nameIdFormat)
                        + "\">" + esc(spec.nameId) + "</saml:NameID>")
                + "<saml:SubjectConfirmation Method=\"urn:oasis:names:tc:SAML:2.0:cm:bearer\">"
                + "<saml:SubjectConfirmationData NotOnOrAfter=\"" + spec.confirmationNotOnOrAfter + "\" Recipient=\""
                + esc(spec.recipient) + "\" InResponseTo=\"" + esc(spec.subjectInResponseTo) + "\"/>"
                + "</saml:SubjectConfirmation></saml:Subject>"
                + "<saml:Conditions NotBefore=\"" + spec.notBefore + "\" NotOnOrAfter=\"" + spec.notOnOrAfter + "\">"
                + "<saml:AudienceRestriction><saml:Audience>" + esc(spec.audience) + "</saml:Audience>"
                + "</saml:AudienceRestriction></saml:Conditions>"
                + "<saml:AuthnStatement AuthnInstant=\"" + spec.issueInstant + "\" SessionIndex=\"" + id() + "\">"
                + "<saml:AuthnContext><saml:AuthnContextClassRef>"
                + "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef>"
                + "</saml:AuthnContext></saml:AuthnStatement>"
                + "<saml:AttributeStatement>" + attributes + "</saml:AttributeStatement></saml:Assertion>";
        Document document = parse(xml);
        if (spec.signAssertion) {
            sign(document.getDocumentElement());
        }
        return document;
    }

    /** The whole Response, signed, encrypted as the spec says. */
    public Document response(Spec spec) {
        String status = "<samlp:Status><samlp:StatusCode Value=\"" + esc(spec.status) + "\">"
                + (spec.subStatus == null ? "" : "<samlp:StatusCode Value=\"" + esc(spec.subStatus) + "\"/>")
                + "</samlp:StatusCode>" + (spec.subStatus == null ? "" : "<samlp:StatusMessage>Authentication failed"
                        + "</samlp:StatusMessage>") + "</samlp:Status>";
        Document assertion = assertion(spec);
        String assertionXml = serialize(assertion.getDocumentElement());
        String carried = spec.encryptTo == null ? assertionXml : encrypt(assertionXml, spec);
        String xml = "<samlp:Response xmlns:samlp=\"" + SAMLP + "\" xmlns:saml=\"" + SAML + "\" ID=\"" + id()
                + "\" Version=\"2.0\" IssueInstant=\"" + spec.issueInstant + "\""
                + (spec.destination == null ? "" : " Destination=\"" + esc(spec.destination) + "\"")
                + (spec.requestId == null ? "" : " InResponseTo=\"" + esc(spec.requestId) + "\"") + ">"
                + "<saml:Issuer>" + esc(spec.issuer != null ? spec.issuer : entityId) + "</saml:Issuer>"
                + status + (spec.status.endsWith(":Success") ? carried : "") + "</samlp:Response>";
        Document document = parse(xml);
        if (spec.signResponse) {
            sign(document.getDocumentElement());
        }
        return document;
    }

    /** The form value of the HTTP-POST binding. */
    public static String base64(Document document) {
        return Base64.getEncoder().encodeToString(serialize(document.getDocumentElement())
                .getBytes(StandardCharsets.UTF_8));
    }

    public static String base64(String xml) {
        return Base64.getEncoder().encodeToString(xml.getBytes(StandardCharsets.UTF_8));
    }

    public void sign(Element element) {
        try {
            EnvelopedSignature.sign(element, signer.key(), signer.certificate());
        } catch (SamlException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encrypt(String assertionXml, Spec spec) {
        try {
            boolean gcm = spec.dataAlgorithm.contains("gcm");
            int keyLength = spec.dataAlgorithm.contains("256") ? 32 : 16;
            byte[] key = new byte[keyLength];
            RANDOM.nextBytes(key);
            byte[] plain = assertionXml.getBytes(StandardCharsets.UTF_8);
            byte[] out;
            if (gcm) {
                byte[] iv = new byte[12];
                RANDOM.nextBytes(iv);
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
                out = concat(iv, cipher.doFinal(plain));
            } else {
                byte[] iv = new byte[16];
                RANDOM.nextBytes(iv);
                int pad = 16 - plain.length % 16;
                byte[] padded = java.util.Arrays.copyOf(plain, plain.length + pad);
                padded[padded.length - 1] = (byte) pad;
                Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
                cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
                out = concat(iv, cipher.doFinal(padded));
            }
            String wrapped;
            if (spec.keyTransport.endsWith("rsa-1_5")) {
                Cipher rsa = Cipher.getInstance("RSA/ECB/PKCS1Padding");
                rsa.init(Cipher.ENCRYPT_MODE, spec.encryptTo.getPublicKey());
                wrapped = Base64.getEncoder().encodeToString(rsa.doFinal(key));
            } else {
                Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
                rsa.init(Cipher.ENCRYPT_MODE, spec.encryptTo.getPublicKey(), new OAEPParameterSpec("SHA-1", "MGF1",
                        MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT));
                wrapped = Base64.getEncoder().encodeToString(rsa.doFinal(key));
            }
            return "<saml:EncryptedAssertion><xenc:EncryptedData xmlns:xenc=\"" + XENC + "\" Type=\"" + XENC
                    + "Element\"><xenc:EncryptionMethod Algorithm=\"" + spec.dataAlgorithm + "\"/>"
                    + "<ds:KeyInfo xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">" + spec.keyInfoExtra
                    + "<xenc:EncryptedKey><xenc:EncryptionMethod Algorithm=\"" + spec.keyTransport + "\">"
                    + "<ds:DigestMethod Algorithm=\"http://www.w3.org/2000/09/xmldsig#sha1\"/></xenc:EncryptionMethod>"
                    + "<xenc:CipherData><xenc:CipherValue>" + wrapped + "</xenc:CipherValue></xenc:CipherData>"
                    + "</xenc:EncryptedKey></ds:KeyInfo><xenc:CipherData><xenc:CipherValue>"
                    + Base64.getEncoder().encodeToString(out) + "</xenc:CipherValue></xenc:CipherData>"
                    + "</xenc:EncryptedData></saml:EncryptedAssertion>";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    public static Document parse(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String serialize(Node node) {
        try {
            var transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter out = new StringWriter();
            transformer.transform(new DOMSource(node), new StreamResult(out));
            return out.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String esc(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
