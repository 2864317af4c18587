package eu.tessera.saml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.tessera.saml.metadata.IdentityProvider;
import eu.tessera.saml.testing.TestIdp;
import eu.tessera.saml.testing.TestMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.xml.namespace.QName;
import net.shibboleth.utilities.java.support.xml.SerializeSupport;
import org.joda.time.DateTime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opensaml.core.config.InitializationService;
import org.opensaml.core.xml.XMLObject;
import org.opensaml.core.xml.config.XMLObjectProviderRegistrySupport;
import org.opensaml.core.xml.schema.XSString;
import org.opensaml.core.xml.util.XMLObjectSupport;
import org.opensaml.saml.common.SAMLVersion;
import org.opensaml.saml.saml2.core.Assertion;
import org.opensaml.saml.saml2.core.Attribute;
import org.opensaml.saml.saml2.core.AttributeStatement;
import org.opensaml.saml.saml2.core.AttributeValue;
import org.opensaml.saml.saml2.core.Audience;
import org.opensaml.saml.saml2.core.AudienceRestriction;
import org.opensaml.saml.saml2.core.AuthnContext;
import org.opensaml.saml.saml2.core.AuthnContextClassRef;
import org.opensaml.saml.saml2.core.AuthnStatement;
import org.opensaml.saml.saml2.core.Conditions;
import org.opensaml.saml.saml2.core.EncryptedAssertion;
import org.opensaml.saml.saml2.core.Issuer;
import org.opensaml.saml.saml2.core.NameID;
import org.opensaml.saml.saml2.core.Response;
import org.opensaml.saml.saml2.core.Status;
import org.opensaml.saml.saml2.core.StatusCode;
import org.opensaml.saml.saml2.core.Subject;
import org.opensaml.saml.saml2.core.SubjectConfirmation;
import org.opensaml.saml.saml2.core.SubjectConfirmationData;
import org.opensaml.saml.saml2.encryption.Encrypter;
import org.opensaml.security.x509.BasicX509Credential;
import org.opensaml.xmlsec.encryption.support.DataEncryptionParameters;
import org.opensaml.xmlsec.encryption.support.EncryptionConstants;
import org.opensaml.xmlsec.encryption.support.KeyEncryptionParameters;
import org.opensaml.xmlsec.encryption.support.RSAOAEPParameters;
import org.opensaml.xmlsec.keyinfo.impl.X509KeyInfoGeneratorFactory;
import org.opensaml.xmlsec.signature.Signature;
import org.opensaml.xmlsec.signature.support.SignatureConstants;
import org.opensaml.xmlsec.signature.support.Signer;

/**
 * Responses built by OpenSAML 3.4.6, the library Shibboleth IdPs (most of eduGAIN) produce them with: its marshaller,
 * its {@code Signer} and its {@code Encrypter} (inline and peer EncryptedKeys, RSA-OAEP with MGF1 and SHA-256, GCM and
 * CBC) are read by Tessera's validator, and a value changed after OpenSAML signed is refused.
 */
class OpenSamlInteropTest {

    static final String SP = "https://tessera.example.org/saml/metadata";
    static final String ACS = "https://tessera.example.org/saml/acs";
    static final String IDP_ID = "https://idp.example.org/idp/shibboleth";
    static final TestMetadata.Signer IDP_KEYS = TestMetadata.signer("OpenSAML IdP");
    static final TestMetadata.Signer SP_KEYS = TestMetadata.signer("SP for OpenSAML");
    static final IdentityProvider METADATA = new TestIdp(IDP_ID, IDP_KEYS).metadata("https://idp.example.org/sso");

    @BeforeAll
    static void initialize() throws Exception {
        InitializationService.initialize();
    }

    @SuppressWarnings("unchecked")
    private static <T extends XMLObject> T build(QName name) {
        return (T) XMLObjectProviderRegistrySupport.getBuilderFactory().getBuilderOrThrow(name).buildObject(name);
    }

    private static Issuer issuer() {
        Issuer issuer = build(Issuer.DEFAULT_ELEMENT_NAME);
        issuer.setValue(IDP_ID);
        return issuer;
    }

    private static Attribute attribute(String name, String... values) {
        Attribute attribute = build(Attribute.DEFAULT_ELEMENT_NAME);
        attribute.setName(name);
        attribute.setNameFormat(Attribute.URI_REFERENCE);
        for (String value : values) {
            XSString text = (XSString) XMLObjectProviderRegistrySupport.getBuilderFactory()
                    .getBuilderOrThrow(XSString.TYPE_NAME).buildObject(AttributeValue.DEFAULT_ELEMENT_NAME,
                            XSString.TYPE_NAME);
            text.setValue(value);
            attribute.getAttributeValues().add(text);
        }
        return attribute;
    }

