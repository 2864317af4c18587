package eu.tessera.server.account;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AccountLifecycleTests {

    @Test
    void suspendOrRemoveWhenTheActorIsTheAccountThenRefused() {
        assertThatThrownBy(() -> AccountLifecycle.refuseSelf("a-1", "a-1", "suspend"))
                .isInstanceOf(AccountLifecycle.SelfActionException.class)
                .hasMessage("you cannot suspend your own account: ask another admin");
        assertThatCode(() -> AccountLifecycle.refuseSelf("a-1", "a-2", "remove")).doesNotThrowAnyException();
        assertThatCode(() -> AccountLifecycle.refuseSelf("a-1", "admin-client", "suspend")).doesNotThrowAnyException();
    }
}
