package eu.tessera.saml;

import static eu.tessera.saml.SecureXml.children;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Decrypts a {@code saml:EncryptedAssertion} with the SP's private key(s), written with the JDK's ciphers only, so
 * that none of the key-resolution machinery the Shibboleth advisory of 2022-12-12 is about runs: no RetrievalMethod
 * (but the bare pointer to a peer EncryptedKey OpenSAML writes, which is not followed), no KeyInfoReference, no
 * Transforms, no CipherReference, no AgreementMethod (refused before any cryptography); the
 * content key only from an inline {@code xenc:EncryptedKey} (in the EncryptedData's KeyInfo or beside it), wrapped
 * with RSA-OAEP (RSA 1.5 is refused: Bleichenbacher); the content AES-GCM, or AES-CBC only where the metadata
 * source allows it (CBC without integrity is a padding-oracle risk when the decryption runs before any signature
 * check, i.e. when only the assertion inside is signed). The plaintext is parsed with
 * {@link SecureXml} (no DOCTYPE) and must be one {@code saml:Assertion}. Every failure after the structure checks
 * reads the same, so the answer is no decryption oracle.
 */
final class AssertionDecrypter {

    static final String XENC = "http://www.w3.org/2001/04/xmlenc#";
    static final String XENC11 = "http://www.w3.org/2009/xmlenc11#";
    static final String DSIG = "http://www.w3.org/2000/09/xmldsig#";
    static final String DSIG11 = "http://www.w3.org/2009/xmldsig11#";

    static final String RSA_OAEP_MGF1P = XENC + "rsa-oaep-mgf1p";
    static final String RSA_OAEP = XENC11 + "rsa-oaep";
    static final String AES128_GCM = XENC11 + "aes128-gcm";
    static final String AES256_GCM = XENC11 + "aes256-gcm";
    static final String AES128_CBC = XENC + "aes128-cbc";
    static final String AES256_CBC = XENC + "aes256-cbc";

    private static final Map<String, Integer> GCM = Map.of(AES128_GCM, 16, XENC11 + "aes192-gcm", 24, AES256_GCM, 32);
    private static final Map<String, Integer> CBC = Map.of(AES128_CBC, 16, XENC + "aes192-cbc", 24, AES256_CBC, 32);
    private static final Map<String, String> DIGESTS = Map.of(
            DSIG + "sha1", "SHA-1", "http://www.w3.org/2001/04/xmldsig-more#sha224", "SHA-224",
            XENC + "sha256", "SHA-256", "http://www.w3.org/2001/04/xmldsig-more#sha384", "SHA-384",
            XENC + "sha512", "SHA-512");
    private static final Map<String, MGF1ParameterSpec> MGFS = Map.of(
            XENC11 + "mgf1sha1", MGF1ParameterSpec.SHA1, XENC11 + "mgf1sha224", MGF1ParameterSpec.SHA224,
            XENC11 + "mgf1sha256", MGF1ParameterSpec.SHA256, XENC11 + "mgf1sha384", MGF1ParameterSpec.SHA384,
            XENC11 + "mgf1sha512", MGF1ParameterSpec.SHA512);
    /** Elements that make a decrypter fetch, transform or derive: refused wherever they appear. */
    private static final Set<String> REFUSED = Set.of(DSIG + " RetrievalMethod", DSIG11 + " KeyInfoReference",
            DSIG + " Transforms", XENC + " Transforms", XENC + " CipherReference", XENC + " AgreementMethod",
            XENC + " DerivedKey", XENC11 + " DerivedKey", XENC11 + " KeyDerivationMethod");
    private static final String UNREADABLE = "the encrypted assertion cannot be decrypted with this service's key";

    private AssertionDecrypter() {
    }

    /**
     * The decrypted assertion, the document element's only child in a new document whose root declares the SAML
     * namespaces an assertion serialized without them may use.
     */
    static Element decrypt(Element encryptedAssertion, List<PrivateKey> keys, boolean allowCbc)
            throws SamlException {
        refuseDangerous(encryptedAssertion);
        List<Element> data = children(encryptedAssertion, XENC, "EncryptedData");
        if (data.size() != 1) {
            throw new SamlException("an EncryptedAssertion must hold exactly one EncryptedData");
        }
        Element encryptedData = data.get(0);
        String algorithm = algorithm(encryptedData);
        if (!GCM.containsKey(algorithm) && !CBC.containsKey(algorithm)) {
            throw new SamlException("assertion encryption algorithm not allowed: " + algorithm);
        }
        if (CBC.containsKey(algorithm) && !allowCbc) {
            throw new SamlException("assertion encrypted with AES-CBC, which is refused (no integrity: a padding "
                    + "oracle): ask the IdP for AES-GCM, or allow CBC for its metadata source (allow-cbc)");
        }
        byte[] cipherText = cipherValue(encryptedData);
        List<Element> encryptedKeys = new ArrayList<>(children(encryptedAssertion, XENC, "EncryptedKey"));
        for (Element keyInfo : children(encryptedData, DSIG, "KeyInfo")) {
            encryptedKeys.addAll(children(keyInfo, XENC, "EncryptedKey"));
        }
        if (encryptedKeys.isEmpty()) {
            throw new SamlException("the encrypted assertion carries no inline EncryptedKey");
        }
        for (Element encryptedKey : encryptedKeys) {
            String transport = algorithm(encryptedKey);
            if (!RSA_OAEP_MGF1P.equals(transport) && !RSA_OAEP.equals(transport)) {
                throw new SamlException("key transport algorithm not allowed: " + transport);
            }
        }
        for (Element encryptedKey : encryptedKeys) {
            for (PrivateKey key : keys) {
                byte[] plain = tryDecrypt(encryptedKey, key, algorithm, cipherText);
                if (plain != null) {
                    return assertion(plain);
                }
            }
        }
        throw new SamlException(UNREADABLE);
    }

    private static void refuseDangerous(Element encryptedAssertion) throws SamlException {
        NodeList all = encryptedAssertion.getElementsByTagNameNS("*", "*");
        for (int i = 0; i < all.getLength(); i++) {
            Node node = all.item(i);
            if (REFUSED.contains(node.getNamespaceURI() + " " + node.getLocalName())
                    && !isPeerKeyPointer((Element) node, encryptedAssertion)) {
                throw new SamlException("the encrypted assertion uses " + node.getLocalName() + ", which is refused");
            }
        }
    }

    /**
     * The one RetrievalMethod accepted: what OpenSAML writes for a peer EncryptedKey (its "PEER" key placement), a
     * bare pointer from the EncryptedData's KeyInfo to an EncryptedKey beside it ({@code Type} EncryptedKey, {@code
     * URI="#id"} of such a sibling, no Transforms or other content). It is never dereferenced: peer keys are read as
     * peers.
     */
    private static boolean isPeerKeyPointer(Element element, Element encryptedAssertion) {
        if (!(DSIG + " RetrievalMethod").equals(element.getNamespaceURI() + " " + element.getLocalName())
                || !(XENC + "EncryptedKey").equals(element.getAttributeNS(null, "Type"))) {
            return false;
        }
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child.getNodeType() != Node.TEXT_NODE || !child.getTextContent().isBlank()) {
                return false;
            }
        }
        Node keyInfo = element.getParentNode();
        Node encryptedData = keyInfo == null ? null : keyInfo.getParentNode();
        if (!(keyInfo instanceof Element k && DSIG.equals(k.getNamespaceURI()) && "KeyInfo".equals(k.getLocalName()))
                || !(encryptedData instanceof Element d && XENC.equals(d.getNamespaceURI())
                        && "EncryptedData".equals(d.getLocalName()) && d.getParentNode() == encryptedAssertion)) {
            return false;
        }
        String uri = element.getAttributeNS(null, "URI");
        return uri.startsWith("#") && children(encryptedAssertion, XENC, "EncryptedKey").stream()
                .anyMatch(key -> key.getAttributeNS(null, "Id").equals(uri.substring(1)));
    }

    private static byte[] tryDecrypt(Element encryptedKey, PrivateKey key, String algorithm, byte[] cipherText)
            throws SamlException {
        byte[] contentKey;
        try {
            Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
            rsa.init(Cipher.DECRYPT_MODE, key, oaep(encryptedKey));
            contentKey = rsa.doFinal(cipherValue(encryptedKey));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return null;   // another key may fit
        }
        int length = GCM.containsKey(algorithm) ? GCM.get(algorithm) : CBC.get(algorithm);
        if (contentKey.length != length) {
            return null;
        }
        try {
            SecretKeySpec aes = new SecretKeySpec(contentKey, "AES");
            if (GCM.containsKey(algorithm)) {
                if (cipherText.length < 12 + 16) {
                    return null;
                }
                Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
                gcm.init(Cipher.DECRYPT_MODE, aes, new GCMParameterSpec(128, cipherText, 0, 12));
                return gcm.doFinal(cipherText, 12, cipherText.length - 12);
            }
            if (cipherText.length < 32 || cipherText.length % 16 != 0) {
                return null;
            }
            Cipher cbc = Cipher.getInstance("AES/CBC/NoPadding");
            cbc.init(Cipher.DECRYPT_MODE, aes, new IvParameterSpec(cipherText, 0, 16));
            byte[] padded = cbc.doFinal(cipherText, 16, cipherText.length - 16);
            int pad = padded[padded.length - 1] & 0xff;   // XML Encryption padding: the last byte counts it
            if (pad < 1 || pad > 16) {
                return null;
            }
            return java.util.Arrays.copyOf(padded, padded.length - pad);
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    private static OAEPParameterSpec oaep(Element encryptedKey) throws SamlException {
        Element method = children(encryptedKey, XENC, "EncryptionMethod").get(0);
        String digest = "SHA-1";
        List<Element> digestMethods = children(method, DSIG, "DigestMethod");
        if (!digestMethods.isEmpty()) {
            digest = DIGESTS.get(digestMethods.get(0).getAttributeNS(null, "Algorithm"));
            if (digest == null) {
                throw new SamlException("OAEP digest not allowed: " + digestMethods.get(0).getAttributeNS(null,
                        "Algorithm"));
            }
        }
        MGF1ParameterSpec mgf = MGF1ParameterSpec.SHA1;
        List<Element> mgfs = children(method, XENC11, "MGF");
        if (!mgfs.isEmpty()) {
            if (!RSA_OAEP.equals(method.getAttributeNS(null, "Algorithm"))) {
                throw new SamlException("rsa-oaep-mgf1p takes no MGF");
            }
            mgf = MGFS.get(mgfs.get(0).getAttributeNS(null, "Algorithm"));
            if (mgf == null) {
                throw new SamlException("OAEP mask generation not allowed: " + mgfs.get(0).getAttributeNS(null,
                        "Algorithm"));
            }
        }
        byte[] label = new byte[0];
        List<Element> params = children(method, XENC, "OAEPparams");
        if (!params.isEmpty()) {
            label = base64(params.get(0).getTextContent());
        }
        return new OAEPParameterSpec(digest, "MGF1", mgf, new PSource.PSpecified(label));
    }

    private static Element assertion(byte[] plain) throws SamlException {
        String xml = new String(plain, StandardCharsets.UTF_8).strip();
        if (xml.startsWith("<?xml")) {
            int end = xml.indexOf("?>");
            xml = end < 0 ? xml : xml.substring(end + 2);
        }
        String wrapped = "<tessera:decrypted xmlns:tessera=\"urn:tessera:decrypted\" "
                + "xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" "
                + "xmlns:saml2=\"urn:oasis:names:tc:SAML:2.0:assertion\" "
                + "xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" "
                + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">" + xml + "</tessera:decrypted>";
        Document document;
        try {
            document = SecureXml.parse(new ByteArrayInputStream(wrapped.getBytes(StandardCharsets.UTF_8)));
        } catch (SamlException e) {
            throw new SamlException("the decrypted assertion is not well-formed XML");
        }
        List<Element> elements = new ArrayList<>();
        for (Node child = document.getDocumentElement().getFirstChild(); child != null;
                child = child.getNextSibling()) {
            if (child instanceof Element e) {
                elements.add(e);
            } else if (child.getNodeType() != Node.TEXT_NODE || !child.getTextContent().isBlank()) {
                throw new SamlException("the decrypted content is not one Assertion");
            }
        }
        if (elements.size() != 1 || !SamlResponses.ASSERTION.equals(elements.get(0).getNamespaceURI())
                || !"Assertion".equals(elements.get(0).getLocalName())) {
            throw new SamlException("the decrypted content is not one Assertion");
        }
        return elements.get(0);
    }

    private static String algorithm(Element element) throws SamlException {
        List<Element> methods = children(element, XENC, "EncryptionMethod");
        if (methods.size() != 1) {
            throw new SamlException(element.getLocalName() + " must name one EncryptionMethod");
        }
        return methods.get(0).getAttributeNS(null, "Algorithm");
    }

    private static byte[] cipherValue(Element element) throws SamlException {
        List<Element> data = children(element, XENC, "CipherData");
        List<Element> values = data.size() == 1 ? children(data.get(0), XENC, "CipherValue") : List.of();
        if (values.size() != 1) {
            throw new SamlException(element.getLocalName() + " must carry one inline CipherValue");
        }
        return base64(values.get(0).getTextContent());
    }

    private static byte[] base64(String text) throws SamlException {
        try {
            return Base64.getMimeDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw new SamlException("invalid base64 in the encrypted assertion");
        }
    }

}