    private static Assertion assertion(String requestId) {
        DateTime now = new DateTime();
        Assertion assertion = build(Assertion.DEFAULT_ELEMENT_NAME);
        assertion.setID(TestIdp.id());
        assertion.setVersion(SAMLVersion.VERSION_20);
        assertion.setIssueInstant(now);
        assertion.setIssuer(issuer());
        Subject subject = build(Subject.DEFAULT_ELEMENT_NAME);
        NameID nameId = build(NameID.DEFAULT_ELEMENT_NAME);
        nameId.setFormat(NameID.PERSISTENT);
        nameId.setValue("OS4xJk2nU1aW");
        subject.setNameID(nameId);
        SubjectConfirmation confirmation = build(SubjectConfirmation.DEFAULT_ELEMENT_NAME);
        confirmation.setMethod(SubjectConfirmation.METHOD_BEARER);
        SubjectConfirmationData data = build(SubjectConfirmationData.DEFAULT_ELEMENT_NAME);
        data.setRecipient(ACS);
        data.setInResponseTo(requestId);
        data.setNotOnOrAfter(now.plusMinutes(5));
        confirmation.setSubjectConfirmationData(data);
        subject.getSubjectConfirmations().add(confirmation);
        assertion.setSubject(subject);
        Conditions conditions = build(Conditions.DEFAULT_ELEMENT_NAME);
        conditions.setNotBefore(now.minusSeconds(5));
        conditions.setNotOnOrAfter(now.plusMinutes(5));
        AudienceRestriction restriction = build(AudienceRestriction.DEFAULT_ELEMENT_NAME);
        Audience audience = build(Audience.DEFAULT_ELEMENT_NAME);
        audience.setAudienceURI(SP);
        restriction.getAudiences().add(audience);
        conditions.getAudienceRestrictions().add(restriction);
        assertion.setConditions(conditions);
        AuthnStatement authn = build(AuthnStatement.DEFAULT_ELEMENT_NAME);
        authn.setAuthnInstant(now);
        authn.setSessionIndex(TestIdp.id());
        AuthnContext context = build(AuthnContext.DEFAULT_ELEMENT_NAME);
        AuthnContextClassRef classRef = build(AuthnContextClassRef.DEFAULT_ELEMENT_NAME);
        classRef.setAuthnContextClassRef(AuthnContext.PPT_AUTHN_CTX);
        context.setAuthnContextClassRef(classRef);
        authn.setAuthnContext(context);
        assertion.getAuthnStatements().add(authn);
        AttributeStatement statement = build(AttributeStatement.DEFAULT_ELEMENT_NAME);
        statement.getAttributes().add(attribute(SamlAttributes.UNIQUE_ID, "os-user@example.org"));
        statement.getAttributes().add(attribute(SamlAttributes.MAIL, "os.user@example.org"));
        statement.getAttributes().add(attribute(SamlAttributes.ENTITLEMENT, "urn:mace:example.org:vo", "urn:x"));
        assertion.getAttributeStatements().add(statement);
        return assertion;
    }

    private static void sign(org.opensaml.xmlsec.signature.SignableXMLObject object) throws Exception {
        BasicX509Credential credential = new BasicX509Credential(IDP_KEYS.certificate(), IDP_KEYS.key());
        Signature signature = build(Signature.DEFAULT_ELEMENT_NAME);
        signature.setSigningCredential(credential);
        signature.setSignatureAlgorithm(SignatureConstants.ALGO_ID_SIGNATURE_RSA_SHA256);
        signature.setCanonicalizationAlgorithm(SignatureConstants.ALGO_ID_C14N_EXCL_OMIT_COMMENTS);
        X509KeyInfoGeneratorFactory keyInfo = new X509KeyInfoGeneratorFactory();
        keyInfo.setEmitEntityCertificate(true);
        signature.setKeyInfo(keyInfo.newInstance().generate(credential));
        object.setSignature(signature);
        XMLObjectSupport.marshall(object);
        Signer.signObject(signature);
    }

    private static EncryptedAssertion encrypt(Assertion assertion, String dataAlgorithm, String keyTransport,
            RSAOAEPParameters oaep, Encrypter.KeyPlacement placement) throws Exception {
        DataEncryptionParameters data = new DataEncryptionParameters();
        data.setAlgorithm(dataAlgorithm);
        KeyEncryptionParameters key = new KeyEncryptionParameters();
        key.setEncryptionCredential(new BasicX509Credential(SP_KEYS.certificate()));
        key.setAlgorithm(keyTransport);
        if (oaep != null) {
            key.setRSAOAEPParameters(oaep);
        }
        Encrypter encrypter = new Encrypter(data, key);
        encrypter.setKeyPlacement(placement);
        return encrypter.encrypt(assertion);
    }

