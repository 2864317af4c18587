package eu.tessera.server.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The JSON admin APIs under {@code /iam/**} and SCIM under {@code /scim/**} ({@code scim:read},
 * {@code scim:write}): bearer access tokens only (no session, no CSRF), with INDIGO
 * IAM's scopes: {@code iam:admin.read} to read, {@code iam:admin.write} to change; {@code /iam/me/**} for any
 * valid token.
 */
@Configuration(proxyBeanMethods = false)
public class ApiSecurityConfig {

    private static final String READ = "SCOPE_iam:admin.read";
    private static final String WRITE = "SCOPE_iam:admin.write";

    /**
     * The VOMS REST endpoint on the main port bypasses Spring Security: it has no session, no login and no browser
     * use, and identifies the client itself from a trusted TLS-terminating proxy's certificate headers
     * ({@code tessera.voms.trusted-proxies}, checked by the endpoint). The filter chain cost more than a tenth of
     * each AC issuance.
     */
    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnProperty(name = "tessera.voms.enabled",
            havingValue = "true")
    org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer vomsRestBypass() {
        return web -> web.ignoring().requestMatchers("/generate-ac");
    }

    @Bean
    @Order(2)
    SecurityFilterChain apiChain(HttpSecurity http) throws Exception {
        http.securityMatcher("/iam/**", "/scim/**", "/actuator/metrics", "/actuator/metrics/**",
                        "/actuator/prometheus")
                .authorizeHttpRequests(authorize -> authorize
                        // metrics (account sync, JVM, HTTP) for monitoring clients with an admin-read token
                        .requestMatchers("/actuator/**").hasAnyAuthority(READ, WRITE)
                        // SCIM 2.0 as INDIGO IAM scopes it
                        .requestMatchers("/scim/Me").authenticated()
                        // VO admins change their VO's groups with their own tokens (checked by the endpoints)
                        .requestMatchers("/scim/Groups", "/scim/Groups/*").authenticated()
                        .requestMatchers(HttpMethod.GET, "/scim/**").hasAnyAuthority("SCOPE_scim:read",
                                "SCOPE_scim:write")
                        .requestMatchers("/scim/**").hasAuthority("SCOPE_scim:write")
                        .requestMatchers(HttpMethod.GET, "/iam/aup").permitAll()
                        .requestMatchers("/iam/me/**").authenticated()
                        // group managers use their own tokens here; the endpoints check who manages what
                        .requestMatchers("/iam/group/*/members", "/iam/group/*/members/*", "/iam/group-requests",
                                "/iam/group-requests/**").authenticated()
                        // and VO admins theirs: the certificates of their VOs' members (checked by the endpoints)
                        .requestMatchers("/iam/account/*/certificates", "/iam/account/*/certificates/*")
                        .authenticated()
                        // and the scope policies of their VOs' groups, within the VO's limits (checked there too)
                        .requestMatchers("/iam/scope_policies", "/iam/scope_policies/*").authenticated()
                        // and the registrations asking to join their VO
                        .requestMatchers("/iam/registrations", "/iam/registrations/**").authenticated()
                        // and the token-exchange policies of their VO
                        .requestMatchers("/iam/api/exchange/policies", "/iam/api/exchange/policies/*")
                        .authenticated()
                        .requestMatchers(HttpMethod.GET, "/iam/**").hasAnyAuthority(READ, WRITE)
                        .anyRequest().hasAuthority(WRITE))
                .oauth2ResourceServer(resource -> resource.jwt(jwt -> { }))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable());
        return http.build();
    }
}
