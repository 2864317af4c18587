package eu.tessera.saml;

import java.io.StringWriter;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Tessera's SAML service-provider metadata, signed: an SPSSODescriptor that signs its AuthnRequests and wants signed
 * assertions, one key for signing and one for encryption, the HTTP-POST assertion consumer service, and the REFEDS
 * Research and Scholarship attribute bundle plus the SAML subject identifiers and eduPersonEntitlement as requested
 * attributes (none required, as R&amp;S asks).
 */
public final class SpMetadata {

    static final String MD = "urn:oasis:names:tc:SAML:2.0:metadata";
    static final String MDUI = "urn:oasis:names:tc:SAML:metadata:ui";
    static final String DS = "http://www.w3.org/2000/09/xmldsig#";
    static final String XML = "http://www.w3.org/XML/1998/namespace";
    static final String URI_FORMAT = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri";

    /** A requested attribute: its FriendlyName and Name. */
    public record Attribute(String friendlyName, String name) {
    }

    /** The REFEDS R&amp;S bundle, the SAML subject identifiers and the entitlements. */
    public static final List<Attribute> REQUESTED = List.of(
            new Attribute("eduPersonPrincipalName", "urn:oid:1.3.6.1.4.1.5923.1.1.1.6"),
            new Attribute("eduPersonUniqueId", "urn:oid:1.3.6.1.4.1.5923.1.1.1.13"),
            new Attribute("subject-id", "urn:oasis:names:tc:SAML:attribute:subject-id"),
            new Attribute("pairwise-id", "urn:oasis:names:tc:SAML:attribute:pairwise-id"),
            new Attribute("mail", "urn:oid:0.9.2342.19200300.100.1.3"),
            new Attribute("displayName", "urn:oid:2.16.840.1.113730.3.1.241"),
            new Attribute("givenName", "urn:oid:2.5.4.42"),
            new Attribute("sn", "urn:oid:2.5.4.4"),
            new Attribute("eduPersonScopedAffiliation", "urn:oid:1.3.6.1.4.1.5923.1.1.1.9"),
            new Attribute("eduPersonEntitlement", "urn:oid:1.3.6.1.4.1.5923.1.1.1.7"));

    /**
     * What the metadata says.
     *
     * @param securityContact REFEDS security contact email (SIRTFI), or null
     */
    public record Settings(String entityId, String acsUrl, String displayName, String organizationUrl,
            X509Certificate signingCertificate, X509Certificate encryptionCertificate, String technicalContact,
            String securityContact) {
    }

    private SpMetadata() {
    }

    /** The signed metadata document, valid until {@code validUntil}. */
    public static String signed(Settings settings, PrivateKey signingKey, Instant validUntil) throws SamlException {
        Document document;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            document = factory.newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new SamlException("cannot build XML: " + e.getMessage());
        }
        Element entity = document.createElementNS(MD, "md:EntityDescriptor");
        document.appendChild(entity);
        // declared as attributes: canonicalization at signing sees only declared namespaces
        entity.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:md", MD);
        entity.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:ds", DS);
        entity.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:mdui", MDUI);
        entity.setAttribute("entityID", settings.entityId());
        entity.setAttribute("ID", "_tessera-sp-" + validUntil.getEpochSecond());
        entity.setAttribute("validUntil", validUntil.toString());

        Element sp = child(entity, MD, "md:SPSSODescriptor");
        sp.setAttribute("AuthnRequestsSigned", "true");
        sp.setAttribute("WantAssertionsSigned", "true");
        sp.setAttribute("protocolSupportEnumeration", "urn:oasis:names:tc:SAML:2.0:protocol");
        Element ui = child(child(sp, MD, "md:Extensions"), MDUI, "mdui:UIInfo");
        Element name = child(ui, MDUI, "mdui:DisplayName");
        name.setAttributeNS(XML, "xml:lang", "en");
        name.setTextContent(settings.displayName());
        key(sp, "signing", settings.signingCertificate());
        key(sp, "encryption", settings.encryptionCertificate());
        child(sp, MD, "md:NameIDFormat").setTextContent("urn:oasis:names:tc:SAML:2.0:nameid-format:persistent");
        Element acs = child(sp, MD, "md:AssertionConsumerService");
        acs.setAttribute("Binding", "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST");
        acs.setAttribute("Location", settings.acsUrl());
        acs.setAttribute("index", "0");
        acs.setAttribute("isDefault", "true");
        Element service = child(sp, MD, "md:AttributeConsumingService");
        service.setAttribute("index", "0");
        Element serviceName = child(service, MD, "md:ServiceName");
        serviceName.setAttributeNS(XML, "xml:lang", "en");
        serviceName.setTextContent(settings.displayName());
        for (Attribute attribute : REQUESTED) {
            Element requested = child(service, MD, "md:RequestedAttribute");
            requested.setAttribute("FriendlyName", attribute.friendlyName());
            requested.setAttribute("Name", attribute.name());
            requested.setAttribute("NameFormat", URI_FORMAT);
            requested.setAttribute("isRequired", "false");
        }
        Element organization = child(entity, MD, "md:Organization");
        for (String element : new String[] {"md:OrganizationName", "md:OrganizationDisplayName"}) {
            Element text = child(organization, MD, element);
            text.setAttributeNS(XML, "xml:lang", "en");
            text.setTextContent(settings.displayName());
        }
        Element url = child(organization, MD, "md:OrganizationURL");
        url.setAttributeNS(XML, "xml:lang", "en");
        url.setTextContent(settings.organizationUrl());
        if (settings.technicalContact() != null) {
            contact(entity, "technical", settings.technicalContact(), false);
        }
        if (settings.securityContact() != null) {
            contact(entity, "other", settings.securityContact(), true);
        }
        EnvelopedSignature.sign(entity, signingKey, settings.signingCertificate());
        try {
            var transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            StringWriter out = new StringWriter();
            transformer.transform(new DOMSource(document), new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            throw new SamlException("cannot write XML: " + e.getMessage());
        }
    }

    private static void key(Element sp, String use, X509Certificate certificate) throws SamlException {
        Element descriptor = child(sp, MD, "md:KeyDescriptor");
        descriptor.setAttribute("use", use);
        try {
            child(child(child(descriptor, DS, "ds:KeyInfo"), DS, "ds:X509Data"), DS, "ds:X509Certificate")
                    .setTextContent(Base64.getEncoder().encodeToString(certificate.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new SamlException("cannot encode the SP certificate");
        }
        if (use.equals("encryption")) {
            child(descriptor, MD, "md:EncryptionMethod").setAttribute("Algorithm",
                    "http://www.w3.org/2009/xmlenc11#aes128-gcm");
        }
    }

    private static void contact(Element entity, String type, String email, boolean security) {
        Element contact = child(entity, MD, "md:ContactPerson");
        contact.setAttribute("contactType", type);
        if (security) {
            contact.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:remd", "http://refeds.org/metadata");
            contact.setAttributeNS("http://refeds.org/metadata", "remd:contactType",
                    "http://refeds.org/metadata/contactType/security");
        }
        child(contact, MD, "md:EmailAddress").setTextContent("mailto:" + email);
    }

    private static Element child(Element parent, String namespace, String qualifiedName) {
        Element element = parent.getOwnerDocument().createElementNS(namespace, qualifiedName);
        parent.appendChild(element);
        return element;
    }
}
