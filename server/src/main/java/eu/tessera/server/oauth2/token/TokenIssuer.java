package eu.tessera.server.oauth2.token;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.DefaultOAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

/**
 * The token-minting steps our grant providers share (refresh, device code, token exchange): an access token,
 * a refresh token when the generator gives one ({@code offline_access}), an ID token for {@code openid}, each
 * recorded on the authorization being built.
 */
public final class TokenIssuer {

    /** What one grant issued; {@code additionalParameters} holds the ID token, if any. */
    public record Issued(OAuth2AccessToken accessToken, OAuth2RefreshToken refreshToken,
            Map<String, Object> additionalParameters) {
    }

    private final OAuth2TokenGenerator<? extends OAuth2Token> tokens;

    public TokenIssuer(OAuth2TokenGenerator<? extends OAuth2Token> tokens) {
        this.tokens = tokens;
    }

    /**
     * @param refresh        whether to try a refresh token (the generator still decides by offline_access)
     * @param currentRefresh kept when no new refresh token is generated (may be null)
     * @param idToken        whether to issue an ID token
     */
    public Issued issue(DefaultOAuth2TokenContext.Builder context, OAuth2Authorization.Builder authorization,
            Set<String> scopes, boolean refresh, OAuth2RefreshToken currentRefresh, boolean idToken) {
        OAuth2Token generated = tokens.generate(context.tokenType(OAuth2TokenType.ACCESS_TOKEN).build());
        if (!(generated instanceof Jwt jwt)) {
            throw serverError("access token");
        }
        OAuth2AccessToken accessToken = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER,
                jwt.getTokenValue(), jwt.getIssuedAt(), jwt.getExpiresAt(), scopes);
        authorization.token(accessToken, metadata -> metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME,
                jwt.getClaims()));

        OAuth2RefreshToken refreshToken = currentRefresh;
        if (refresh && tokens.generate(context.tokenType(OAuth2TokenType.REFRESH_TOKEN)
                .authorization(authorization.build()).build()) instanceof OAuth2RefreshToken rotated) {
            refreshToken = rotated;
        }
        if (refreshToken != null) {
            authorization.refreshToken(refreshToken);
        }

        Map<String, Object> additional = new HashMap<>();
        if (idToken) {
            OAuth2Token id = tokens.generate(context.tokenType(new OAuth2TokenType(OidcParameterNames.ID_TOKEN))
                    .authorization(authorization.build()).build());
            if (!(id instanceof Jwt idJwt)) {
                throw serverError("ID token");
            }
            OidcIdToken oidc = new OidcIdToken(idJwt.getTokenValue(), idJwt.getIssuedAt(), idJwt.getExpiresAt(),
                    idJwt.getClaims());
            authorization.token(oidc, metadata -> metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME,
                    oidc.getClaims()));
            additional.put(OidcParameterNames.ID_TOKEN, oidc.getTokenValue());
        }
        return new Issued(accessToken, refreshToken, additional);
    }

    private static OAuth2AuthenticationException serverError(String what) {
        return new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.SERVER_ERROR,
                "could not generate the " + what, null));
    }
}
