package eu.tessera.server.oauth2.consent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScopeDescriptionsTests {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "openid | Sign you in with your account",
            "offline_access | Keep access while you are away, until you revoke it on your account page",
            "wlcg.groups | See the groups you belong to",
            "wlcg.groups:/escape/data-manager | Act with your membership in /escape/data-manager",
            "storage.read:/escape | Read data under /escape",
            "storage.create:/escape/cms | Upload new data under /escape/cms (not overwrite)",
            "storage.modify:/ | Change and delete data under / (everywhere)",
            "storage.stage:/tape | Bring data under /tape from tape to disk",
            "compute.create | Submit compute jobs for you",
            "eduperson_entitlement | See the groups you belong to, as entitlements",
            "some.custom:scope | some.custom:scope",
    })
    void scopeWhenDescribedThenWordsAMemberUnderstands(String scope, String words) {
        assertThat(ScopeDescriptions.describe(scope)).isEqualTo(words);
    }
}
