package eu.tessera.server.oauth2;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

@TesseraIntegrationTest
class DiscoveryIT {

    @Autowired
    TesseraProperties properties;

    @Test
    void discoveryWhenRequestedThenBothDocumentsListEndpoints() {
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        String issuer = properties.issuer();
        for (String path : new String[] {"/.well-known/openid-configuration",
                "/.well-known/oauth-authorization-server"}) {
            TesseraHttp.Response response = http.get(path);
            assertThat(response.status()).as(path).isEqualTo(200);
            Map<String, Object> metadata = response.json();
            assertThat(metadata).as(path)
                    .containsEntry("issuer", issuer)
                    .containsEntry("jwks_uri", issuer + "/jwk")
                    .containsEntry("token_endpoint", issuer + "/token")
                    .containsEntry("authorization_endpoint", issuer + "/authorize")
                    .containsEntry("registration_endpoint", issuer + "/register")
                    .containsEntry("revocation_endpoint", issuer + "/revoke");
            assertThat(metadata.get("code_challenge_methods_supported")).asList().containsExactly("S256");
            assertThat(metadata.get("response_types_supported")).asList().containsExactly("code");
        }
        Map<String, Object> oidc = http.get("/.well-known/openid-configuration").json();
        assertThat(oidc).containsEntry("userinfo_endpoint", issuer + "/userinfo")
                .containsEntry("end_session_endpoint", issuer + "/connect/logout");
        assertThat(oidc.get("claims_supported")).asList().contains("wlcg.groups", "wlcg.ver");
    }

    @Test
    void jwksWhenRequestedThenCacheableAndPublishesActiveAndNextKeys() throws Exception {
        TesseraHttp.Response response = TesseraHttp.to(properties.issuer()).get("/jwk");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Cache-Control"))
                .isEqualTo("public, max-age=" + properties.keys().jwksMaxAge().toSeconds());
        JWKSet jwks = JWKSet.parse(response.body());
        assertThat(jwks.getKeys()).hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(key -> {
                    assertThat(key.getKeyID()).isNotBlank();
                    assertThat(key.isPrivate()).isFalse();
                    assertThat(key.getAlgorithm().getName()).isEqualTo("RS256");
                });
    }

    @Test
    void unknownPageWhenRequestedThenFriendlyPageNoStackTrace() {
        TesseraHttp.Response response = TesseraHttp.to(properties.issuer()).get("/error", "Accept", "text/html");
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("at org.");
    }
}
