package eu.tessera.saml.metadata;

import static eu.tessera.saml.SecureXml.children;

import eu.tessera.saml.EnvelopedSignature;
import eu.tessera.saml.SamlException;
import eu.tessera.saml.SecureXml;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Reads a SAML metadata source (an eduGAIN-style aggregate {@code EntitiesDescriptor} or a single
 * {@code EntityDescriptor}): parsed hardened, the root's signature verified with the source's pinned signing
 * certificate (required), validUntil enforced, then the IdPs indexed and the DOM dropped. Only IdPs (entities with an
 * IDPSSODescriptor supporting SAML 2.0) are kept, filtered by the source's {@link MetadataFilter}.
 */
public final class MetadataReader {

    static final String MD = "urn:oasis:names:tc:SAML:2.0:metadata";
    static final String MDUI = "urn:oasis:names:tc:SAML:metadata:ui";
    static final String MDATTR = "urn:oasis:names:tc:SAML:metadata:attribute";
    static final String SAML = "urn:oasis:names:tc:SAML:2.0:assertion";
    static final String SHIBMD = "urn:mace:shibboleth:metadata:1.0";
    static final String DSIG = "http://www.w3.org/2000/09/xmldsig#";
    static final String REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
    private static final Set<String> CATEGORY_ATTRIBUTES = Set.of("http://macedir.org/entity-category",
            "urn:oasis:names:tc:SAML:attribute:assurance-certification");

    private MetadataReader() {
    }

    /**
     * Reads and verifies a metadata document.
     *
     * @param signer the source's signing certificate (pinned; KeyInfo in the document is ignored)
     * @throws SamlException when the document is refused (not XML, DOCTYPE, unsigned, bad signature, expired)
     */
    public static Metadata read(InputStream in, X509Certificate signer, MetadataFilter filter, Instant now)
            throws SamlException {
        Document document = SecureXml.parse(in);
        Element root = document.getDocumentElement();
        if (!MD.equals(root.getNamespaceURI()) || !("EntitiesDescriptor".equals(root.getLocalName())
                || "EntityDescriptor".equals(root.getLocalName()))) {
            throw new SamlException("not SAML metadata (root " + root.getLocalName() + ")");
        }
        EnvelopedSignature.verify(root, signer.getPublicKey());
        Instant validUntil = instant(root.getAttributeNS(null, "validUntil"));
        if (validUntil == null) {
            throw new SamlException("the metadata has no validUntil");
        }
        if (!validUntil.isAfter(now)) {
            throw new SamlException("the metadata expired at " + validUntil);
        }
        List<IdentityProvider> idps = new ArrayList<>();
        collect(root, idps, now);
        return new Metadata(idps.stream().filter(filter::accepts).toList(), validUntil);
    }

    /**
     * Reads an unsigned metadata document of IdPs outside a federation (a Keycloak realm, ADFS, a hub), trusted
     * through the SHA-256 fingerprints of the IdPs' signing certificates instead of a metadata signature: an IdP
     * keeps only its pinned signing certificates, an IdP with none is dropped, and a document with none is refused.
     * A document without {@code validUntil} is valid for {@code defaultValidity}.
     *
     * @param fingerprints SHA-256 fingerprints of certificates (hex, colons allowed, any case)
     * @throws SamlException when the document is refused (not XML, DOCTYPE, expired, no pinned IdP)
     */
    public static Metadata readPinned(InputStream in, Set<String> fingerprints, MetadataFilter filter, Instant now,
            java.time.Duration defaultValidity) throws SamlException {
        Set<String> pinned = new LinkedHashSet<>();
        fingerprints.forEach(f -> pinned.add(normalizeFingerprint(f)));
        Document document = SecureXml.parse(in);
        Element root = document.getDocumentElement();
        if (!MD.equals(root.getNamespaceURI()) || !("EntitiesDescriptor".equals(root.getLocalName())
                || "EntityDescriptor".equals(root.getLocalName()))) {
            throw new SamlException("not SAML metadata (root " + root.getLocalName() + ")");
        }
        Instant validUntil = instant(root.getAttributeNS(null, "validUntil"));
        if (validUntil == null) {
            validUntil = now.plus(defaultValidity);
        }
        if (!validUntil.isAfter(now)) {
            throw new SamlException("the metadata expired at " + validUntil);
        }
        List<IdentityProvider> idps = new ArrayList<>();
        collect(root, idps, now);
        List<IdentityProvider> kept = new ArrayList<>();
        for (IdentityProvider idp : idps) {
            List<X509Certificate> certificates = idp.signingCertificates().stream()
                    .filter(c -> pinned.contains(fingerprint(c))).toList();
            if (!certificates.isEmpty()) {
                kept.add(new IdentityProvider(idp.entityId(), idp.displayNames(), idp.domains(), idp.ssoRedirect(),
                        certificates, idp.entityCategories()));
            }
        }
        if (kept.isEmpty()) {
            throw new SamlException("no IdP in the metadata has a signing certificate with a pinned fingerprint");
        }
        return new Metadata(kept.stream().filter(filter::accepts).toList(), validUntil);
    }

