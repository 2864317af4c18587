package eu.tessera.server.oauth2.client;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.PkceParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * A public client (token endpoint auth method {@code none}) that names itself without a secret where Spring's own
 * converters do not accept it: the device authorization request and the device-code grant (RFC 8628 section 3.1,
 * "public clients"), the refresh grant (RFC 6749 section 6; RFC 9700 section 4.14.2 allows refresh tokens for
 * public clients when they rotate with reuse detection, as Tessera's do), and any of these or a PKCE code
 * redemption sent with HTTP Basic and an empty password, as oidc-agent does ({@code Basic base64("id:")}: Spring's
 * Basic converter refuses an empty secret). The client is named by {@code client_id} or by the Basic user; both
 * must agree. A request with a secret or an assertion is left to the other converters.
 */
public final class PublicClientGrantAuthenticationConverter implements AuthenticationConverter {

    private final String deviceAuthorizationPath;

    public PublicClientGrantAuthenticationConverter(String deviceAuthorizationPath) {
        this.deviceAuthorizationPath = deviceAuthorizationPath;
    }

    @Override
    public Authentication convert(HttpServletRequest request) {
        if (!"POST".equals(request.getMethod()) || hasText(request.getParameter("client_secret"))
                || request.getParameter("client_assertion") != null) {
            return null;
        }
        String basicId = null;
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null) {
            basicId = emptyPasswordBasicUser(authorization);
            if (basicId == null) {
                return null;   // a real secret, or another scheme: not ours
            }
        }
        String grantType = request.getParameter("grant_type");
        boolean pkce = request.getParameter(PkceParameterNames.CODE_VERIFIER) != null;
        boolean applies = request.getRequestURI().endsWith(deviceAuthorizationPath)
                || AuthorizationGrantType.DEVICE_CODE.getValue().equals(grantType)
                || AuthorizationGrantType.REFRESH_TOKEN.getValue().equals(grantType)
                || basicId != null && AuthorizationGrantType.AUTHORIZATION_CODE.getValue().equals(grantType) && pkce;
        if (!applies) {
            return null;
        }
        String[] bodyIds = request.getParameterValues("client_id");
        if (bodyIds != null && (bodyIds.length != 1 || bodyIds[0].isBlank())) {
            throw invalid("client_id: exactly one");   // client_id (REQUIRED for a public client, once)
        }
        String bodyId = bodyIds == null ? null : bodyIds[0];
        if (basicId != null && bodyId != null && !basicId.equals(bodyId)) {
            throw invalid("client_id and the Basic user name differ");
        }
        String clientId = basicId != null ? basicId : bodyId;
        if (clientId == null) {
            return null;
        }
        Map<String, Object> additional = pkce ? Map.of(PkceParameterNames.CODE_VERIFIER,
                request.getParameter(PkceParameterNames.CODE_VERIFIER)) : Map.of();
        return new OAuth2ClientAuthenticationToken(clientId, ClientAuthenticationMethod.NONE, null, additional);
    }

    /** The user of {@code Basic base64(urlencode(id) ":")}, or null when the password is not empty. */
    static String emptyPasswordBasicUser(String authorization) {
        if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid("the Basic credentials are not base64");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0 || colon != decoded.length() - 1) {
            return null;
        }
        return URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
    }

    private static boolean hasText(String value) {
        return value != null && !value.isEmpty();
    }

    private static OAuth2AuthenticationException invalid(String description) {
        return new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST, description,
                null));
    }
}