    /** A Response as a Shibboleth IdP sends it; {@code carried} is the Assertion or EncryptedAssertion. */
    private static Response response(String requestId, XMLObject carried, boolean signed) throws Exception {
        Response response = build(Response.DEFAULT_ELEMENT_NAME);
        response.setID(TestIdp.id());
        response.setVersion(SAMLVersion.VERSION_20);
        response.setIssueInstant(new DateTime());
        response.setDestination(ACS);
        response.setInResponseTo(requestId);
        response.setIssuer(issuer());
        Status status = build(Status.DEFAULT_ELEMENT_NAME);
        StatusCode code = build(StatusCode.DEFAULT_ELEMENT_NAME);
        code.setValue(StatusCode.SUCCESS);
        status.setStatusCode(code);
        response.setStatus(status);
        if (carried instanceof EncryptedAssertion encrypted) {
            response.getEncryptedAssertions().add(encrypted);
        } else {
            response.getAssertions().add((Assertion) carried);
        }
        if (signed) {
            sign(response);
        } else {
            XMLObjectSupport.marshall(response);
        }
        return response;
    }

    private static String wire(Response response) {
        return Base64.getEncoder().encodeToString(SerializeSupport.nodeToString(response.getDOM())
                .getBytes(StandardCharsets.UTF_8));
    }

    private static LoginAssertion validate(String requestId, String wire) throws SamlException {
        return validate(requestId, wire, false);
    }

    /** With {@code allowCbc}: as for an IdP whose metadata source allows AES-CBC (OpenSAML 3's old default). */
    private static LoginAssertion validate(String requestId, String wire, boolean allowCbc) throws SamlException {
        return SamlResponses.validate(SamlResponses.read(wire), METADATA, new SamlResponses.Expectations(SP, ACS,
                requestId, Duration.ofSeconds(60), Instant.now(), allowCbc, false), List.of(SP_KEYS.key()));
    }

    @Test
    void shibbolethDefaultSignedResponseWithEncryptedAssertion() throws Exception {
        for (String data : List.of(EncryptionConstants.ALGO_ID_BLOCKCIPHER_AES128_GCM,
                EncryptionConstants.ALGO_ID_BLOCKCIPHER_AES128)) {
            for (Encrypter.KeyPlacement placement : Encrypter.KeyPlacement.values()) {
                String requestId = TestIdp.id();
                EncryptedAssertion encrypted = encrypt(assertion(requestId), data,
                        EncryptionConstants.ALGO_ID_KEYTRANSPORT_RSAOAEP, null, placement);
                boolean cbc = data.equals(EncryptionConstants.ALGO_ID_BLOCKCIPHER_AES128);
                String wire = wire(response(requestId, encrypted, true));
                if (cbc) {   // refused unless the source allows it
                    assertThatThrownBy(() -> validate(requestId, wire)).hasMessageContaining("AES-CBC");
                }
                LoginAssertion login = validate(requestId, wire, cbc);
                assertThat(login.encrypted()).isTrue();
                assertThat(login.first("eduPersonUniqueId")).as(data + " " + placement)
                        .isEqualTo("os-user@example.org");
                assertThat(login.values("eduPersonEntitlement")).containsExactly("urn:mace:example.org:vo", "urn:x");
                assertThat(login.nameId()).isEqualTo("OS4xJk2nU1aW");
            }
        }
    }

    @Test
    void rsaOaepWithSha256AndMgf1Sha256AndAes256Gcm() throws Exception {
        String requestId = TestIdp.id();
        EncryptedAssertion encrypted = encrypt(assertion(requestId), EncryptionConstants.ALGO_ID_BLOCKCIPHER_AES256_GCM,
                EncryptionConstants.ALGO_ID_KEYTRANSPORT_RSAOAEP11, new RSAOAEPParameters(
                        SignatureConstants.ALGO_ID_DIGEST_SHA256, EncryptionConstants.ALGO_ID_MGF1_SHA256, null),
                Encrypter.KeyPlacement.INLINE);
        String xml = SerializeSupport.nodeToString(response(requestId, encrypted, true).getDOM());
        assertThat(xml).contains("xmlenc11#rsa-oaep", "xmlenc11#mgf1sha256");
        assertThat(validate(requestId, Base64.getEncoder().encodeToString(xml.getBytes(StandardCharsets.UTF_8)))
                .first("mail")).isEqualTo("os.user@example.org");
    }

    @Test
    void signedAssertionInAnUnsignedResponseAndTamperingAfterSigning() throws Exception {
        String requestId = TestIdp.id();
        Assertion assertion = assertion(requestId);
        sign(assertion);
        Response response = response(requestId, assertion, false);
        assertThat(validate(requestId, wire(response)).first("mail")).isEqualTo("os.user@example.org");

        String tampered = SerializeSupport.nodeToString(response.getDOM()).replace("os-user@example.org",
                "admin@example.org");
        assertThatThrownBy(() -> validate(requestId, Base64.getEncoder().encodeToString(tampered.getBytes(
                StandardCharsets.UTF_8)))).isInstanceOf(SamlException.class).hasMessageContaining("does not verify");
    }
}
