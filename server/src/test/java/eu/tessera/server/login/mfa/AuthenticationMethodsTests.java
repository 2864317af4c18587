package eu.tessera.server.login.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

class AuthenticationMethodsTests {

    private static GrantedAuthority factor(String name) {
        return FactorGrantedAuthority.withAuthority(name).issuedAt(Instant.now()).build();
    }

    @Test
    void amrWhenPasswordAloneThenPwdAndSingleFactorAcr() {
        List<GrantedAuthority> session = List.of(new SimpleGrantedAuthority("ROLE_USER"),
                factor(FactorGrantedAuthority.PASSWORD_AUTHORITY));
        assertThat(AuthenticationMethods.amr(session)).containsExactly("pwd");
        assertThat(AuthenticationMethods.acr(session)).isEqualTo(AuthenticationMethods.ACR_SFA);
    }

    @Test
    void amrWhenPasswordAndTotpThenPwdOtpMfaAndRefedsMfa() {
        List<GrantedAuthority> session = List.of(new SimpleGrantedAuthority("ROLE_USER"),
                factor(FactorGrantedAuthority.PASSWORD_AUTHORITY), factor(SecondFactor.TOTP_AUTHORITY));
        assertThat(AuthenticationMethods.amr(session)).containsExactly("pwd", "otp", "mfa");
        assertThat(AuthenticationMethods.acr(session)).isEqualTo("https://refeds.org/profile/mfa");
    }

    @Test
    void amrWhenCertificateOrExternalLoginWithRecoveryCodeThenMfa() {
        assertThat(AuthenticationMethods.amr(List.of(factor(FactorGrantedAuthority.X509_AUTHORITY),
                factor(SecondFactor.RECOVERY_CODE_AUTHORITY)))).containsExactly("swk", "otp", "mfa");
        // a stored authorization gives factor names back as plain authorities when their time was lost
        assertThat(AuthenticationMethods.amr(List.of(new SimpleGrantedAuthority(
                FactorGrantedAuthority.SAML_RESPONSE_AUTHORITY), new SimpleGrantedAuthority(
                SecondFactor.TOTP_AUTHORITY)))).containsExactly("otp", "mfa");
        assertThat(AuthenticationMethods.amr(List.of(factor(FactorGrantedAuthority.AUTHORIZATION_CODE_AUTHORITY))))
                .isEmpty();
    }

    @Test
    void asksForMfaWhenOnlyMfaProfileAmongValuesThenTrue() {
        assertThat(AuthenticationMethods.asksForMfa("https://refeds.org/profile/mfa")).isTrue();
        assertThat(AuthenticationMethods.asksForMfa(" urn:other  https://refeds.org/profile/mfa ")).isTrue();
        assertThat(AuthenticationMethods.asksForMfa("https://refeds.org/profile/mfa https://refeds.org/profile/sfa"))
                .isFalse();
        assertThat(AuthenticationMethods.asksForMfa("https://refeds.org/profile/sfa")).isFalse();
        assertThat(AuthenticationMethods.asksForMfa(null)).isFalse();
        assertThat(AuthenticationMethods.asksForMfa("")).isFalse();
    }
}
