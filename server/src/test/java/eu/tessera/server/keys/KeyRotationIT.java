package eu.tessera.server.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TestClock;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import eu.tessera.server.testsupport.TokenVerifier;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

@TesseraIntegrationTest
class KeyRotationIT {

    @Autowired
    TesseraProperties properties;
    @Autowired
    SigningKeyService keys;
    @Autowired
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private String token(TesseraHttp http) {
        return (String) http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET, "grant_type", "client_credentials")
                .json().get("access_token");
    }

    @Test
    void rotationWhenActiveKeyOlderThanPeriodThenNextKeySignsAndOldStaysPublished() throws Exception {
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        String before = token(http);
        String oldKid = TokenVerifier.verify(http, before).getHeader().getKeyID();
        // Tessera's own keys (the test server also publishes an "old service's" key: tessera.keys.additional-jwks)
        List<String> publishedBefore = JWKSet.parse(http.get("/jwk").body()).getKeys().stream().map(JWK::getKeyID)
                .filter(kid -> !kid.equals(eu.tessera.server.testsupport.PostgresAndPortInitializer.OLD_SERVICE_KID))
                .toList();
        String nextKid = publishedBefore.stream().filter(kid -> !kid.equals(oldKid)).findFirst().orElseThrow();

        clock.advance(properties.keys().rotationPeriod().plus(Duration.ofDays(1)));
        keys.ensureKeys();

        String after = token(http);
        assertThat(TokenVerifier.verifySignature(http, after).getHeader().getKeyID())
                .as("the key published ahead becomes the signing key").isEqualTo(nextKid);
        List<String> publishedAfter = JWKSet.parse(http.get("/jwk").body()).getKeys().stream().map(JWK::getKeyID)
                .filter(kid -> !kid.equals(eu.tessera.server.testsupport.PostgresAndPortInitializer.OLD_SERVICE_KID))
                .toList();
        assertThat(publishedAfter).contains(oldKid, nextKid).hasSize(3);
        assertThat(TokenVerifier.verifySignature(http, before).getHeader().getKeyID()).isEqualTo(oldKid);
    }
}
