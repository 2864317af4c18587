package eu.tessera.server.oauth2.token;

import eu.tessera.server.account.Account;
import eu.tessera.server.account.AccountRepository;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcUserInfoAuthenticationContext;
import org.springframework.stereotype.Component;

/**
 * UserInfo claims (OpenID Connect Core section 5.3) from the account, by granted scope; the group claim of
 * the profile is taken from the access token, as INDIGO IAM does for WLCG (so userinfo and token agree).
 */
@Component
public class TesseraUserInfoMapper implements Function<OidcUserInfoAuthenticationContext, OidcUserInfo> {

    private static final Set<String> GROUP_CLAIMS = Set.of(WlcgClaimNames.GROUPS, WlcgClaimNames.ENTITLEMENT,
            WlcgClaimNames.IAM_GROUPS);

    private final AccountRepository accounts;
    private final Clock clock;

    public TesseraUserInfoMapper(AccountRepository accounts, Clock clock) {
        this.accounts = accounts;
        this.clock = clock;
    }

    @Override
    public OidcUserInfo apply(OidcUserInfoAuthenticationContext context) {
        OAuth2Authorization authorization = context.getAuthorization();
        Account account = accounts.findById(authorization.getPrincipalName())
                .filter(a -> a.isUsable(clock.instant()))
                .orElseThrow(() -> new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN)));
        OAuth2AccessToken token = context.getAccessToken();
        Set<String> scopes = token.getScopes();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", account.getId());
        if (scopes.contains("profile")) {
            claims.put("preferred_username", account.getUsername());
            claims.put("name", account.getDisplayName());
            putIfPresent(claims, "given_name", account.getGivenName());
            putIfPresent(claims, "family_name", account.getFamilyName());
        }
        if (scopes.contains("email") && account.getEmail() != null) {
            claims.put("email", account.getEmail());
            claims.put("email_verified", true);
        }
        Map<String, Object> tokenClaims = authorization.getAccessToken().getClaims();
        if (tokenClaims != null) {
            tokenClaims.forEach((name, value) -> {
                if (GROUP_CLAIMS.contains(name)) {
                    claims.put(name, value);
                }
            });
        }
        return new OidcUserInfo(claims);
    }

    private static void putIfPresent(Map<String, Object> claims, String name, String value) {
        if (value != null && !value.isBlank()) {
            claims.put(name, value);
        }
    }
}
