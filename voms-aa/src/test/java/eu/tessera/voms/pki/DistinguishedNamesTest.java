package eu.tessera.voms.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

class DistinguishedNamesTest {

    @Test
    void rfc2253AndSlashFormsNormalizeToOneForm() {
        String canonical = "/DC=org/DC=terena/DC=tcs/C=IT/O=INFN/CN=Jane Doe jane@infn.it";
        assertThat(DistinguishedNames.canonical("CN=Jane Doe jane@infn.it,O=INFN,C=IT,DC=tcs,DC=terena,DC=org"))
                .isEqualTo(canonical);
        assertThat(DistinguishedNames.canonical("/DC=org/DC=terena/DC=tcs/C=IT/O=INFN/CN=Jane Doe jane@infn.it"))
                .isEqualTo(canonical);
        assertThat(DistinguishedNames.canonical(" /dc=org/dc=terena/dc=tcs/c=IT/o=INFN/cn=Jane Doe jane@infn.it "))
                .isEqualTo(canonical);
        assertThat(DistinguishedNames.canonical("cn = Jane Doe jane@infn.it, o=INFN, c=IT, dc=tcs, dc=terena, dc=org"))
                .isEqualTo(canonical);
        assertThat(DistinguishedNames.canonical(new X500Principal("CN=Jane Doe jane@infn.it,O=INFN,C=IT,"
                + "DC=tcs,DC=terena,DC=org"))).isEqualTo(canonical);
    }

    @Test
    void emailAndSlashesInValues() {
        assertThat(DistinguishedNames.canonical("EMAILADDRESS=ops@example.org,CN=host/www.example.org,O=Example"))
                .isEqualTo("/O=Example/CN=host/www.example.org/emailAddress=ops@example.org");
        assertThat(DistinguishedNames.canonical("/O=Example/CN=host/www.example.org/emailAddress=ops@example.org"))
                .isEqualTo("/O=Example/CN=host/www.example.org/emailAddress=ops@example.org");
        assertThat(DistinguishedNames.canonical("CN=Doe\\, Jane,O=Example")).isEqualTo("/O=Example/CN=Doe, Jane");
    }

    @Test
    void rejectsWhatIsNotADistinguishedName() {
        assertThatThrownBy(() -> DistinguishedNames.canonical("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DistinguishedNames.canonical("just text")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a distinguished name: write it as /DC=org/DC=example/CN=Jane Doe (OpenSSL form) or "
                        + "CN=Jane Doe,DC=example,DC=org (RFC 2253)")
                .message().doesNotContain("improperly", "Exception");
        assertThatThrownBy(() -> DistinguishedNames.canonical("/nonsense")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'nonsense' has no attribute name (such as CN=, O=, DC=)");
        assertThatThrownBy(() -> DistinguishedNames.canonical("/CN=")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DistinguishedNames.canonical("/CN=" + "x".repeat(3000)))
                .hasMessageContaining("longer");
    }

    @Test
    void rfc2253FormReversesTheOrderAndEscapesSpecialCharacters() {
        org.assertj.core.api.Assertions.assertThat(DistinguishedNames.rfc2253(
                "/DC=ch/DC=cern/OU=Organic Units/OU=Users/CN=jdoe/CN=123456/CN=Jane Doe"))
                .isEqualTo("CN=Jane Doe,CN=123456,CN=jdoe,OU=Users,OU=Organic Units,DC=cern,DC=ch");
        org.assertj.core.api.Assertions.assertThat(DistinguishedNames.rfc2253("CN=Doe\\, Jane,O=Example,C=IT"))
                .isEqualTo("CN=Doe\\, Jane,O=Example,C=IT");
        org.assertj.core.api.Assertions.assertThat(DistinguishedNames.rfc2253("/C=IT/O=INFN/CN=host/www.example.org"))
                .isEqualTo("CN=host/www.example.org,O=INFN,C=IT");
    }
}
