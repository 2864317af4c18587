package eu.tessera.server.oauth2.token;

import java.util.Set;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.OAuth2RefreshTokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

/**
 * Issues a refresh token only when {@code offline_access} was granted (OpenID Connect Core section 11;
 * DESIGN.md "Tokens": offline_access governs refresh tokens for users).
 */
public final class OfflineAccessRefreshTokenGenerator implements OAuth2TokenGenerator<OAuth2RefreshToken> {

    public static final String OFFLINE_ACCESS = "offline_access";

    private final OAuth2RefreshTokenGenerator delegate = new OAuth2RefreshTokenGenerator();

    @Override
    public OAuth2RefreshToken generate(OAuth2TokenContext context) {
        // on a refresh, the family's scopes count, not the (possibly narrowed) scopes of this request
        Set<String> scopes = AuthorizationGrantType.REFRESH_TOKEN.equals(context.getAuthorizationGrantType())
                && context.getAuthorization() != null ? context.getAuthorization().getAuthorizedScopes()
                        : context.getAuthorizedScopes();
        if (!OAuth2TokenType.REFRESH_TOKEN.equals(context.getTokenType()) || !scopes.contains(OFFLINE_ACCESS)) {
            return null;
        }
        return delegate.generate(context);
    }
}
