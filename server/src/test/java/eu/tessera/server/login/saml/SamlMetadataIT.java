package eu.tessera.server.login.saml;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TestClock;
import eu.tessera.server.testsupport.TestSaml;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * SAML metadata sources on the server: a signed file and a signed aggregate over HTTP (SIRTFI required) loaded at
 * start; refresh on admin request; a tampered or unreachable copy keeps the last good one with the reason; an expired
 * copy is dropped.
 */
@TesseraIntegrationTest
class SamlMetadataIT {

    @Autowired
    TesseraProperties properties;
    @Autowired
    SamlMetadataSources sources;
    @Autowired
    TestClock clock;

    private final TestSaml saml = TestSaml.get();

    @AfterEach
    void restore() throws Exception {
        clock.reset();
        saml.writeFederation(3, Duration.ofDays(7));
        saml.writeEdugain(6, Duration.ofDays(7));
        sources.refresh("federation");
        sources.refresh("edugain");
        sources.refresh("local");   // dropped too while the clock was past every validUntil
    }

    private String token(String scope) {
        return TestClients.adminToken(properties.issuer(), scope);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> status(String name) {
        String body = TesseraHttp.to(properties.issuer()).get("/iam/saml/metadata", "Authorization",
                "Bearer " + token("iam:admin.read")).body();
        List<Map<String, Object>> list = tools.jackson.databind.json.JsonMapper.builder().build().readValue(body,
                List.class);
        return list.stream().filter(s -> name.equals(s.get("name"))).findFirst().orElseThrow();
    }

    private Map<String, Object> refresh(String name) {
        return TesseraHttp.to(properties.issuer()).sendJson("POST", "/iam/saml/metadata/" + name + "/refresh", null,
                "Authorization", "Bearer " + token("iam:admin.write")).json();
    }

    @Test
    void sourcesLoadedAtStartWithFiltersAndIdpsFoundAcrossThem() {
        assertThat(status("federation")).containsEntry("identityProviders", 3).containsEntry("lastError", null);
        assertThat(status("edugain")).containsEntry("identityProviders", 2);   // SIRTFI: idp0 and idp3 of 6
        assertThat(sources.find("https://idp1.example1.org/idp/shibboleth")).isPresent();   // from the federation
        assertThat(sources.find("https://idp3.example3.org/idp/shibboleth")).isPresent();
        assertThat(sources.find("https://idp5.example5.org/idp/shibboleth")).isEmpty();     // not SIRTFI, not in file
        assertThat(sources.search("university 2", 10)).extracting(idp -> idp.entityId())
                .containsExactly("https://idp2.example2.org/idp/shibboleth");
    }

    @Test
    void refreshedThenNewContentAndTamperedOrMissingThenLastGoodCopyKeptWithTheReason() throws Exception {
        saml.writeFederation(5, Duration.ofDays(7));
        assertThat(refresh("federation")).containsEntry("identityProviders", 5).containsEntry("lastError", null);

        String text = Files.readString(saml.dir.resolve("federation.xml"));
        Files.writeString(saml.dir.resolve("federation.xml"), text.replace("University 4 (en)", "Evil"),
                StandardCharsets.UTF_8);
        Map<String, Object> tampered = refresh("federation");
        assertThat(tampered).containsEntry("identityProviders", 5);
        assertThat((String) tampered.get("lastError")).contains("does not verify");
        assertThat(sources.find("https://idp4.example4.org/idp/shibboleth").orElseThrow().displayName())
                .isEqualTo("University 4 (en)");

        Files.delete(saml.dir.resolve("edugain.xml"));
        Map<String, Object> missing = refresh("edugain");
        assertThat(missing).containsEntry("identityProviders", 2);
        assertThat((String) missing.get("lastError")).contains("HTTP 404");

        TesseraHttp.Response unknown = TesseraHttp.to(properties.issuer()).sendJson("POST",
                "/iam/saml/metadata/nope/refresh", null, "Authorization", "Bearer " + token("iam:admin.write"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.header("Content-Type")).contains("application/problem+json");
    }

    @Test
    void copyPastItsValidUntilThenDroppedAndExpiredDocumentsRefused() throws Exception {
        clock.advance(Duration.ofDays(8));
        assertThat(status("federation")).containsEntry("identityProviders", 0);
        assertThat((String) status("federation").get("lastError")).contains("expired");
        assertThat(sources.find("https://idp1.example1.org/idp/shibboleth")).isEmpty();
        clock.reset();
        saml.writeFederation(2, Duration.ofSeconds(-60));
        assertThat((String) refresh("federation").get("lastError")).contains("expired");
    }

    @Test
    void spMetadataThenSignedWithTheSpKeyWithAcsKeysAndRequestedAttributes() throws Exception {
        TesseraHttp.Response response = TesseraHttp.to(properties.issuer()).get("/saml/metadata");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/samlmetadata+xml");
        org.w3c.dom.Document document = eu.tessera.saml.SecureXml.parse(new java.io.ByteArrayInputStream(
                response.body().getBytes(StandardCharsets.UTF_8)));
        eu.tessera.saml.EnvelopedSignature.verify(document.getDocumentElement(),
                saml.spSigner.certificate().getPublicKey());
        assertThat(document.getDocumentElement().getAttribute("entityID"))
                .isEqualTo(properties.issuer() + "/saml/metadata");
        assertThat(response.body()).contains("Location=\"" + properties.issuer() + "/saml/acs\"",
                "FriendlyName=\"eduPersonPrincipalName\"", "mailto:security@example.org");
    }
}
