package eu.tessera.server.config;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import eu.tessera.server.account.AccountStatusCache;
import eu.tessera.server.keys.SigningKeyService;
import eu.tessera.server.oauth2.authorization.JpaAuthorizationService;
import eu.tessera.server.oauth2.client.JpaRegisteredClientRepository;
import eu.tessera.server.oauth2.device.DeviceAuthorizationRequestAuthenticationProvider;
import eu.tessera.server.login.local.LoginThrottle;
import eu.tessera.server.oauth2.device.DeviceCodeEntryThrottle;
import eu.tessera.server.oauth2.device.DeviceCodeAuthenticationProvider;
import eu.tessera.server.oauth2.exchange.ExchangePolicyService;
import eu.tessera.server.oauth2.exchange.TokenExchangeAuthenticationProvider;
import eu.tessera.server.oauth2.exchange.TokenExchangeRequestConverter;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2TokenExchangeAuthenticationConverter;
import eu.tessera.server.oauth2.device.DeviceVerificationErrorHandler;
import eu.tessera.server.oauth2.device.DeviceVerificationController;
import eu.tessera.server.oauth2.scope.ClientScopeValidator;
import eu.tessera.server.oauth2.scope.ScopePolicyAuthorizationRequestConverter;
import eu.tessera.server.oauth2.scope.ScopePolicyService;
import eu.tessera.server.oauth2.token.AccessTokenVerifier;
import eu.tessera.server.oauth2.token.OfflineAccessRefreshTokenGenerator;
import eu.tessera.server.oauth2.token.RefreshTokenAuthenticationProvider;
import eu.tessera.server.oauth2.token.RsaJwsEncoder;
import eu.tessera.server.oauth2.token.ScopeOrderingAuthorizationRequestConverter;
import eu.tessera.server.oauth2.token.TesseraUserInfoMapper;
import eu.tessera.server.oauth2.token.TokenMetrics;
import eu.tessera.server.oauth2.token.TokenIntrospectionAuthenticationProvider;
import eu.tessera.server.web.OAuth2ErrorStatusHandler;
import eu.tessera.server.oauth2.token.WlcgAccessTokenCustomizer;
import eu.tessera.server.web.ParameterLimitFilter;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceCodeAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2RefreshTokenAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeAuthenticationProvider;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationSuccessHandler;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.context.request.async.WebAsyncManagerIntegrationFilter;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;

/**
 * The OAuth 2.0 / OpenID Connect endpoints, on Spring Authorization Server extended through its hooks:
 * our client store, authorization store, token customizer and scope validators (CONVENTIONS.md "Protocol code").
 */
@Configuration(proxyBeanMethods = false)
public class AuthorizationServerConfig {

    /** Endpoint paths: short ones, as INDIGO IAM's clients know them. */
    public static final String AUTHORIZE = "/authorize";
    public static final String TOKEN = "/token";
    public static final String DEVICE_AUTHORIZATION = "/devicecode";
    public static final String INTROSPECT = "/introspect";
    public static final String REVOKE = "/revoke";
    public static final String USERINFO = "/userinfo";
    private static final java.util.Set<String> CLIENT_AUTHENTICATED = java.util.Set.of(TOKEN, DEVICE_AUTHORIZATION,
            INTROSPECT, REVOKE);
    public static final String JWKS = "/jwk";
    public static final String REGISTER = "/register";

