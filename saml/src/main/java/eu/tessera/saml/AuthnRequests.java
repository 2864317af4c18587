package eu.tessera.saml;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * SAML 2.0 AuthnRequests sent with the HTTP-Redirect binding (SAML Bindings section 3.4), written here rather than
 * with OpenSAML's servlet-bound encoders: the request is DEFLATE-compressed, base64- and URL-encoded, and signed as the
 * binding says, over {@code SAMLRequest=..&RelayState=..&SigAlg=..} with RSA-SHA256. It asks for a persistent NameID
 * and the HTTP-POST response binding at Tessera's assertion consumer service.
 */
public final class AuthnRequests {

    public static final String RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A request ready to send: its ID (to match InResponseTo) and the URL to redirect the browser to. */
    public record Redirect(String id, String url) {
    }

    private AuthnRequests() {
    }

    /** A fresh request ID (an NCName: a letter first, 128 random bits). */
    public static String newId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return "_" + HexFormat.of().formatHex(bytes);
    }

    /** The request's XML (attribute and text values escaped). */
    public static String xml(String id, Instant issueInstant, String destination, String acsUrl, String spEntityId) {
        return xml(id, issueInstant, destination, acsUrl, spEntityId, null);
    }

    /**
     * The request's XML, asking for an authentication context when {@code requestedContext} is not null (SAML Core
     * 3.4.1: {@code RequestedAuthnContext} with Comparison {@code exact}, e.g. the REFEDS MFA profile).
     */
    public static String xml(String id, Instant issueInstant, String destination, String acsUrl, String spEntityId,
            String requestedContext) {
        return "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" "
                + "xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"" + escape(id) + "\" Version=\"2.0\" "
                + "IssueInstant=\"" + issueInstant + "\" Destination=\"" + escape(destination) + "\" "
                + "AssertionConsumerServiceURL=\"" + escape(acsUrl) + "\" "
                + "ProtocolBinding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\">"
                + "<saml:Issuer>" + escape(spEntityId) + "</saml:Issuer>"
                + "<samlp:NameIDPolicy AllowCreate=\"true\" "
                + "Format=\"urn:oasis:names:tc:SAML:2.0:nameid-format:persistent\"/>"
                + (requestedContext == null ? "" : "<samlp:RequestedAuthnContext Comparison=\"exact\">"
                        + "<saml:AuthnContextClassRef>" + escape(requestedContext) + "</saml:AuthnContextClassRef>"
                        + "</samlp:RequestedAuthnContext>")
                + "</samlp:AuthnRequest>";
    }

    /**
     * A signed HTTP-Redirect URL for a new request to an IdP's SSO endpoint.
     *
     * @param relayState opaque value returned by the IdP (at most 80 bytes, SAML Bindings 3.4.3), or null
     */
    public static Redirect redirect(String ssoUrl, String acsUrl, String spEntityId, String relayState,
            PrivateKey key, Instant now) throws SamlException {
        return redirect(ssoUrl, acsUrl, spEntityId, relayState, key, now, null);
    }

    /** The same, asking for an authentication context (or for none when {@code requestedContext} is null). */
    public static Redirect redirect(String ssoUrl, String acsUrl, String spEntityId, String relayState,
            PrivateKey key, Instant now, String requestedContext) throws SamlException {
        if (relayState != null && relayState.getBytes(StandardCharsets.UTF_8).length > 80) {
            throw new SamlException("RelayState longer than 80 bytes");
        }
        String id = newId();
        String query = "SAMLRequest=" + encode(Base64.getEncoder().encodeToString(deflate(xml(id, now, ssoUrl, acsUrl,
                spEntityId, requestedContext))))
                + (relayState == null ? "" : "&RelayState=" + encode(relayState))
                + "&SigAlg=" + encode(RSA_SHA256);
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(query.getBytes(StandardCharsets.UTF_8));
            String signed = query + "&Signature=" + encode(Base64.getEncoder().encodeToString(signature.sign()));
            return new Redirect(id, ssoUrl + (ssoUrl.contains("?") ? "&" : "?") + signed);
        } catch (GeneralSecurityException e) {
            throw new SamlException("cannot sign the AuthnRequest: " + e.getMessage());
        }
    }

    private static byte[] deflate(String xml) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflater = new DeflaterOutputStream(out, new Deflater(Deflater.DEFLATED, true))) {
            deflater.write(xml.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String escape(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&apos;");
    }
}
