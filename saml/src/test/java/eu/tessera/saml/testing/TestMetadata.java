package eu.tessera.saml.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.apache.xml.security.Init;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.w3c.dom.Document;

/**
 * Signed SAML metadata for tests and the bench: an eduGAIN-like aggregate of IdPs (mdui names in three languages,
 * logos, domain hints, scopes, three KeyDescriptors, SSO endpoints, organization, contacts, R&amp;S on every second
 * and SIRTFI on every third entity; about 9 KB each), signed over the root with RSA-SHA256 and exclusive c14n.
 */
public final class TestMetadata {

    /** A signing key and its self-signed certificate. */
    public record Signer(PrivateKey key, X509Certificate certificate) {
    }

    static {
        Init.init();
    }

    private TestMetadata() {
    }

    public static Signer signer(String cn) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            Instant now = Instant.now();
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    new JcaX509v3CertificateBuilder(new X500Name("CN=" + cn), BigInteger.valueOf(now.toEpochMilli()),
                            Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))),
                            new X500Name("CN=" + cn), keys.getPublic())
                            .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
            return new Signer(keys.getPrivate(), certificate);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The unsigned aggregate text of {@code count} IdPs, valid until {@code validUntil}. */
    public static String aggregate(int count, Instant validUntil, X509Certificate idpCertificate) {
        String certificate;
        try {
            certificate = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(idpCertificate.getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        StringBuilder out = new StringBuilder(count * 9500 + 1000);
        out.append("<md:EntitiesDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" ")
                .append("xmlns:mdui=\"urn:oasis:names:tc:SAML:metadata:ui\" ")
                .append("xmlns:mdattr=\"urn:oasis:names:tc:SAML:metadata:attribute\" ")
                .append("xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ")
                .append("xmlns:shibmd=\"urn:mace:shibboleth:metadata:1.0\" ")
                .append("xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" ")
                .append("ID=\"agg-").append(count).append("\" Name=\"https://mds.example.org\" validUntil=\"")
                .append(validUntil).append("\">\n");
        for (int i = 0; i < count; i++) {
            String host = "idp" + i + ".example" + (i % 50) + ".org";
            out.append(" <md:EntityDescriptor entityID=\"https://").append(host).append("/idp/shibboleth\">\n");
            out.append("  <md:Extensions><mdrpi:RegistrationInfo xmlns:mdrpi=\"urn:oasis:names:tc:SAML:metadata:rpi\" ")
                    .append("registrationAuthority=\"https://federation").append(i % 40).append(".example.org\" ")
                    .append("registrationInstant=\"2019-05-07T10:00:00Z\"><mdrpi:RegistrationPolicy xml:lang=\"en\">")
                    .append("https://federation").append(i % 40).append(".example.org/policy</mdrpi:RegistrationPolicy>")
                    .append("</mdrpi:RegistrationInfo><mdattr:EntityAttributes>");
            if (i % 2 == 0) {
                out.append("<saml:Attribute Name=\"http://macedir.org/entity-category-support\"><saml:AttributeValue>")
                        .append("http://refeds.org/category/research-and-scholarship</saml:AttributeValue></saml:Attribute>");
                out.append("<saml:Attribute Name=\"http://macedir.org/entity-category\"><saml:AttributeValue>")
                        .append("http://refeds.org/category/research-and-scholarship</saml:AttributeValue></saml:Attribute>");
            }
            if (i % 3 == 0) {
                out.append("<saml:Attribute Name=\"urn:oasis:names:tc:SAML:attribute:assurance-certification\">")
                        .append("<saml:AttributeValue>https://refeds.org/sirtfi</saml:AttributeValue></saml:Attribute>");
            }
            out.append("</mdattr:EntityAttributes></md:Extensions>\n");
            out.append("  <md:IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">\n");
            out.append("   <md:Extensions><shibmd:Scope regexp=\"false\">example").append(i % 50)
                    .append(".org</shibmd:Scope><mdui:UIInfo>");
            for (String lang : new String[] {"en", "it", "de"}) {
                out.append("<mdui:DisplayName xml:lang=\"").append(lang).append("\">University ").append(i)
                        .append(" (").append(lang).append(")</mdui:DisplayName>");
                out.append("<mdui:Description xml:lang=\"").append(lang).append("\">Identity provider of university ")
                        .append(i).append(" for its staff and students</mdui:Description>");
            }
            out.append("<mdui:Logo height=\"80\" width=\"80\">https://").append(host).append("/logo.png</mdui:Logo>");
            out.append("<mdui:Logo height=\"16\" width=\"16\">https://").append(host).append("/favicon.ico</mdui:Logo>");
            for (String lang : new String[] {"en", "it", "de"}) {
                out.append("<mdui:Keywords xml:lang=\"").append(lang).append("\">university research students staff ")
                        .append("library campus</mdui:Keywords>");
                out.append("<mdui:InformationURL xml:lang=\"").append(lang).append("\">https://").append(host)
                        .append("/").append(lang).append("/about</mdui:InformationURL>");
                out.append("<mdui:PrivacyStatementURL xml:lang=\"").append(lang).append("\">https://").append(host)
                        .append("/").append(lang).append("/privacy</mdui:PrivacyStatementURL>");
            }
            out.append("</mdui:UIInfo><mdui:DiscoHints><mdui:DomainHint>").append(host)
                    .append("</mdui:DomainHint></mdui:DiscoHints></md:Extensions>\n");
            for (String use : new String[] {"signing", "encryption", "", "signing"}) {
                out.append("   <md:KeyDescriptor").append(use.isEmpty() ? "" : " use=\"" + use + "\"")
                        .append("><ds:KeyInfo><ds:X509Data><ds:X509Certificate>").append(certificate)
                        .append("</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>\n");
            }
            out.append("   <md:ArtifactResolutionService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:SOAP\" ")
                    .append("Location=\"https://").append(host).append(":8443/idp/profile/SAML2/SOAP/ArtifactResolution\" ")
                    .append("index=\"1\"/>\n");
            for (String binding : new String[] {"HTTP-Redirect", "HTTP-POST"}) {
                out.append("   <md:SingleLogoutService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:").append(binding)
                        .append("\" Location=\"https://").append(host).append("/idp/profile/SAML2/").append(binding)
                        .append("/SLO\"/>\n");
            }
            for (String format : new String[] {"persistent", "transient"}) {
                out.append("   <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:").append(format)
                        .append("</md:NameIDFormat>\n");
            }
            out.append("   <md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\" ")
                    .append("Location=\"https://").append(host).append("/idp/profile/SAML2/Redirect/SSO\"/>\n");
            out.append("   <md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" ")
                    .append("Location=\"https://").append(host).append("/idp/profile/SAML2/POST/SSO\"/>\n");
            out.append("  </md:IDPSSODescriptor>\n");
            out.append("  <md:Organization><md:OrganizationName xml:lang=\"en\">University ").append(i)
                    .append("</md:OrganizationName><md:OrganizationDisplayName xml:lang=\"en\">University ").append(i)
                    .append("</md:OrganizationDisplayName><md:OrganizationURL xml:lang=\"en\">https://").append(host)
                    .append("/</md:OrganizationURL></md:Organization>\n");
            for (String type : new String[] {"technical", "support", "administrative"}) {
                out.append("  <md:ContactPerson contactType=\"").append(type).append("\"><md:GivenName>IdP</md:GivenName>")
                        .append("<md:SurName>").append(type).append(" team</md:SurName><md:EmailAddress>mailto:idp-")
                        .append(type).append("@").append(host).append("</md:EmailAddress></md:ContactPerson>\n");
            }
            out.append("  <md:ContactPerson xmlns:remd=\"http://refeds.org/metadata\" contactType=\"other\" ")
                    .append("remd:contactType=\"http://refeds.org/metadata/contactType/security\"><md:GivenName>")
                    .append("Security</md:GivenName><md:EmailAddress>mailto:security@").append(host)
                    .append("</md:EmailAddress></md:ContactPerson>\n");
            out.append(" </md:EntityDescriptor>\n");
        }
        out.append("</md:EntitiesDescriptor>\n");
        return out.toString();
    }

    /** Signs a metadata document's root (enveloped, exclusive c14n, RSA-SHA256) and serializes it. */
    public static byte[] sign(String xml, Signer signer) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            Document document = factory.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(
                    xml.getBytes(StandardCharsets.UTF_8)));
            eu.tessera.saml.EnvelopedSignature.sign(document.getDocumentElement(), signer.key(),
                    signer.certificate());
            ByteArrayOutputStream out = new ByteArrayOutputStream(xml.length() + 4096);
            write(document, out);
            return out.toByteArray();
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign the test metadata", e);
        }
    }

    private static void write(Document document, OutputStream out) throws IOException {
        try {
            var transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            transformer.transform(new DOMSource(document), new StreamResult(out));
        } catch (javax.xml.transform.TransformerException e) {
            throw new IOException(e);
        }
    }
}
