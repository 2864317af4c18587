package eu.tessera.server.oauth2.client;

import java.util.Set;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates, updates and deletes clients; secrets are generated here, returned once and stored hashed. */
@Service
public class ClientService {

    /** A created client with its secret in clear (shown once) and its registration access token. */
    public record Created(OAuthClient client, String secret, String registrationToken) {
    }

    private final OAuthClientRepository clients;
    private final org.springframework.jdbc.core.JdbcTemplate jdbc;
    private final JpaRegisteredClientRepository registered;
    private final Clock clock;

    public ClientService(OAuthClientRepository clients, JpaRegisteredClientRepository registered, Clock clock,
            org.springframework.jdbc.core.JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.clients = clients;
        this.registered = registered;
        this.clock = clock;
    }

    @Transactional
    public Created create(ClientSpec spec) {
        String clientId = spec.clientId() != null ? spec.clientId() : UUID.randomUUID().toString();
        OAuthClient client = new OAuthClient(clientId, spec.clientName() == null ? clientId : spec.clientName(),
                clock.instant());
        String secret = null;
        if (!spec.publicClient()) {
            secret = spec.secret() != null ? spec.secret() : ClientSecrets.generate();
            client.setSecretHash(ClientSecrets.storedHash(secret));
        }
        String registrationToken = ClientSecrets.generate();
        client.setRegistrationTokenHash(ClientSecrets.sha256(registrationToken));
        apply(client, spec);
        clients.save(client);
        return new Created(client, secret, registrationToken);
    }

    /** Replaces the client's metadata (RFC 7592 section 2.2); id and secret stay. */
    @Transactional
    public OAuthClient update(OAuthClient client, ClientSpec spec) {
        apply(client, spec);
        OAuthClient saved = clients.save(client);
        registered.evict(saved);
        return saved;
    }

    /** A new secret for a confidential client, shown once; the old one stops working at once on this instance. */
    @Transactional
    public String rotateSecret(OAuthClient client) {
        String secret = ClientSecrets.generate();
        client.setSecretHash(ClientSecrets.storedHash(secret));
        registered.evict(clients.save(client));
        return secret;
    }

    /** Enables or disables a client; a disabled one gets no tokens (this instance at once, others within the cache TTL). */
    @Transactional
    public OAuthClient setActive(OAuthClient client, boolean active, String actor) {
        client.changeStatus(active, actor, clock.instant());
        OAuthClient saved = clients.save(client);
        registered.evict(saved);
        return saved;
    }

    /** Requires PKCE of a confidential client, or stops requiring it (public clients always need it). */
    @Transactional
    public OAuthClient setRequirePkce(OAuthClient client, boolean required) {
        client.setRequirePkce(required);
        OAuthClient saved = clients.save(client);
        registered.evict(saved);
        return saved;
    }

    /** Sets the description, contacts and owner (null: none) that client management shows. */
    @Transactional
    public OAuthClient describe(OAuthClient client, String description, Set<String> contacts) {
        client.setClientDescription(description);
        client.setContacts(contacts);
        return clients.save(client);
    }

    @Transactional
    public OAuthClient setOwner(OAuthClient client, String accountId) {
        client.setOwnerAccountId(accountId);
        return clients.save(client);
    }

    /** A page of clients and how many match. */
    public record Page(int total, java.util.List<OAuthClient> clients) {
    }

    /** Clients ordered by client id whose id or name contains {@code search} (null: all), from {@code offset}. */
    @Transactional(readOnly = true)
    public Page page(String search, int offset, int count) {
        String like = "%" + (search == null ? "" : search.strip().toLowerCase(java.util.Locale.ROOT)
                .replace("%", "").replace("_", "")) + "%";
        Integer total = jdbc.queryForObject("select count(*) from oauth_client where lower(client_id) like ? or "
                + "lower(client_name) like ?", Integer.class, like, like);
        java.util.List<OAuthClient> page = jdbc.queryForList("select client_id from oauth_client where "
                + "lower(client_id) like ? or lower(client_name) like ? order by client_id limit ? offset ?",
                String.class, like, like, count, offset).stream()
                .map(clients::findByClientId).flatMap(java.util.Optional::stream).toList();
        return new Page(total, page);
    }

    /** Sets a client's own token lifetimes (admin pages); they apply at once on this instance. */
    @Transactional
    public OAuthClient setLifetimes(OAuthClient client, TokenLifetimes lifetimes) {
        client.setLifetimes(lifetimes);
        OAuthClient saved = clients.save(client);
        registered.evict(saved);
        return saved;
    }

    @Transactional
    public void delete(OAuthClient client) {
        clients.delete(client);
        registered.evict(client);
    }

    @Transactional(readOnly = true)
    public Optional<OAuthClient> findByClientId(String clientId) {
        return clients.findByClientId(clientId);
    }

    private static void apply(OAuthClient client, ClientSpec spec) {
        if (spec.clientName() != null) {
            client.setClientName(spec.clientName());
        }
        client.setAuthMethods(spec.authMethods());
        client.setGrantTypes(spec.grantTypes());
        client.setRedirectUris(spec.redirectUris());
        client.setPostLogoutRedirectUris(spec.postLogoutRedirectUris());
        client.setScopes(spec.scopes());
        client.setTokenProfile(spec.profile());
        client.setRequireConsent(spec.requireConsent());
        client.setDynamicallyRegistered(spec.dynamicallyRegistered());
        client.setLifetimes(spec.lifetimes());
    }
}
