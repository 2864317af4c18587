package eu.tessera.server.login.mfa;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;

/**
 * How a user logged in, as ID tokens say it: {@code amr} with RFC 8176 values and {@code acr} with the REFEDS
 * assurance profiles research and education federations use ({@code https://refeds.org/profile/mfa} when two
 * factors were used, {@code https://refeds.org/profile/sfa} otherwise).
 */
public final class AuthenticationMethods {

    public static final String ACR_MFA = "https://refeds.org/profile/mfa";
    public static final String ACR_SFA = "https://refeds.org/profile/sfa";
    public static final List<String> ACR_VALUES_SUPPORTED = List.of(ACR_MFA, ACR_SFA);

    private AuthenticationMethods() {
    }

    /**
     * The RFC 8176 values of the factors: {@code pwd} (password), {@code swk} (an X.509 certificate's key held by
     * the browser), {@code hwk} (a passkey), {@code otp} (a TOTP or recovery code), {@code mfa} when two or more
     * different factors were used (a passkey whose authenticator verified the user by PIN or biometrics is two). A
     * login at an external provider or IdP counts as a factor without a value of its own.
     */
    public static List<String> amr(Collection<? extends GrantedAuthority> authorities) {
        Set<String> values = new LinkedHashSet<>();
        Set<String> factors = new java.util.HashSet<>();
        for (GrantedAuthority authority : authorities) {
            String name = authority.getAuthority();
            if (!(authority instanceof FactorGrantedAuthority) && !name.startsWith("FACTOR_")) {
                continue;
            }
            factors.add(name);
            switch (name) {
                case FactorGrantedAuthority.PASSWORD_AUTHORITY -> values.add("pwd");
                case FactorGrantedAuthority.X509_AUTHORITY -> values.add("swk");
                case FactorGrantedAuthority.WEBAUTHN_AUTHORITY -> values.add("hwk");
                case SecondFactor.TOTP_AUTHORITY, SecondFactor.RECOVERY_CODE_AUTHORITY -> values.add("otp");
                default -> { }
            }
        }
        if (factors.size() >= 2) {
            values.add("mfa");
        }
        return new ArrayList<>(values);
    }

    public static String acr(Collection<? extends GrantedAuthority> authorities) {
        return amr(authorities).contains("mfa") ? ACR_MFA : ACR_SFA;
    }

    /**
     * Whether an {@code acr_values} request parameter (space-separated, in order of preference) asks for MFA: it
     * names the MFA profile and not the single-factor one (a client that accepts either is not made to step up).
     */
    public static boolean asksForMfa(String acrValues) {
        if (acrValues == null) {
            return false;
        }
        List<String> values = List.of(acrValues.trim().split(" +"));
        return values.contains(ACR_MFA) && !values.contains(ACR_SFA);
    }
}