    /** The SHA-256 fingerprint of a certificate, lower-case hex without colons. */
    public static String fingerprint(X509Certificate certificate) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(certificate.getEncoded()));
        } catch (java.security.NoSuchAlgorithmException | java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("cannot take the fingerprint of a certificate", e);
        }
    }

    /**
     * A fingerprint as configured ({@code AB:CD:...} or {@code abcd...}) in the form {@link #fingerprint} gives.
     *
     * @throws IllegalArgumentException when it is not 32 bytes of hex
     */
    public static String normalizeFingerprint(String text) {
        String hex = text.replace(":", "").strip().toLowerCase(java.util.Locale.ROOT);
        if (!hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a SHA-256 fingerprint is 64 hex digits (colons allowed): " + text);
        }
        return hex;
    }

    private static void collect(Element element, List<IdentityProvider> idps, Instant now) throws SamlException {
        if ("EntityDescriptor".equals(element.getLocalName())) {
            Instant until = instant(element.getAttributeNS(null, "validUntil"));
            if (until == null || until.isAfter(now)) {
                IdentityProvider idp = identityProvider(element);
                if (idp != null) {
                    idps.add(idp);
                }
            }
            return;
        }
        for (Element child : children(element, MD, "EntitiesDescriptor")) {
            Instant until = instant(child.getAttributeNS(null, "validUntil"));
            if (until == null || until.isAfter(now)) {
                collect(child, idps, now);
            }
        }
        for (Element child : children(element, MD, "EntityDescriptor")) {
            collect(child, idps, now);
        }
    }

    private static IdentityProvider identityProvider(Element entity) throws SamlException {
        Element idpDescriptor = null;
        for (Element role : children(entity, MD, "IDPSSODescriptor")) {
            if (role.getAttributeNS(null, "protocolSupportEnumeration").contains("urn:oasis:names:tc:SAML:2.0:protocol")) {
                idpDescriptor = role;
            }
        }
        if (idpDescriptor == null) {
            return null;
        }
        String entityId = entity.getAttributeNS(null, "entityID");
        Map<String, String> names = new LinkedHashMap<>();
        Set<String> domains = new LinkedHashSet<>();
        for (Element extensions : children(idpDescriptor, MD, "Extensions")) {
            for (Element ui : children(extensions, MDUI, "UIInfo")) {
                for (Element name : children(ui, MDUI, "DisplayName")) {
                    names.putIfAbsent(name.getAttributeNS("http://www.w3.org/XML/1998/namespace", "lang"),
                            name.getTextContent().strip());
                }
            }
            for (Element hints : children(extensions, MDUI, "DiscoHints")) {
                for (Element hint : children(hints, MDUI, "DomainHint")) {
                    domains.add(hint.getTextContent().strip());
                }
            }
            for (Element scope : children(extensions, SHIBMD, "Scope")) {
                domains.add(scope.getTextContent().strip());
            }
        }
        if (names.isEmpty()) {
            for (Element organization : children(entity, MD, "Organization")) {
                for (Element name : children(organization, MD, "OrganizationDisplayName")) {
                    names.putIfAbsent(name.getAttributeNS("http://www.w3.org/XML/1998/namespace", "lang"),
                            name.getTextContent().strip());
                }
            }
        }
        String redirect = null;
        for (Element sso : children(idpDescriptor, MD, "SingleSignOnService")) {
            if (REDIRECT.equals(sso.getAttributeNS(null, "Binding")) && redirect == null) {
                redirect = sso.getAttributeNS(null, "Location");
            }
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (Element key : children(idpDescriptor, MD, "KeyDescriptor")) {
            String use = key.getAttributeNS(null, "use");
            if (use.isEmpty() || "signing".equals(use)) {
                for (Element info : children(key, DSIG, "KeyInfo")) {
                    for (Element data : children(info, DSIG, "X509Data")) {
                        for (Element certificate : children(data, DSIG, "X509Certificate")) {
                            certificates.add(certificate(certificate.getTextContent(), entityId));
                        }
                    }
                }
            }
        }
        Set<String> categories = new LinkedHashSet<>();
        for (Element extensions : children(entity, MD, "Extensions")) {
            for (Element attributes : children(extensions, MDATTR, "EntityAttributes")) {
                for (Element attribute : children(attributes, SAML, "Attribute")) {
                    if (CATEGORY_ATTRIBUTES.contains(attribute.getAttributeNS(null, "Name"))) {
                        for (Element value : children(attribute, SAML, "AttributeValue")) {
                            categories.add(value.getTextContent().strip());
                        }
                    }
                }
            }
        }
        return new IdentityProvider(entityId, names, domains, redirect, certificates, categories);
    }

    private static X509Certificate certificate(String base64, String entityId) throws SamlException {
        try {
            byte[] der = Base64.getMimeDecoder().decode(base64.strip());
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | IllegalArgumentException e) {
            throw new SamlException("a signing certificate of " + entityId + " cannot be read");
        }
    }

    private static Instant instant(String text) throws SamlException {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new SamlException("validUntil is not a dateTime: " + text);
        }
    }
}
