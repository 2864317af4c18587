package eu.tessera.saml;

import java.security.PublicKey;
import java.util.Set;
import org.apache.xml.security.Init;
import org.apache.xml.security.exceptions.XMLSecurityException;
import org.apache.xml.security.signature.Reference;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.transforms.Transform;
import org.apache.xml.security.transforms.Transforms;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Verifies the enveloped signature of a SAML element (metadata root, Response, Assertion) with a key the caller
 * trusts, never with a key from the document. The profile is checked before any cryptography, which is what stops
 * signature-wrapping: exactly one {@code ds:Signature} as a direct child of the element, one Reference whose URI is
 * the element's own {@code ID} (or empty for the whole document), only the enveloped-signature and exclusive
 * canonicalization transforms, and an allowed signature algorithm. The ID attribute is registered on that element
 * only, so no other element can answer for it.
 */
public final class EnvelopedSignature {

    private static final String DSIG = "http://www.w3.org/2000/09/xmldsig#";
    private static final Set<String> ALGORITHMS = Set.of(
            XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA256, XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA384,
            XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA512, XMLSignature.ALGO_ID_SIGNATURE_ECDSA_SHA256,
            XMLSignature.ALGO_ID_SIGNATURE_ECDSA_SHA384, XMLSignature.ALGO_ID_SIGNATURE_ECDSA_SHA512);
    private static final Set<String> TRANSFORMS = Set.of(Transforms.TRANSFORM_ENVELOPED_SIGNATURE,
            Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS, Transforms.TRANSFORM_C14N_EXCL_WITH_COMMENTS);

    static {
        Init.init();
    }

    private EnvelopedSignature() {
    }

    /**
     * Signs {@code element} (which must carry an {@code ID} attribute) with an enveloped signature, placed as the schema
     * wants it (after the Issuer if the element starts with one, else first):
     * RSA-SHA256, SHA-256 digest, exclusive canonicalization, the certificate in KeyInfo.
     */
    public static void sign(Element element, java.security.PrivateKey key, java.security.cert.X509Certificate certificate)
            throws SamlException {
        String id = element.getAttributeNS(null, "ID");
        if (id.isEmpty()) {
            throw new SamlException("the element to sign has no ID");
        }
        try {
            element.setIdAttributeNS(null, "ID", true);
            XMLSignature signature = new XMLSignature(element.getOwnerDocument(), "",
                    XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA256,
                    org.apache.xml.security.c14n.Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS);
            // after the Issuer where there is one (SAML protocol messages and assertions), else first (metadata)
            Node first = element.getFirstChild();
            while (first != null && !(first instanceof Element)) {
                first = first.getNextSibling();
            }
            Node before = first instanceof Element e && "Issuer".equals(e.getLocalName()) ? first.getNextSibling()
                    : element.getFirstChild();
            element.insertBefore(signature.getElement(), before);
            Transforms transforms = new Transforms(element.getOwnerDocument());
            transforms.addTransform(Transforms.TRANSFORM_ENVELOPED_SIGNATURE);
            transforms.addTransform(Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS);
            signature.addDocument("#" + id, transforms, "http://www.w3.org/2001/04/xmlenc#sha256");
            signature.addKeyInfo(certificate);
            signature.sign(key);
        } catch (XMLSecurityException e) {
            throw new SamlException("cannot sign: " + e.getMessage());
        }
    }

    /** Whether the element carries a ds:Signature child at all. */
    public static boolean isSigned(Element element) {
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e && DSIG.equals(e.getNamespaceURI()) && "Signature".equals(e.getLocalName())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Verifies {@code element}'s enveloped signature with {@code key}.
     *
     * @throws SamlException naming what is wrong
     */
    public static void verify(Element element, PublicKey key) throws SamlException {
        Element signatureElement = null;
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e && DSIG.equals(e.getNamespaceURI()) && "Signature".equals(e.getLocalName())) {
                if (signatureElement != null) {
                    throw new SamlException("more than one signature on " + element.getLocalName());
                }
                signatureElement = e;
            }
        }
        if (signatureElement == null) {
            throw new SamlException(element.getLocalName() + " is not signed");
        }
        String id = element.getAttributeNS(null, "ID");
        if (!id.isEmpty()) {
            element.setIdAttributeNS(null, "ID", true);
        }
        try {
            XMLSignature signature = new XMLSignature(signatureElement, "", true);
            if (!ALGORITHMS.contains(signature.getSignedInfo().getSignatureMethodURI())) {
                throw new SamlException("signature algorithm not allowed: "
                        + signature.getSignedInfo().getSignatureMethodURI());
            }
            if (signature.getSignedInfo().getLength() != 1) {
                throw new SamlException("the signature must have exactly one reference");
            }
            Reference reference = signature.getSignedInfo().item(0);
            String uri = reference.getURI();
            if (!(uri.isEmpty() && element == element.getOwnerDocument().getDocumentElement())
                    && !(!id.isEmpty() && uri.equals("#" + id))) {
                throw new SamlException("the signature does not sign the " + element.getLocalName() + " it is in");
            }
            Transforms transforms = reference.getTransforms();
            for (int i = 0; transforms != null && i < transforms.getLength(); i++) {
                Transform transform = transforms.item(i);
                if (!TRANSFORMS.contains(transform.getURI())) {
                    throw new SamlException("signature transform not allowed: " + transform.getURI());
                }
            }
            if (!signature.checkSignatureValue(key)) {
                throw new SamlException("the signature of " + element.getLocalName() + " does not verify");
            }
        } catch (XMLSecurityException e) {
            throw new SamlException("the signature of " + element.getLocalName() + " does not verify: "
                    + e.getMessage());
        }
    }
}
