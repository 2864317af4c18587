package eu.tessera.voms.fqan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.tessera.voms.VomsError;
import eu.tessera.voms.VomsException;
import eu.tessera.voms.fqan.FqanResolver.Membership;
import eu.tessera.voms.fqan.FqanResolver.OptionalGroupEncoding;
import java.util.List;
import org.junit.jupiter.api.Test;

class FqanResolverTest {

    static final List<Membership> JANE = List.of(new Membership("/escape", false),
            new Membership("/escape/atlas", false), new Membership("/escape/cms", false),
            new Membership("/escape/data-manager", true), new Membership("/other", false));
    final FqanResolver roles = new FqanResolver("escape", OptionalGroupEncoding.ROLE, false);

    @Test
    void defaultsInGroupOrderWhenNothingIsRequested() throws VomsException {
        assertThat(roles.resolve(JANE, List.of())).containsExactly("/escape", "/escape/atlas", "/escape/cms");
        assertThat(roles.resolve(JANE, List.of("/escape"))).containsExactly("/escape", "/escape/atlas", "/escape/cms");
        assertThat(roles.resolve(JANE, List.of("all"))).containsExactly("/escape", "/escape/atlas", "/escape/cms");
    }

    @Test
    void requestedFqansComeFirstInRequestOrder() throws VomsException {
        assertThat(roles.resolve(JANE, List.of("/escape/cms", "/escape/Role=data-manager")))
                .containsExactly("/escape/cms", "/escape/Role=data-manager", "/escape", "/escape/atlas");
        assertThat(roles.resolve(JANE, List.of("/escape/Role=data-manager/Capability=NULL", "/escape/atlas/Role=NULL")))
                .containsExactly("/escape/Role=data-manager", "/escape/atlas", "/escape", "/escape/cms");
    }

    @Test
    void optionalGroupsAsGroupsAndLegacyEncoding() throws VomsException {
        FqanResolver groups = new FqanResolver("escape", OptionalGroupEncoding.GROUP, true);
        assertThat(groups.resolve(JANE, List.of("/escape/data-manager"))).containsExactly(
                "/escape/data-manager/Role=NULL/Capability=NULL", "/escape/Role=NULL/Capability=NULL",
                "/escape/atlas/Role=NULL/Capability=NULL", "/escape/cms/Role=NULL/Capability=NULL");
        assertThatThrownBy(() -> groups.resolve(JANE, List.of("/escape/Role=data-manager")))
                .isInstanceOf(VomsException.class);
    }

    @Test
    void unentitledOrMalformedRequestsAreRefused() {
        for (String fqan : List.of("/escape/alice", "/escape/Role=VO-Admin", "/other", "/escape/cms/Capability=x",
                "escape", "/escape/<script>")) {
            assertThatThrownBy(() -> roles.resolve(JANE, List.of(fqan)))
                    .isInstanceOfSatisfying(VomsException.class,
                            e -> assertThat(e.error()).isEqualTo(VomsError.BadRequest));
        }
    }

    @Test
    void notAMemberOfTheVo() {
        assertThatThrownBy(() -> roles.resolve(List.of(new Membership("/other", false),
                new Membership("/escape/data-manager", true)), List.of()))
                .isInstanceOfSatisfying(VomsException.class, e -> assertThat(e.error()).isEqualTo(VomsError.NoSuchUser));
    }

    @Test
    void fqanParsing() {
        assertThat(Fqan.parse("/escape/cms/Role=NULL/Capability=NULL")).isEqualTo(new Fqan("/escape/cms", null));
        assertThat(Fqan.parse("/escape/Role=pilot").legacyForm()).isEqualTo("/escape/Role=pilot/Capability=NULL");
        assertThat(Fqan.parse("/escape/cms").vo()).isEqualTo("escape");
        assertThatThrownBy(() -> Fqan.parse("/escape//cms")).isInstanceOf(IllegalArgumentException.class);
    }
}
