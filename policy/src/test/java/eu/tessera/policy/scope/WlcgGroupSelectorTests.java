package eu.tessera.policy.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.tessera.policy.GroupNotEntitledException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class WlcgGroupSelectorTests {

    private static final List<String> DEFAULTS = List.of("/cms");
    private static final Set<String> ENTITLED = Set.of("/cms", "/cms/uscms", "/cms/ALARM");

    private static List<WlcgScope> scopes(String spaceSeparated) {
        return Arrays.stream(spaceSeparated.split(" ")).map(WlcgScope::parse).toList();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            // the two examples of WLCG profile section 3.1
            "wlcg.groups:/cms/uscms wlcg.groups:/cms/ALARM | /cms/uscms,/cms/ALARM,/cms",
            "wlcg.groups wlcg.groups:/cms/uscms wlcg.groups:/cms/ALARM | /cms,/cms/uscms,/cms/ALARM",
            "wlcg.groups | /cms",
            "openid wlcg.groups wlcg.groups | /cms",
            "wlcg.groups:/cms wlcg.groups | /cms",
            "wlcg.groups:/cms/ALARM wlcg.groups wlcg.groups:/cms/uscms | /cms/ALARM,/cms,/cms/uscms",
    })
    void selectWhenGroupScopesThenProfileOrder(String requested, String expected) {
        assertThat(WlcgGroupSelector.select(scopes(requested), DEFAULTS, ENTITLED))
                .containsExactly(expected.split(","));
    }

    @Test
    void selectWhenNoGroupScopeThenNoClaim() {
        assertThat(WlcgGroupSelector.select(scopes("openid storage.read:/"), DEFAULTS, ENTITLED)).isNull();
    }

    @Test
    void selectWhenOptionalGroupNotRequestedThenAbsent() {
        List<String> claim = WlcgGroupSelector.select(scopes("wlcg.groups"), DEFAULTS, ENTITLED);
        assertThat(claim).doesNotContain("/cms/ALARM");
    }

    @Test
    void selectWhenGroupNotEntitledThenAccessDenied() {
        assertThatThrownBy(() -> WlcgGroupSelector.select(scopes("wlcg.groups:/atlas"), DEFAULTS, ENTITLED))
                .isInstanceOf(GroupNotEntitledException.class)
                .extracting(e -> ((GroupNotEntitledException) e).group()).isEqualTo("/atlas");
    }
}
