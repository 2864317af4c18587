package eu.tessera.server.login.mfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.tessera.server.config.TesseraProperties;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class MfaPolicyTests {

    private static TesseraProperties.Mfa policy(boolean admins, String... groups) {
        return new TesseraProperties.Mfa(admins, List.of(groups), 1, 10,
                new TesseraProperties.Mfa.Passkeys(null, List.of()));
    }

    @ParameterizedTest
    @CsvSource({
            // admins required, account admin, in /escape/data-manager (or below), required?
            "false, false, false, false",
            "false, true,  false, false",
            "true,  true,  false, true",
            "true,  false, false, false",
            "false, false, true,  true",
            "true,  false, true,  true"})
    void requiredByWhenPolicyAndAccountThenDecision(boolean admins, boolean admin, boolean member, boolean required) {
        Set<String> groups = member ? Set.of("/escape/data-manager") : Set.of();
        assertThat(MfaService.requiredBy(policy(admins, "/escape/data-manager"), admin, groups::contains))
                .isEqualTo(required);
    }

    @Test
    void requiredByWhenNoGroupsConfiguredThenMembershipsNotAsked() {
        assertThat(MfaService.requiredBy(policy(false), false, group -> {
            throw new AssertionError("asked for " + group);
        })).isFalse();
    }

    @Test
    void settingsWhenOutOfRangeOrNotGroupPathsThenStartRefused() {
        assertThatThrownBy(() -> new TesseraProperties.Mfa(false, List.of(), 5, 10, null))
                .hasMessageContaining("tessera.mfa.totp-window");
        assertThatThrownBy(() -> new TesseraProperties.Mfa(false, List.of(), 1, 0, null))
                .hasMessageContaining("tessera.mfa.recovery-codes");
        assertThatThrownBy(() -> new TesseraProperties.Mfa(false, List.of("escape/data"), 1, 10, null))
                .hasMessageContaining("tessera.mfa.required-groups");
    }
}
