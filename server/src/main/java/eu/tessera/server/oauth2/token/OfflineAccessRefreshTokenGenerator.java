package eu.tessera.server.oauth2.token;

import java.util.Set;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

/**
 * Issues a refresh token only when {@code offline_access} was granted (OpenID Connect Core section 11;
 * DESIGN.md "Tokens": offline_access governs refresh tokens for users), to confidential and public clients alike.
 */
public final class OfflineAccessRefreshTokenGenerator implements OAuth2TokenGenerator<OAuth2RefreshToken> {

    public static final String OFFLINE_ACCESS = "offline_access";

    /** 96 random bytes, base64url: the form of Spring's refresh tokens. */
    private final org.springframework.security.crypto.keygen.StringKeyGenerator keys =
            new org.springframework.security.crypto.keygen.Base64StringKeyGenerator(
                    java.util.Base64.getUrlEncoder().withoutPadding(), 96);

    @Override
    public OAuth2RefreshToken generate(OAuth2TokenContext context) {
        // on a refresh, the family's scopes count, not the (possibly narrowed) scopes of this request
        Set<String> scopes = AuthorizationGrantType.REFRESH_TOKEN.equals(context.getAuthorizationGrantType())
                && context.getAuthorization() != null ? context.getAuthorization().getAuthorizedScopes()
                        : context.getAuthorizedScopes();
        if (!OAuth2TokenType.REFRESH_TOKEN.equals(context.getTokenType()) || !scopes.contains(OFFLINE_ACCESS)) {
            return null;
        }
        // Spring's generator gives public clients none for the code grant; RFC 9700 section 4.14.2 allows them
        // when refresh tokens rotate with reuse detection, as Tessera's do (JpaAuthorizationService)
        java.time.Instant issuedAt = java.time.Instant.now();
        return new OAuth2RefreshToken(keys.generateKey(), issuedAt,
                issuedAt.plus(context.getRegisteredClient().getTokenSettings().getRefreshTokenTimeToLive()));
    }
}
