package eu.tessera.sync.rucio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.tessera.sync.AccountState;
import eu.tessera.sync.Operation;
import eu.tessera.sync.SyncException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RucioPlannerTest {

    private static final String ISS = "https://tessera.example.org";

    private static RucioSettings settings(boolean delete, boolean adopt, RucioSettings.DnFormat format) {
        return new RucioSettings("rucio", URI.create("http://rucio"), ISS, List.of("/escape"),
                List.of(RucioSettings.AttributeRule.parse("/escape/data-manager:admin=True"),
                        RucioSettings.AttributeRule.parse("/escape/atlas:experiment=atlas")),
                format, delete, adopt, null, null);
    }

    private static AccountState alice(AccountState.Status status, List<String> groups) {
        return new AccountState("id-1", "Alice.Smith", "alice@example.org", "Alice", "Smith", status, false, groups,
                List.of(new AccountState.Certificate("/DC=org/DC=example/CN=Alice Smith",
                        "CN=Alice Smith,DC=example,DC=org")));
    }

    private static List<String> describe(List<RucioChange> changes) {
        return changes.stream().map(RucioChange::describe).map(Operation::toString).toList();
    }

    private static RucioAccount owned(List<RucioAccount.Identity> identities, Map<String, String> attributes) {
        Map<String, String> all = new java.util.HashMap<>(attributes);
        all.put("tessera_id", "id-1");
        return new RucioAccount("alice_smith", true, "USER", "ACTIVE", "alice@example.org", identities, all);
    }

    @Test
    void memberWithoutRucioAccountThenAccountOwnerIdentitiesAndMappedAttributesCreated() throws SyncException {
        List<RucioChange> plan = new RucioPlanner(settings(false, false, RucioSettings.DnFormat.RFC2253)).plan(
                alice(AccountState.Status.ACTIVE, List.of("/escape", "/escape/data-manager")),
                RucioAccount.missing("alice_smith"), false);
        assertThat(describe(plan)).containsExactly(
                "alice_smith: create account USER alice@example.org",
                "alice_smith: add attribute tessera_id=id-1",
                "alice_smith: add identity OIDC SUB=id-1, ISS=" + ISS,
                "alice_smith: add identity X509 CN=Alice Smith,DC=example,DC=org",
                "alice_smith: add attribute admin=True");
    }

    @Test
    void accountInLineThenEmptyPlanAndBooleanAnsweredAsTrueMatches() throws SyncException {
        RucioAccount actual = owned(List.of(new RucioAccount.Identity("OIDC", "SUB=id-1, ISS=" + ISS),
                new RucioAccount.Identity("X509", "/DC=org/DC=example/CN=Alice Smith"),
                new RucioAccount.Identity("USERPASS", "alice")), Map.of("admin", "true", "quota", "big"));
        assertThat(new RucioPlanner(settings(false, false, RucioSettings.DnFormat.SLASH)).plan(
                alice(AccountState.Status.ACTIVE, List.of("/escape", "/escape/data-manager")), actual, false)).isEmpty();
    }

    @Test
    void leftGroupsThenManagedIdentitiesAndAttributesRemovedOthersKeptAccountKeptUnlessConfigured()
            throws SyncException {
        RucioAccount actual = owned(List.of(new RucioAccount.Identity("OIDC", "SUB=id-1, ISS=" + ISS),
                new RucioAccount.Identity("OIDC", "SUB=x, ISS=https://other-issuer"),
                new RucioAccount.Identity("USERPASS", "alice")), Map.of("admin", "True", "quota", "big"));
        AccountState left = alice(AccountState.Status.ACTIVE, List.of("/other"));
        assertThat(describe(new RucioPlanner(settings(false, false, RucioSettings.DnFormat.RFC2253)).plan(left,
                actual, false))).containsExactly("alice_smith: remove identity OIDC SUB=id-1, ISS=" + ISS,
                "alice_smith: remove attribute admin");
        assertThat(describe(new RucioPlanner(settings(true, false, RucioSettings.DnFormat.RFC2253)).plan(left,
                actual, false))).endsWith("alice_smith: delete account");
    }

    @Test
    void suspendedThenIdentitiesRemovedButAccountNeverDeleted() throws SyncException {
        RucioAccount actual = owned(List.of(new RucioAccount.Identity("OIDC", "SUB=id-1, ISS=" + ISS)), Map.of());
        assertThat(describe(new RucioPlanner(settings(true, false, RucioSettings.DnFormat.RFC2253)).plan(
                alice(AccountState.Status.SUSPENDED, List.of("/escape")), actual, false)))
                .containsExactly("alice_smith: remove identity OIDC SUB=id-1, ISS=" + ISS);
    }

    @Test
    void removedAndDeleteConfiguredThenDeletedOnceAndDeletedAccountReactivatedOnReturnWhenTheLedgerSaysItIsOurs()
            throws SyncException {
        RucioPlanner planner = new RucioPlanner(settings(true, false, RucioSettings.DnFormat.RFC2253));
        RucioAccount actual = owned(List.of(), Map.of());
        assertThat(describe(planner.plan(AccountState.removed("id-1", "alice.smith"), actual, false)))
                .containsExactly("alice_smith: delete account");
        // Rucio lists no identities or attributes of a DELETED account (AccountNotFound)
        RucioAccount deleted = new RucioAccount("alice_smith", true, "USER", "DELETED", "alice@example.org",
                List.of(), Map.of());
        assertThat(planner.plan(AccountState.removed("id-1", "alice.smith"), deleted, false)).isEmpty();
        assertThat(describe(planner.plan(alice(AccountState.Status.ACTIVE, List.of("/escape")), deleted, true)))
                .containsExactly("alice_smith: reactivate account");
        assertThatThrownBy(() -> planner.plan(alice(AccountState.Status.ACTIVE, List.of("/escape")), deleted, false))
                .hasMessageContaining("no record of creating it").matches(e -> ((SyncException) e).permanent());
    }

    @Test
    void suspendedInRucioThenLeftAloneWithAPermanentMessage() {
        RucioAccount suspended = new RucioAccount("alice_smith", true, "USER", "SUSPENDED", "alice@example.org",
                List.of(), Map.of());
        assertThatThrownBy(() -> new RucioPlanner(settings(false, false, RucioSettings.DnFormat.RFC2253))
                .plan(alice(AccountState.Status.ACTIVE, List.of("/escape")), suspended, true))
                .hasMessageContaining("suspended in Rucio").matches(e -> ((SyncException) e).permanent());
    }

    @Test
    void uuidOwnerWrittenInTheFormRucioAcceptsAndAPreviousFormMarkerRewritten() throws SyncException {
        String uuid = "0f8fad5b-d9cb-469f-a165-70867728950e";
        AccountState member = new AccountState(uuid, "bob", "bob@example.org", "Bob", "B", AccountState.Status.ACTIVE,
                false, List.of("/escape"), List.of());
        RucioPlanner planner = new RucioPlanner(settings(false, false, RucioSettings.DnFormat.RFC2253));
        List<RucioChange> created = planner.plan(member, RucioAccount.missing("bob"), false);
        RucioChange.AddAttribute marker = (RucioChange.AddAttribute) created.get(1);
        assertThat(marker.key()).isEqualTo("tessera_id");
        assertThat(marker.value()).isEqualTo(OwnerMarker.of(uuid)).matches(OwnerMarker.RUCIO_ATTRIBUTE);
        RucioAccount previous = new RucioAccount("bob", true, "USER", "ACTIVE", "bob@example.org",
                List.of(new RucioAccount.Identity("OIDC", "SUB=" + uuid + ", ISS=" + ISS)),
                Map.of("tessera_id", uuid));
        assertThat(describe(planner.plan(member, previous, false))).containsExactly("bob: remove attribute tessera_id",
                "bob: add attribute tessera_id=" + OwnerMarker.of(uuid));
        RucioAccount current = new RucioAccount("bob", true, "USER", "ACTIVE", "bob@example.org",
                previous.identities(), Map.of("tessera_id", OwnerMarker.of(uuid)));
        assertThat(planner.plan(member, current, false)).isEmpty();
        RucioAccount someoneElses = new RucioAccount("bob", true, "USER", "ACTIVE", "bob@example.org", List.of(),
                Map.of("tessera_id", OwnerMarker.of("7c9e6679-7425-40de-944b-e07fc1f90ae7")));
        assertThatThrownBy(() -> planner.plan(member, someoneElses, false))
                .hasMessageContaining("another Tessera account (7c9e6679-7425-40de-944b-e07fc1f90ae7)");
    }

    @Test
    void emailLongerThanRucioStoresThenPermanentRefusalBeforeAnyCall() {
        AccountState longMail = new AccountState("id-1", "alice", "a".repeat(250) + "@example.org", "A", "S",
                AccountState.Status.ACTIVE, false, List.of("/escape"), List.of());
        assertThatThrownBy(() -> new RucioPlanner(settings(false, false, RucioSettings.DnFormat.RFC2253))
                .plan(longMail, RucioAccount.missing("alice"), false)).hasMessageContaining("255")
                .matches(e -> ((SyncException) e).permanent());
    }

    @Test
    void attributeRuleValueChangedThenReplacedAndEmailFollowed() throws SyncException {
        RucioAccount actual = new RucioAccount("alice_smith", true, "USER", "ACTIVE", "old@example.org",
                List.of(new RucioAccount.Identity("OIDC", "SUB=id-1, ISS=" + ISS),
                        new RucioAccount.Identity("X509", "CN=Alice Smith,DC=example,DC=org")),
                Map.of("tessera_id", "id-1", "experiment", "cms"));
        assertThat(describe(new RucioPlanner(settings(false, false, RucioSettings.DnFormat.RFC2253)).plan(
                alice(AccountState.Status.ACTIVE, List.of("/escape", "/escape/atlas")), actual, false))).containsExactly(
                "alice_smith: set email alice@example.org", "alice_smith: remove attribute experiment",
                "alice_smith: add attribute experiment=atlas");
    }

    @Test
    void accountOfAnotherOwnerOrNotCreatedByTesseraThenPermanentRefusalUnlessAdoptingUsers() throws SyncException {
        AccountState alice = alice(AccountState.Status.ACTIVE, List.of("/escape"));
        RucioAccount root = new RucioAccount("alice_smith", true, "SERVICE", "ACTIVE", "ops@example.org", List.of(),
                Map.of("admin", "True"));
        RucioPlanner adopting = new RucioPlanner(settings(false, true, RucioSettings.DnFormat.RFC2253));
        assertThatThrownBy(() -> adopting.plan(alice, root, false)).isInstanceOf(SyncException.class)
                .hasMessageContaining("not created by Tessera")
                .matches(e -> ((SyncException) e).permanent());
        RucioAccount other = new RucioAccount("alice_smith", true, "USER", "ACTIVE", "x@example.org", List.of(),
                Map.of("tessera_id", "id-2"));
        assertThatThrownBy(() -> adopting.plan(alice, other, false)).hasMessageContaining("another Tessera account");
        RucioAccount legacyUser = new RucioAccount("alice_smith", true, "USER", "ACTIVE", "alice@example.org",
                List.of(), Map.of());
        assertThat(describe(adopting.plan(alice, legacyUser, false))).startsWith("alice_smith: add attribute tessera_id=id-1");
        assertThatThrownBy(() -> new RucioPlanner(settings(false, false, RucioSettings.DnFormat.RFC2253))
                .plan(alice, legacyUser, false)).hasMessageContaining("adopt-existing-accounts");
        // created by Tessera for this account, the marking call lost: finished, not refused
        assertThat(describe(new RucioPlanner(settings(false, false, RucioSettings.DnFormat.RFC2253))
                .plan(alice, legacyUser, true))).startsWith("alice_smith: add attribute tessera_id=id-1");
        // not in scope and not ours: left alone, no error
        assertThat(adopting.plan(alice(AccountState.Status.ACTIVE, List.of()), root, false)).isEmpty();
    }

    @Test
    void suspendedMemberWhoseAccountAnOldScriptMadeThenAdoptedAndIdentitiesRemovedOnlyWhenItCarriesTheirOwnSub()
            throws SyncException {
        // what an IAM-era sync script left: this member's sub under the same issuer, a grid-map DN, a USERPASS
        RucioAccount scripted = new RucioAccount("alice_smith", true, "USER", "ACTIVE", "alice@example.org", List.of(
                new RucioAccount.Identity("OIDC", "SUB=id-1, ISS=" + ISS),
                new RucioAccount.Identity("X509", "/DC=org/DC=example/CN=Alice Smith"),
                new RucioAccount.Identity("USERPASS", "alice")), Map.of());
        AccountState suspended = alice(AccountState.Status.SUSPENDED, List.of("/escape"));
        assertThat(describe(new RucioPlanner(settings(false, true, RucioSettings.DnFormat.SLASH))
                .plan(suspended, scripted, false))).containsExactly(
                "alice_smith: add attribute tessera_id=id-1",
                "alice_smith: remove identity OIDC SUB=id-1, ISS=" + ISS,
                "alice_smith: remove identity X509 /DC=org/DC=example/CN=Alice Smith");
        // without adoption, or when the OIDC identity is someone else's: left alone
        assertThat(new RucioPlanner(settings(false, false, RucioSettings.DnFormat.SLASH)).plan(suspended, scripted,
                false)).isEmpty();
        RucioAccount othersSub = new RucioAccount("alice_smith", true, "USER", "ACTIVE", "alice@example.org",
                List.of(new RucioAccount.Identity("OIDC", "SUB=id-9, ISS=" + ISS)), Map.of());
        assertThat(new RucioPlanner(settings(false, true, RucioSettings.DnFormat.SLASH)).plan(suspended, othersSub,
                false)).isEmpty();
    }

    @Test
    void accountNamesFollowRucioRules() {
        assertThat(RucioSettings.accountName("Alice.Smith")).isEqualTo("alice_smith");
        assertThat(RucioSettings.accountName("bob-1")).isEqualTo("bob-1");
        assertThatThrownBy(() -> RucioSettings.accountName("a-very-long-username-over-25"))
                .hasMessageContaining("no valid Rucio account name");
        assertThatThrownBy(() -> RucioSettings.AttributeRule.parse("/escape:role=data manager"))
                .hasMessageContaining("Rucio accepts attribute keys and values");
        assertThatThrownBy(() -> RucioSettings.AttributeRule.parse("/escape:owner=" + "x".repeat(31)))
                .hasMessageContaining("1 to 30");
        assertThatThrownBy(() -> RucioSettings.AttributeRule.parse("admin=True"))
                .hasMessageContaining("/group/path:key=value");
    }
}
