package eu.tessera.server.oauth2.client;

import eu.tessera.server.config.TesseraProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Spring Authorization Server's view of the {@code oauth_client} table. Lookups are cached per instance for
 * {@code tessera.tokens.client-cache-ttl} (a few seconds of staleness), so a token request usually costs no
 * database round trip; local changes evict at once. Inactive clients are not found.
 */
@Component
public class JpaRegisteredClientRepository implements RegisteredClientRepository {

    /** Client setting that carries the token profile ({@code wlcg}, {@code aarc}, {@code iam}). */
    public static final String TOKEN_PROFILE_SETTING = "tessera.token-profile";
    /** The client's ID-token lifetime (a {@link java.time.Duration}) in its token settings. */
    public static final String ID_TOKEN_TTL_SETTING = "tessera.id-token-ttl";

    private record Cached(RegisteredClient client, Instant expiresAt) {
    }

    private final OAuthClientRepository clients;
    private final TesseraProperties properties;
    private final Clock clock;
    private final Map<String, Cached> byClientId = new ConcurrentHashMap<>();
    private final Map<String, Cached> byId = new ConcurrentHashMap<>();

    public JpaRegisteredClientRepository(OAuthClientRepository clients, TesseraProperties properties, Clock clock) {
        this.clients = clients;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    @Transactional
    public void save(RegisteredClient registeredClient) {
        OAuthClient client = clients.findById(registeredClient.getId())
                .orElseGet(() -> new OAuthClient(registeredClient.getClientId(), registeredClient.getClientName(),
                        clock.instant()));
        client.setClientName(registeredClient.getClientName());
        client.setSecretHash(registeredClient.getClientSecret());
        client.setAuthMethods(mapValues(registeredClient.getClientAuthenticationMethods(),
                ClientAuthenticationMethod::getValue));
        client.setGrantTypes(mapValues(registeredClient.getAuthorizationGrantTypes(), AuthorizationGrantType::getValue));
        client.setRedirectUris(registeredClient.getRedirectUris());
        client.setPostLogoutRedirectUris(registeredClient.getPostLogoutRedirectUris());
        client.setScopes(registeredClient.getScopes());
        clients.save(client);
        evict(client);
    }

    private static <T> java.util.Set<String> mapValues(java.util.Set<T> values, Function<T, String> mapper) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        values.forEach(v -> out.add(mapper.apply(v)));
        return out;
    }

    @Override
    public RegisteredClient findById(String id) {
        return cached(byId, id, () -> clients.findById(id));
    }

    @Override
    public RegisteredClient findByClientId(String clientId) {
        return cached(byClientId, clientId, () -> clients.findByClientId(clientId));
    }

    /** Forgets a client at once on this instance (other instances follow within the cache TTL). */
    public void evict(OAuthClient client) {
        byClientId.remove(client.getClientId());
        byId.remove(client.getId());
    }

    private RegisteredClient cached(Map<String, Cached> cache, String key,
            java.util.function.Supplier<java.util.Optional<OAuthClient>> loader) {
        if (key == null) {
            return null;
        }
        Instant now = clock.instant();
        Cached hit = cache.get(key);
        if (hit != null && hit.expiresAt().isAfter(now)) {
            return hit.client();
        }
        RegisteredClient client = loader.get().filter(OAuthClient::isActive).map(this::toRegisteredClient).orElse(null);
        if (client != null) {
            if (cache.size() > 10_000) {
                cache.clear();
            }
            cache.put(key, new Cached(client, now.plus(properties.tokens().clientCacheTtl())));
        }
        return client;
    }

    RegisteredClient toRegisteredClient(OAuthClient client) {
        boolean publicClient = client.getAuthMethods().contains(ClientAuthenticationMethod.NONE.getValue());
        TesseraProperties.Tokens tokens = properties.tokens();
        TokenLifetimes.Effective lifetimes = client.getLifetimes().effective(tokens);
        SignatureAlgorithm algorithm = SignatureAlgorithm.from(properties.keys().algorithm());
        return RegisteredClient.withId(client.getId())
                .clientId(client.getClientId())
                .clientName(client.getClientName())
                .clientSecret(client.getSecretHash())
                .clientIdIssuedAt(client.getCreatedAt())
                .clientAuthenticationMethods(set -> client.getAuthMethods()
                        .forEach(m -> set.add(new ClientAuthenticationMethod(m))))
                .authorizationGrantTypes(set -> client.getGrantTypes()
                        .forEach(g -> set.add(new AuthorizationGrantType(g))))
                .redirectUris(set -> set.addAll(client.getRedirectUris()))
                .postLogoutRedirectUris(set -> set.addAll(client.getPostLogoutRedirectUris()))
                .scopes(set -> set.addAll(client.getScopes()))
                .clientSettings(ClientSettings.builder()
                        .requireProofKey(publicClient || client.isRequirePkce())
                        .requireAuthorizationConsent(client.isRequireConsent())
                        .setting(TOKEN_PROFILE_SETTING, client.getTokenProfile().wireName())
                        .build())
                .tokenSettings(TokenSettings.builder()
                        .accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
                        .accessTokenTimeToLive(lifetimes.accessToken())
                        .refreshTokenTimeToLive(lifetimes.refreshToken())
                        .reuseRefreshTokens(false)
                        .authorizationCodeTimeToLive(tokens.authorizationCodeTtl())
                        .deviceCodeTimeToLive(lifetimes.deviceCode())
                        .setting(ID_TOKEN_TTL_SETTING, lifetimes.idToken())
                        .idTokenSignatureAlgorithm(algorithm)
                        .build())
                .build();
    }

}
