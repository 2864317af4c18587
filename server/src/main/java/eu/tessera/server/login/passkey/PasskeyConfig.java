package eu.tessera.server.login.passkey;

import eu.tessera.server.account.AccountStatusCache;
import eu.tessera.server.audit.AuditLog;
import eu.tessera.server.config.TesseraProperties;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.authentication.session.ChangeSessionIdAuthenticationStrategy;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialRpEntity;
import org.springframework.security.web.webauthn.authentication.WebAuthnAuthenticationFilter;
import org.springframework.security.web.webauthn.management.WebAuthnRelyingPartyOperations;
import org.springframework.security.web.webauthn.management.Webauthn4JRelyingPartyOperations;

/**
 * Passkeys on the browser pages' chain: Spring Security's WebAuthn endpoints ({@code /webauthn/register/options},
 * {@code /webauthn/register}, {@code /webauthn/authenticate/options}, {@code /login/webauthn}) with Tessera's stores
 * and its login ({@link PasskeyLogin}); Spring's generated registration page is off ({@code /account/mfa} is it).
 */
@Configuration(proxyBeanMethods = false)
public class PasskeyConfig {

    /** The relying party: its id and the origins assertions may come from. */
    public record RelyingParty(String id, String name, Set<String> origins) {

        static RelyingParty of(TesseraProperties properties) {
            URI issuer = URI.create(properties.baseUrl());
            String configured = properties.mfa().passkeys().rpId();
            Set<String> origins = new LinkedHashSet<>();
            origins.add(issuer.getScheme() + "://" + issuer.getAuthority());
            properties.mfa().passkeys().origins().forEach(o -> origins.add(o.endsWith("/")
                    ? o.substring(0, o.length() - 1) : o));
            return new RelyingParty(configured == null || configured.isBlank() ? issuer.getHost() : configured,
                    properties.organisationName(), Set.copyOf(origins));
        }
    }

    @Bean
    RelyingParty passkeyRelyingParty(TesseraProperties properties) {
        return RelyingParty.of(properties);
    }

    @Bean
    WebAuthnRelyingPartyOperations webAuthnRelyingPartyOperations(PasskeyUsers users, PasskeyCredentials credentials,
            RelyingParty relyingParty) {
        return new Webauthn4JRelyingPartyOperations(users, credentials, PublicKeyCredentialRpEntity.builder()
                .id(relyingParty.id()).name(relyingParty.name()).build(), relyingParty.origins());
    }

    @Bean
    PasskeyLogin passkeyLogin(WebAuthnRelyingPartyOperations operations, PasskeyUsers users,
            AccountStatusCache accounts, AuditLog audit, Clock clock) {
        return new PasskeyLogin(operations, users, accounts, audit, clock);
    }

    /** Adds the passkey endpoints to a chain (the browser pages'). */
    public static void apply(HttpSecurity http, RelyingParty relyingParty, PasskeyLogin login) throws Exception {
        http.webAuthn(webAuthn -> webAuthn.rpId(relyingParty.id()).rpName(relyingParty.name())
                .allowedOrigins(relyingParty.origins()).disableDefaultRegistrationPage(true)
                .creationOptionsRepository(new SessionCreationOptions())
                .withObjectPostProcessor(new ObjectPostProcessor<WebAuthnAuthenticationFilter>() {
                    @Override
                    public <O extends WebAuthnAuthenticationFilter> O postProcess(O filter) {
                        filter.setAuthenticationManager(new ProviderManager(login));
                        filter.setAuthenticationSuccessHandler(login);
                        filter.setAuthenticationFailureHandler(login);
                        filter.setSecurityContextRepository(new HttpSessionSecurityContextRepository());
                        filter.setSessionAuthenticationStrategy(new ChangeSessionIdAuthenticationStrategy());
                        return filter;
                    }
                }));
    }
}
