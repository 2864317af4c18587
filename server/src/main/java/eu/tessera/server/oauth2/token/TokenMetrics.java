package eu.tessera.server.oauth2.token;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AccessTokenResponseAuthenticationSuccessHandler;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2ErrorAuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Counts the token endpoint's answers for Prometheus: {@code tessera.tokens.issued} by grant and client, and
 * {@code tessera.tokens.errors} by grant and RFC 6749 error code (5.2; RFC 8628 3.5 for the device grant's
 * {@code authorization_pending} and {@code slow_down}). Success and grant errors are counted where Spring's token
 * endpoint answers (its handlers, wrapped); a failed client authentication (401 {@code invalid_client}, answered
 * before the endpoint) by {@link #clientAuthenticationFailures()}. Tags are bounded: grants and error codes to the
 * known ones (others count as {@code other}), clients to the first {@value #MAX_CLIENTS} seen by an instance.
 */
public final class TokenMetrics implements AuthenticationSuccessHandler, AuthenticationFailureHandler {

    public static final String ISSUED = "tessera.tokens.issued";
    public static final String ERRORS = "tessera.tokens.errors";
    static final int MAX_CLIENTS = 1000;

    private static final Map<String, String> GRANTS = Map.of("authorization_code", "authorization_code",
            "refresh_token", "refresh_token", "client_credentials", "client_credentials",
            "urn:ietf:params:oauth:grant-type:device_code", "device_code",
            "urn:ietf:params:oauth:grant-type:token-exchange", "token_exchange");
    private static final Set<String> ERROR_CODES = Set.of("invalid_request", "invalid_client", "invalid_grant",
            "unauthorized_client", "unsupported_grant_type", "invalid_scope", "authorization_pending", "slow_down",
            "access_denied", "expired_token", "invalid_target", "invalid_token", "server_error",
            "temporarily_unavailable", "invalid_dpop_proof");

    private final MeterRegistry registry;
    private final AuthenticationSuccessHandler success = new OAuth2AccessTokenResponseAuthenticationSuccessHandler();
    private final AuthenticationFailureHandler failure = new OAuth2ErrorAuthenticationFailureHandler();

    /** @param registry where to count; null counts nothing (metrics off) */
    public TokenMetrics(MeterRegistry registry) {
        this.registry = registry;
        if (registry != null) {
            registry.config().meterFilter(MeterFilter.maximumAllowableTags(ISSUED, "client", MAX_CLIENTS,
                    MeterFilter.deny()));
        }
    }

    static String grant(HttpServletRequest request) {
        String grant = request.getParameter("grant_type");
        return grant == null ? "none" : GRANTS.getOrDefault(grant, "other");
    }

    private void error(HttpServletRequest request, String code) {
        if (registry != null) {
            Counter.builder(ERRORS).description("token requests refused, by grant and OAuth 2.0 error code")
                    .tag("grant", grant(request)).tag("error", ERROR_CODES.contains(code) ? code : "other")
                    .register(registry).increment();
        }
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
            Authentication authentication) throws IOException, ServletException {
        if (registry != null && authentication instanceof OAuth2AccessTokenAuthenticationToken token) {
            Counter.builder(ISSUED).description("access tokens issued, by grant and client")
                    .tag("grant", grant(request)).tag("client", token.getRegisteredClient().getClientId())
                    .register(registry).increment();
        }
        success.onAuthenticationSuccess(request, response, authentication);
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException exception) throws IOException, ServletException {
        error(request, exception instanceof OAuth2AuthenticationException oauth ? oauth.getError().getErrorCode()
                : "other");
        failure.onAuthenticationFailure(request, response, exception);
    }

    /** A filter before Spring Security on {@code /token}: counts the 401 of a failed client authentication. */
    public OncePerRequestFilter clientAuthenticationFailures() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                    FilterChain chain) throws ServletException, IOException {
                chain.doFilter(request, response);
                if (response.getStatus() == HttpServletResponse.SC_UNAUTHORIZED) {
                    error(request, "invalid_client");
                }
            }
        };
    }
}
