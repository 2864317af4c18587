package eu.tessera.server.config;

import eu.tessera.server.login.local.LoginThrottle;
import eu.tessera.server.login.local.ThrottledAuthenticationProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Browser pages: the login form (CSRF-protected, throttled, one generic error), consent and logout.
 * Machine endpoints with their own authentication ({@code /register}) and the SAML assertion consumer (a
 * cross-site POST bound to its request and session) are outside CSRF.
 */
@Configuration(proxyBeanMethods = false)
public class WebSecurityConfig {

    @Bean
    @Order(3)
    SecurityFilterChain webChain(HttpSecurity http, AuthenticationManager authenticationManager,
            eu.tessera.server.login.oidc.OidcProviders oidcProviders,
            eu.tessera.server.login.oidc.OidcLoginHandler oidcLogins,
            eu.tessera.server.login.BrowserSessionGuards guards,
            eu.tessera.server.login.passkey.PasskeyConfig.RelyingParty relyingParty,
            eu.tessera.server.login.passkey.PasskeyLogin passkeyLogin) throws Exception {
        if (oidcProviders.any()) {
            // login at external OpenID providers: /oauth2/authorization/{name} -> /login/oauth2/code/{name}
            var resolver = new org.springframework.security.oauth2.client.web
                    .DefaultOAuth2AuthorizationRequestResolver(oidcProviders, "/oauth2/authorization");
            http.oauth2Login(oauth -> oauth.loginPage("/login").clientRegistrationRepository(oidcProviders)
                    .authorizationEndpoint(endpoint -> endpoint.authorizationRequestResolver(
                            new eu.tessera.server.login.oidc.UnavailableProviderTolerantResolver(resolver,
                                    name -> oidcProviders.provider(name).map(p -> p.requestMfa()).orElse(false))))
                    .successHandler(oidcLogins).failureHandler(oidcLogins));
        }
        http.authorizeHttpRequests(authorize -> authorize
                        .requestMatchers("/login", "/error", "/css/**", "/js/**", "/favicon.ico", "/actuator/health",
                                "/actuator/health/**", "/device", AuthorizationServerConfig.REGISTER,
                                AuthorizationServerConfig.REGISTER + "/**", "/registration", "/registration/**",
                                "/reset-password", "/forgot-password", "/login/x509", "/login/external",
                                "/oauth2/authorization/*", "/saml/metadata", "/saml/discovery", "/saml/discovery/search",
                                "/saml/login", "/saml/acs", "/saml/acs/complete", "/voms/vomses", "/voms/lsc",
                                "/account/email/confirm")
                        .permitAll()
                        // readers (INDIGO IAM's ROLE_READER) see the administration pages; only admins change
                        .requestMatchers(org.springframework.http.HttpMethod.GET, "/admin", "/admin/**")
                        .hasAnyRole("ADMIN", "READER")
                        .requestMatchers("/admin", "/admin/**").hasRole("ADMIN")
                        .anyRequest().authenticated())
                .authenticationManager(authenticationManager)
                .formLogin(form -> form.loginPage("/login").failureUrl("/login?error"))
                .logout(logout -> logout.logoutSuccessUrl("/login?logout"))
                // the SAML Response is a cross-site POST by design; it is bound to its request and the session instead
                .csrf(csrf -> csrf.ignoringRequestMatchers(AuthorizationServerConfig.REGISTER,
                        AuthorizationServerConfig.REGISTER + "/**", "/saml/acs"))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(
                        "default-src 'self'; frame-ancestors 'none'; form-action 'self' http: https:")));
        // a suspended or removed account, or one that lost the admin role, loses its sessions; a second factor
        // comes before any page when the account has or needs one; the AUP before authorizations
        guards.pages(http);
        // passkeys: registration from /account/mfa, login (first or second factor) at /login/webauthn
        eu.tessera.server.login.passkey.PasskeyConfig.apply(http, relyingParty, passkeyLogin);
        return http.build();
    }

    @Bean
    AuthenticationManager authenticationManager(UserDetailsService users, PasswordEncoder encoder,
            LoginThrottle throttle,
            org.springframework.context.ApplicationEventPublisher events) {
        DaoAuthenticationProvider dao = new DaoAuthenticationProvider(users);
        dao.setPasswordEncoder(encoder);
        // the code of an external OpenID provider (ID token checked against its JWKS, iss, aud, exp, nonce)
        var oidc = new org.springframework.security.oauth2.client.oidc.authentication
                .OidcAuthorizationCodeAuthenticationProvider(new org.springframework.security.oauth2.client.endpoint
                .RestClientAuthorizationCodeTokenResponseClient(), new org.springframework.security.oauth2.client
                .oidc.userinfo.OidcUserService());
        ProviderManager manager = new ProviderManager(new ThrottledAuthenticationProvider(dao, throttle), oidc);
        // login successes and failures reach the audit log
        manager.setAuthenticationEventPublisher(
                new org.springframework.security.authentication.DefaultAuthenticationEventPublisher(events));
        return manager;
    }
}
