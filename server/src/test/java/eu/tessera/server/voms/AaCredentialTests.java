package eu.tessera.server.voms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.tessera.voms.testpki.TestPki;
import java.util.List;
import org.junit.jupiter.api.Test;

class AaCredentialTests {

    private final TestPki.Credential ca = TestPki.ca("C=IT,O=Tessera Test,CN=Chain CA");
    private final TestPki.Credential aa = TestPki.endEntity(ca, "C=IT,O=Tessera Test,CN=voms.example.org", true);

    @Test
    void chainFileWhenTheCaComesFirstThenTheCertificateOfTheKeyIsTheAa() {
        VomsConfiguration.AaCredential credential = VomsConfiguration.AaCredential.of(aa.key(),
                List.of(ca.certificate(), aa.certificate()));
        assertThat(credential.certificate()).isEqualTo(aa.certificate());
        assertThat(credential.chain()).containsExactly(aa.certificate(), ca.certificate());
    }

    @Test
    void chainFileWhenNoCertificateHoldsTheKeyThenStartStopsNamingTheProperties() {
        assertThatThrownBy(() -> VomsConfiguration.AaCredential.of(aa.key(), List.of(ca.certificate())))
                .hasMessageContaining("tessera.voms.certificate holds no certificate of the key in "
                        + "tessera.voms.private-key");
    }
}
