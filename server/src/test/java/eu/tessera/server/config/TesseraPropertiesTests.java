package eu.tessera.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class TesseraPropertiesTests {

    private static TesseraProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("tessera", TesseraProperties.class);
    }

    @Test
    void bindWhenNothingSetThenDocumentedDefaults() {
        TesseraProperties properties = bind(Map.of());
        assertThat(properties.issuer()).isEqualTo("http://127.0.0.1:8080");
        assertThat(properties.tokens().accessTokenTtl()).hasHours(1);
        assertThat(properties.tokens().maxAccessTokenTtl()).hasHours(6);
        assertThat(properties.keys().algorithm()).isEqualTo("RS256");
        assertThat(properties.demo().enabled()).isFalse();
        assertThat(properties.registration().anonymousEnabled()).isTrue();
        assertThat(properties.saml().identityAttributes()).containsExactly("eduPersonUniqueId", "subject-id",
                "pairwise-id", "eduPersonPrincipalName", "persistent-nameid");
        assertThat(properties.saml().clockSkew()).hasSeconds(90);
        assertThat(properties.saml().trustedIdps()).isEmpty();
        assertThat(properties.requests().effectiveConcurrency(2)).isEqualTo(8);
        assertThat(properties.requests().maxWait()).hasSeconds(10);
        assertThat(bind(Map.of("tessera.requests.concurrency", "3")).requests().effectiveConcurrency(2)).isEqualTo(3);
    }

    @Test
    void bindWhenEnvironmentStyleNamesThenBound() {
        TesseraProperties properties = bind(Map.of("tessera.issuer", "https://iam.example.org",
                "tessera.tokens.access-token-ttl", "20m"));
        assertThat(properties.issuer()).isEqualTo("https://iam.example.org");
        assertThat(properties.tokens().accessTokenTtl()).hasMinutes(20);
    }

    @Test
    void issuerWhenItEndsWithASlashAsIamsDoesThenKeptExactlyAndPagesUnderTheBaseUrl() {
        TesseraProperties iam = bind(Map.of("tessera.issuer", "https://iam.example.org/"));
        assertThat(iam.issuer()).isEqualTo("https://iam.example.org/");
        assertThat(iam.baseUrl()).isEqualTo("https://iam.example.org");
        TesseraProperties path = bind(Map.of("tessera.issuer", "https://auth.example.org/vo/"));
        assertThat(path.baseUrl()).isEqualTo("https://auth.example.org/vo");
        assertThat(bind(Map.of()).baseUrl()).isEqualTo(bind(Map.of()).issuer());
        for (String bad : new String[] {"https://iam.example.org//", "https://iam.example.org/?vo=x",
                "https://iam.example.org/#f", "ftp://iam.example.org", "not a url"}) {
            assertThatThrownBy(() -> bind(Map.of("tessera.issuer", bad))).as(bad)
                    .hasStackTraceContaining("tessera.issuer");
        }
    }

    @Test
    void vomsLifetimeWhenOnlyTheMaximumIsLoweredThenTheDefaultFollowsIt() {
        assertThat(bind(Map.of("tessera.voms.max-lifetime", "2h")).voms().effectiveDefaultLifetime()).hasHours(2);
        assertThat(bind(Map.of()).voms().effectiveDefaultLifetime()).hasHours(12);
        assertThat(bind(Map.of("tessera.voms.max-lifetime", "24h", "tessera.voms.default-lifetime", "6h")).voms()
                .effectiveDefaultLifetime()).hasHours(6);
        assertThatThrownBy(() -> bind(Map.of("tessera.voms.max-lifetime", "2h", "tessera.voms.default-lifetime",
                "6h"))).hasStackTraceContaining("tessera.voms.default-lifetime (PT6H) must be positive and at most "
                + "tessera.voms.max-lifetime (PT2H)");
    }

    @Test
    void samlSourceWhenNeitherOrBothTrustAnchorsOrABadFingerprintThenErrorNamesTheProperty() {
        assertThatThrownBy(() -> bind(Map.of("tessera.saml.metadata[0].name", "kc", "tessera.saml.metadata[0].location",
                "https://kc.example.org/realms/vo/protocol/saml/descriptor")))
                .hasStackTraceContaining("tessera.saml.metadata[0].location (file or https URL) and either "
                        + ".signing-certificate");
        assertThatThrownBy(() -> bind(Map.of("tessera.saml.metadata[0].name", "kc", "tessera.saml.metadata[0].location",
                "https://kc.example.org/d", "tessera.saml.metadata[0].signing-certificate", "/etc/fed.pem",
                "tessera.saml.metadata[0].idp-fingerprints", "ab".repeat(32))))
                .hasStackTraceContaining(".idp-fingerprints (SHA-256");
        assertThatThrownBy(() -> bind(Map.of("tessera.saml.metadata[0].name", "kc", "tessera.saml.metadata[0].location",
                "https://kc.example.org/d", "tessera.saml.metadata[0].idp-fingerprints", "not-hex")))
                .hasStackTraceContaining("tessera.saml.metadata[0].idp-fingerprints: a SHA-256 fingerprint is 64 hex");
        TesseraProperties.Saml.MetadataSource source = bind(Map.of("tessera.saml.metadata[0].name", "kc",
                "tessera.saml.metadata[0].location", "https://kc.example.org/d",
                "tessera.saml.metadata[0].idp-fingerprints", "AB:".repeat(31) + "AB")).saml().metadata().get(0);
        assertThat(source.pinned()).isTrue();
        assertThat(source.allowCbc()).isFalse();
        assertThat(source.requireSignedResponse()).isFalse();
        assertThat(source.defaultValidity()).hasDays(7);
    }

    @Test
    void rucioAttributeRuleWhenRucioWouldRefuseItThenErrorNamesTheProperty() {
        assertThatThrownBy(() -> bind(Map.of("tessera.sync.enabled", "true", "tessera.sync.targets[0].name", "rucio",
                "tessera.sync.targets[0].type", "RUCIO", "tessera.sync.targets[0].url", "https://rucio.example.org",
                "tessera.sync.targets[0].client-id", "c", "tessera.sync.targets[0].client-secret", "s",
                "tessera.sync.targets[0].attribute-rules[0]", "/escape:role=data manager")))
                .hasStackTraceContaining("tessera.sync.targets[0].attribute-rules: attribute rule /escape:role=data "
                        + "manager: Rucio accepts attribute keys and values of 1 to 30");
    }

    @ParameterizedTest
    @CsvSource({
            "tessera.issuer, ftp://x.org, tessera.issuer",
            "tessera.issuer, https://x.org//, tessera.issuer",
            "tessera.issuer, https://x.org?a=b, tessera.issuer",
            "tessera.tokens.max-access-token-ttl, 7h, tessera.tokens.max-access-token-ttl",
            "tessera.keys.algorithm, HS256, tessera.keys.algorithm",
            "tessera.login.max-failures-per-account, 0, tessera.login.max-failures-per-account",
            "tessera.saml.identity-attributes, nickname, tessera.saml.identity-attributes",
            "tessera.saml.required-attributes, eduPersonEntitlement, tessera.saml.required-attributes",
            "tessera.saml.clock-skew, 1h, tessera.saml.clock-skew",
            "tessera.voms.max-lifetime, 0s, tessera.voms.max-lifetime",
            "tessera.requests.concurrency, -1, tessera.requests.concurrency",
            "tessera.requests.max-wait, 0s, tessera.requests.max-wait",
    })
    void bindWhenInvalidThenErrorNamesProperty(String name, String value, String named) {
        assertThatThrownBy(() -> bind(Map.of(name, value))).isInstanceOf(BindException.class)
                .hasStackTraceContaining(named);
    }

    @Test
    void vomsVoPortsWhenEnvironmentStyleThenBoundAndBadOnesRefusedByName() {
        // TESSERA_VOMS_VOPORTS_LOFAR=15002 as the README documents it arrives as tessera.voms.voports.lofar
        assertThat(bind(Map.of("tessera.voms.voports.lofar", "15002")).voms().voPorts())
                .containsExactly(Map.entry("lofar", 15002));
        assertThat(bind(Map.of("tessera.voms.vo-ports.cms", "15001")).voms().voPorts())
                .containsExactly(Map.entry("cms", 15001));
        for (Map<String, String> bad : java.util.List.of(
                Map.of("tessera.voms.vo-ports.cms", "15000"),                                    // the shared port
                Map.of("tessera.voms.vo-ports.cms", "15001", "tessera.voms.vo-ports.lofar", "15001"),
                Map.of("tessera.voms.vo-ports.cms", "70000"))) {
            assertThatThrownBy(() -> bind(bad)).as(bad.toString()).hasStackTraceContaining("tessera.voms.vo-ports");
        }
    }
}
