package eu.tessera.server.login.oidc;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.config.TesseraProperties.Oidc.Provider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.stereotype.Component;

/**
 * The configured external OpenID Connect providers ({@code tessera.oidc.providers}) as Spring Security client
 * registrations. Each provider's endpoints come from its discovery document, fetched at first use (so Tessera starts
 * while a provider is down) and kept; a provider whose discovery fails is unavailable until it answers.
 */
@Component
public class OidcProviders implements ClientRegistrationRepository {

    private static final Logger log = LoggerFactory.getLogger(OidcProviders.class);

    private final Map<String, Provider> providers = new LinkedHashMap<>();
    private final Map<String, ClientRegistration> discovered = new ConcurrentHashMap<>();
    private final String issuer;

    public OidcProviders(TesseraProperties properties) {
        properties.oidc().providers().forEach(provider -> providers.put(provider.name(), provider));
        this.issuer = properties.baseUrl();
    }

    public List<Provider> all() {
        return List.copyOf(providers.values());
    }

    public boolean any() {
        return !providers.isEmpty();
    }

    public Optional<Provider> provider(String name) {
        return Optional.ofNullable(providers.get(name));
    }

    @Override
    public ClientRegistration findByRegistrationId(String registrationId) {
        Provider provider = providers.get(registrationId);
        if (provider == null) {
            return null;
        }
        ClientRegistration registration = discovered.get(registrationId);
        if (registration != null) {
            return registration;
        }
        try {
            registration = ClientRegistrations.fromIssuerLocation(provider.issuer().toString())
                    .registrationId(provider.name())
                    .clientName(provider.displayName() != null ? provider.displayName() : provider.name())
                    .clientId(provider.clientId()).clientSecret(provider.clientSecret())
                    .scope(provider.scopes())
                    .redirectUri(issuer + "/login/oauth2/code/" + provider.name())
                    .build();
        } catch (RuntimeException e) {
            log.warn("OpenID provider {} ({}): discovery failed: {}", provider.name(), provider.issuer(),
                    e.getMessage());
            return null;
        }
        discovered.put(registrationId, registration);
        return registration;
    }
}
