package eu.tessera.policy.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.tessera.policy.InvalidScopeException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientScopeMatcherTests {

    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource({
            "storage.read:/escape, storage.read:/escape, true",
            "storage.read:/escape, storage.read:/escape/cms, true",
            "storage.read:/escape, storage.read:/escape/cms/data, true",
            "storage.read:/escape, storage.read:/escape/, true",
            "storage.read:/escape, storage.read:/, false",
            "storage.read:/escape, storage.read:/escapeX, false",
            "storage.read:/escape, storage.read:/esc, false",
            "storage.read:/escape, storage.modify:/escape, false",
            "storage.read:/escape/, storage.read:/escape/cms, true",
            "storage.read:/escape/, storage.read:/escape, false",
            "storage.read:/, storage.read:/anything/below, true",
            "storage.create:/foo/bar, storage.create:/foo/bargain, false",
            "storage.stage:/escape, storage.read:/escape, false",
            "storage.read:/escape, storage.stage:/escape, false",
            "storage.poll:/escape, storage.poll:/escape/cms, true",
            "storage.modify:/escape, storage.create:/escape, false",
            "compute.read, compute.read, true",
            "compute.read, compute.create, false",
            "wlcg.groups, wlcg.groups:/escape/cms, true",
            "wlcg.groups, wlcg.groups, true",
            "wlcg.groups:/escape, wlcg.groups:/escape/cms, false",
            "wlcg.capabilityset, wlcg.capabilityset:/cms/production, true",
            "wlcg.capabilityset:/cms, wlcg.capabilityset:/cms, true",
            "wlcg.capabilityset:/cms, wlcg.capabilityset:/cms/production, false",
            "wlcg.groups, wlcg.capabilityset:/cms, false",
            "wlcg.capabilityset, wlcg.groups:/cms, false",
            "openid, openid, true",
            "openid, profile, false",
    })
    void coversWhenRegisteredThenPerComponentDecision(String registered, String requested, boolean expected) {
        assertThat(ClientScopeMatcher.of(List.of(registered)).covers(WlcgScope.parse(requested))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is invalid")
    @CsvSource({
            "storage.read",
            "storage.read:",
            "storage.read:escape",
            "storage.read:/escape/../other",
            "storage.read:/..",
            "storage.read:/escape/./cms",
            "storage.read:/escape//cms",
            "storage.read:/escape/%2e%2e/x",
            "storage.read:/escape/%2E%2E",
            "storage.read:/escape%2fcms",
            "storage.read:/escape%5ccms",
            "storage.read:/escape%252e",
            "storage.read:/escape%zz",
            "storage.read:/escape?x=1",
            "storage.write:/escape",
            "compute.read:/x",
            "compute.launch",
            "wlcg.groups:escape",
            "wlcg.groups:/-bad",
            "wlcg.groups:/a//b",
            "wlcg.capabilityset:cms",
            "wlcg.capabilityset:/cms/",
            "wlcg.capabilityset:/_x",
    })
    void parseWhenMalformedThenInvalidScope(String scope) {
        assertThatThrownBy(() -> WlcgScope.parse(scope)).isInstanceOf(InvalidScopeException.class);
    }

    @Test
    void parseWhenIllegalCharacterOrTooLongThenInvalidScope() {
        assertThatThrownBy(() -> WlcgScope.parse("storage.read:/a\\b")).isInstanceOf(InvalidScopeException.class);
        assertThatThrownBy(() -> WlcgScope.parse("a\"b")).isInstanceOf(InvalidScopeException.class);
        assertThatThrownBy(() -> WlcgScope.parse("x".repeat(WlcgScope.MAX_LENGTH + 1)))
                .isInstanceOf(InvalidScopeException.class);
        assertThatThrownBy(() -> WlcgScope.parse("")).isInstanceOf(InvalidScopeException.class);
    }

    @Test
    void parseWhenValidThenClassified() {
        assertThat(WlcgScope.parse("storage.read:/escape/cms"))
                .isEqualTo(new StorageScope("storage.read:/escape/cms", "storage.read", "/escape/cms"));
        assertThat(WlcgScope.parse("storage.poll:/")).isInstanceOf(StorageScope.class);
        assertThat(WlcgScope.parse("storage.read:/a%20b")).isInstanceOf(StorageScope.class);
        assertThat(WlcgScope.parse("compute.cancel")).isEqualTo(new ComputeScope("compute.cancel"));
        assertThat(WlcgScope.parse("wlcg.groups:/escape/data-manager"))
                .isEqualTo(new GroupScope("wlcg.groups:/escape/data-manager", "/escape/data-manager"));
        assertThat(WlcgScope.parse("iam:admin.read")).isEqualTo(new PlainScope("iam:admin.read"));
    }

    @Test
    void grantWhenAllCoveredThenRequestOrderWithoutDuplicates() {
        ClientScopeMatcher matcher = ClientScopeMatcher.of(List.of("openid", "storage.read:/escape", "wlcg.groups"));
        List<WlcgScope> granted = matcher.grant(List.of("storage.read:/escape/cms", "openid", "openid", "wlcg.groups"));
        assertThat(granted).extracting(WlcgScope::value)
                .containsExactly("storage.read:/escape/cms", "openid", "wlcg.groups");
    }

    @Test
    void grantWhenOneScopeWidensThenInvalidScopeNamesIt() {
        ClientScopeMatcher matcher = ClientScopeMatcher.of(List.of("storage.read:/escape"));
        assertThatThrownBy(() -> matcher.grant(List.of("storage.read:/escape/cms", "storage.read:/")))
                .isInstanceOf(InvalidScopeException.class)
                .extracting(e -> ((InvalidScopeException) e).scope()).isEqualTo("storage.read:/");
    }

    @Test
    void ofWhenRegistrationHasMalformedScopeThenItIsIgnored() {
        ClientScopeMatcher matcher = ClientScopeMatcher.of(List.of("storage.read", "openid"));
        assertThat(matcher.covers(WlcgScope.parse("openid"))).isTrue();
        assertThat(matcher.covers(WlcgScope.parse("storage.read:/"))).isFalse();
    }
}
