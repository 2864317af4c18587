package eu.tessera.server.login.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.config.TesseraProperties.Oidc.Provider;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OidcLoginHandlerTests {

    private static Provider provider(List<String> acr, List<String> amr) {
        return new Provider("p", null, URI.create("https://op.example.org"), "c", "s", List.of("openid"), List.of(),
                false, "preferred_username", acr, amr, false);
    }

    @Test
    void countsAsMfaWhenAcrOrAmrNamedBySettingsThenTrue() {
        Provider defaults = provider(List.of("https://refeds.org/profile/mfa"), List.of("mfa"));
        assertThat(OidcLoginHandler.countsAsMfa(defaults, Map.of("acr", "https://refeds.org/profile/mfa"))).isTrue();
        assertThat(OidcLoginHandler.countsAsMfa(defaults, Map.of("amr", List.of("pwd", "otp", "mfa")))).isTrue();
        assertThat(OidcLoginHandler.countsAsMfa(defaults, Map.of("acr", "https://refeds.org/profile/sfa",
                "amr", List.of("pwd")))).isFalse();
        assertThat(OidcLoginHandler.countsAsMfa(defaults, Map.of())).isFalse();
        // amr must be a list (RFC 8176), acr a string: other shapes never count
        assertThat(OidcLoginHandler.countsAsMfa(defaults, Map.of("amr", "mfa", "acr", List.of("x")))).isFalse();
    }

    @Test
    void countsAsMfaWhenProviderTrustsOtherValuesOrNoneThenAsConfigured() {
        Provider custom = provider(List.of("urn:example:loa:3"), List.of("hwk"));
        assertThat(OidcLoginHandler.countsAsMfa(custom, Map.of("acr", "urn:example:loa:3"))).isTrue();
        assertThat(OidcLoginHandler.countsAsMfa(custom, Map.of("amr", List.of("hwk")))).isTrue();
        assertThat(OidcLoginHandler.countsAsMfa(custom, Map.of("acr", "https://refeds.org/profile/mfa"))).isFalse();
        Provider none = provider(List.of(), List.of());
        assertThat(OidcLoginHandler.countsAsMfa(none, Map.of("acr", "https://refeds.org/profile/mfa",
                "amr", List.of("mfa")))).isFalse();
    }
}