    @Bean
    @Order(1)
    SecurityFilterChain authorizationServerChain(HttpSecurity http, JpaRegisteredClientRepository clients,
            OAuth2AuthorizationService authorizations, OAuth2AuthorizationConsentService consents,
            OAuth2TokenGenerator<?> tokenGenerator, ClientScopeValidator scopeValidator,
            TesseraUserInfoMapper userInfoMapper, AccessTokenVerifier accessTokens, AccountStatusCache accounts,
            ScopePolicyService scopePolicies, JpaAuthorizationService authorizationStore, java.time.Clock clock,
            LoginThrottle loginThrottle, ExchangePolicyService exchangePolicies,
            TesseraProperties properties, eu.tessera.server.audit.AuditLog audit,
            eu.tessera.server.login.BrowserSessionGuards guards, TokenMetrics tokenMetrics,
            eu.tessera.server.group.CapabilitySets capabilitySets) throws Exception {
        String issuer = properties.baseUrl();
        TokenIntrospectionAuthenticationProvider introspection = new TokenIntrospectionAuthenticationProvider(
                accessTokens, authorizations, clients, accounts, properties, clock);
        http.oauth2AuthorizationServer(as -> {
            as.registeredClientRepository(clients)
                    .authorizationService(authorizations)
                    .authorizationConsentService(consents)
                    .tokenGenerator(tokenGenerator)
                    // RFC 6749 section 2.3: one client authentication method per request
                    .clientAuthentication(authentication -> authentication
                            .authenticationConverters(converters -> {
                                converters.add(0, new eu.tessera.server.oauth2.client
                                        .SingleAuthenticationMethodConverter());
                                // public clients: device flow and refresh with client_id alone (RFC 8628, 9700), and
                                // Basic with an empty password (oidc-agent), before Spring's Basic converter refuses it
                                converters.add(1, new eu.tessera.server.oauth2.client
                                        .PublicClientGrantAuthenticationConverter(DEVICE_AUTHORIZATION));
                            })
                            .authenticationProviders(providers -> providers.add(0, new eu.tessera.server.oauth2
                                    .client.PublicClientGrantAuthenticationProvider(clients))))
                    .authorizationEndpoint(endpoint -> endpoint
                            .consentPage("/oauth2/consent")
                            .authorizationRequestConverters(converters -> {
                                List<org.springframework.security.web.authentication.AuthenticationConverter> copy =
                                        List.copyOf(converters);
                                converters.clear();
                                copy.forEach(c -> converters.add(new ScopePolicyAuthorizationRequestConverter(
                                        new ScopeOrderingAuthorizationRequestConverter(c), scopePolicies)));
                            })
                            .authenticationProviders(providers -> providers.forEach(provider -> {
                                if (provider instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider p) {
                                    p.setAuthenticationValidator(
                                            OAuth2AuthorizationCodeRequestAuthenticationValidator.DEFAULT_REDIRECT_URI_VALIDATOR
                                                    .andThen(scopeValidator::validate));
                                }
                            })))
                    .tokenEndpoint(endpoint -> endpoint
                            .accessTokenResponseHandler(tokenMetrics)
                            .errorResponseHandler(tokenMetrics)
                            .accessTokenRequestConverters(converters -> converters.replaceAll(converter ->
                                    converter instanceof OAuth2TokenExchangeAuthenticationConverter
                                            ? new TokenExchangeRequestConverter(converter) : converter))
                            // one consumer: a second call to authenticationProviders replaces the first
                            .authenticationProviders(providers -> {
                                // Spring's exchange bounds scopes by the client only: ours by the subject token
                                providers.replaceAll(provider -> provider instanceof
                                        OAuth2TokenExchangeAuthenticationProvider
                                        ? new TokenExchangeAuthenticationProvider(accessTokens, clients, accounts,
                                                authorizations, tokenGenerator, exchangePolicies) : provider);
                                providers.replaceAll(provider -> {
                                if (provider instanceof OAuth2ClientCredentialsAuthenticationProvider p) {
                                    p.setAuthenticationValidator(scopeValidator::validate);
                                }
                                if (provider instanceof OAuth2RefreshTokenAuthenticationProvider) {
                                    return new RefreshTokenAuthenticationProvider(authorizationStore, tokenGenerator);
                                }
                                if (provider instanceof org.springframework.security.oauth2.server.authorization
                                        .authentication.OAuth2AuthorizationCodeAuthenticationProvider) {
                                    return new eu.tessera.server.oauth2.token.PublicClientRefreshTokens(provider,
                                            authorizations, tokenGenerator);
                                }
                                return provider instanceof OAuth2DeviceCodeAuthenticationProvider
                                        ? new DeviceCodeAuthenticationProvider(authorizationStore, tokenGenerator)
                                        : provider;
                                });
                            }))
                    .deviceAuthorizationEndpoint(endpoint -> endpoint.verificationUri("/device")
                            .authenticationProviders(providers -> {
                                providers.clear();
                                providers.add(new DeviceAuthorizationRequestAuthenticationProvider(authorizations,
                                        clock));
                            }))
                    .deviceVerificationEndpoint(endpoint -> endpoint
                            .consentPage("/oauth2/consent")
                            .deviceVerificationResponseHandler(new SimpleUrlAuthenticationSuccessHandler(
                                    "/device?approved"))
                            .deviceVerificationRequestConverters(converters -> {
                                List<org.springframework.security.web.authentication.AuthenticationConverter> copy =
                                        List.copyOf(converters);
                                converters.clear();
                                copy.forEach(c -> converters.add(new DeviceCodeEntryThrottle(c, loginThrottle)));
                            })
                            .errorResponseHandler(new DeviceVerificationErrorHandler(loginThrottle)))
                    .tokenIntrospectionEndpoint(endpoint -> endpoint
                            .authenticationProviders(providers -> {
                                providers.clear();
                                providers.add(introspection);
                            })
                            .errorResponseHandler(new OAuth2ErrorStatusHandler()))
                    .tokenRevocationEndpoint(endpoint -> endpoint.revocationResponseHandler(
                            (request, response, authentication) -> {
                                // audited without the token: who revoked, and the hint they gave
                                Object client = authentication instanceof
                                        org.springframework.security.oauth2.server.authorization.authentication
                                                .OAuth2TokenRevocationAuthenticationToken revocation
                                        ? revocation.getPrincipal() : null;
                                String clientId = client instanceof org.springframework.security.core.Authentication a
                                        ? a.getName() : "unknown";
                                audit.record("token.revoked", clientId, null, java.util.Map.of("hint",
                                        String.valueOf(request.getParameter("token_type_hint"))));
                                response.setStatus(200);
                            }))
                    .authorizationServerMetadataEndpoint(metadata -> metadata.authorizationServerMetadataCustomizer(
                            builder -> builder.clientRegistrationEndpoint(issuer + REGISTER)
                                    .claims(claims -> eu.tessera.server.oauth2.DiscoveryMetadata.apply(claims,
                                            capabilitySets.groupPaths()))))
                    .oidc(oidc -> oidc
                            .providerConfigurationEndpoint(config -> config.providerConfigurationCustomizer(
                                    builder -> builder.clientRegistrationEndpoint(issuer + REGISTER)
                                            .claim("claims_supported", List.of("sub", "iss", "aud", "exp", "iat",
                                                    "nbf", "jti", "scope", "client_id", "wlcg.ver", "wlcg.groups",
                                                    "eduperson_entitlement", "groups", "preferred_username", "name",
                                                    "given_name", "family_name", "email", "acr", "amr", "auth_time"))
                                            .claims(claims -> eu.tessera.server.oauth2.DiscoveryMetadata.apply(claims,
                                            capabilitySets.groupPaths()))))
                            .userInfoEndpoint(userInfo -> userInfo.userInfoMapper(userInfoMapper)));
        });
        // only a browser (Accept: text/html, not */*) is sent to the login page; machines get 401
        MediaTypeRequestMatcher browsers = new MediaTypeRequestMatcher(MediaType.TEXT_HTML);
        browsers.setIgnoredMediaTypes(java.util.Set.of(MediaType.ALL));
        http.securityMatcher(http.getConfigurer(
                org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization
                        .OAuth2AuthorizationServerConfigurer.class).getEndpointsMatcher())
                .authorizeHttpRequests(authorize -> authorize.anyRequest().authenticated())
                .addFilterBefore(new ParameterLimitFilter(), WebAsyncManagerIntegrationFilter.class)
                .oauth2ResourceServer(resource -> resource.jwt(jwt -> { }))
                .exceptionHandling(exceptions -> exceptions
                        .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"), browsers)
                        // the client-authenticated endpoints without client authentication: RFC 6749 section
                        // 5.2 invalid_client with a body, not a bare 401
                        .defaultAuthenticationEntryPointFor((request, response, e) -> {
                            response.setStatus(HttpStatus.UNAUTHORIZED.value());
                            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
                            response.setHeader("Cache-Control", "no-store");
                            response.getWriter().write("{\"error\":\"invalid_client\",\"error_description\":"
                                    + "\"this endpoint needs client authentication\"}");
                        }, request -> CLIENT_AUTHENTICATED.contains(request.getServletPath()))
                        .defaultAuthenticationEntryPointFor(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED),
                                request -> true));
        // authorize, consent and device verification: the session's account still usable, its second factor given,
        // the AUP signed
        guards.authorizationPages(http);
        return http.build();
    }

    /** Names the filter-served protocol endpoints in the request metrics (otherwise all {@code UNKNOWN}). */
    @Bean
    eu.tessera.server.oauth2.EndpointObservationConvention endpointObservationConvention() {
        return new eu.tessera.server.oauth2.EndpointObservationConvention(java.util.Set.of(AUTHORIZE, TOKEN,
                DEVICE_AUTHORIZATION, JWKS, REGISTER, INTROSPECT, REVOKE, USERINFO, "/connect/logout",
                "/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"));
    }

    @Bean
    TokenMetrics tokenMetrics(org.springframework.beans.factory.ObjectProvider<io.micrometer.core.instrument
            .MeterRegistry> meters) {
        return new TokenMetrics(meters.getIfAvailable());
    }

    /** Counts failed client authentications at the token endpoint: before Spring Security's chain (order -100). */
    @Bean
    org.springframework.boot.web.servlet.FilterRegistrationBean<?> tokenClientAuthenticationMetrics(
            TokenMetrics metrics) {
        var registration = new org.springframework.boot.web.servlet.FilterRegistrationBean<>(
                metrics.clientAuthenticationFailures());
        registration.addUrlPatterns(TOKEN);
        registration.setOrder(org.springframework.core.Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(TesseraProperties properties) {
        return AuthorizationServerSettings.builder()
                .issuer(properties.issuer())
                .authorizationEndpoint(AUTHORIZE)
                .tokenEndpoint(TOKEN)
                .jwkSetEndpoint(JWKS)
                .tokenRevocationEndpoint(REVOKE)
                .tokenIntrospectionEndpoint(INTROSPECT)
                .oidcUserInfoEndpoint(USERINFO)
                .oidcLogoutEndpoint("/connect/logout")
                .deviceAuthorizationEndpoint(DEVICE_AUTHORIZATION)
                .deviceVerificationEndpoint(DeviceVerificationController.VERIFY)
                .oidcClientRegistrationEndpoint("/connect/register")
                .build();
    }

    /**
     * Every published key (active, next, previous) and the public keys of {@code tessera.keys.additional-jwks} (the
     * old service's, after a move): the JWKS endpoint's source.
     */
    @Bean
    JWKSource<SecurityContext> jwkSource(SigningKeyService keys, TesseraProperties properties) {
        List<JWK> additional = eu.tessera.server.keys.AdditionalKeys.load(properties.keys().additionalJwks());
        return (selector, context) -> {
            List<JWK> published = new java.util.ArrayList<>(keys.keySet().published());
            published.addAll(additional);
            return selector.select(new JWKSet(published));
        };
    }

    @Bean
    OAuth2TokenGenerator<?> tokenGenerator(SigningKeyService keys, WlcgAccessTokenCustomizer customizer,
            java.time.Clock clock) {
        // only the active key signs; the JWKS also publishes the next and previous keys
        JwtGenerator jwtGenerator = new JwtGenerator(new RsaJwsEncoder(() -> keys.keySet().active()));
        jwtGenerator.setJwtCustomizer(customizer);
        jwtGenerator.setClock(clock);
        return new DelegatingOAuth2TokenGenerator(jwtGenerator, new OfflineAccessRefreshTokenGenerator());
    }

    /** Bearer tokens presented to our own endpoints (userinfo) are validated like every access token. */
    @Bean
    JwtDecoder jwtDecoder(AccessTokenVerifier verifier) {
        return token -> verifier.verify(token)
                .map(verified -> Jwt.withTokenValue(token)
                        .header("typ", "at+jwt")
                        .claims(claims -> claims.putAll(verified.claims()))
                        .build())
                .orElseThrow(() -> new BadJwtException("invalid token"));
    }
}
