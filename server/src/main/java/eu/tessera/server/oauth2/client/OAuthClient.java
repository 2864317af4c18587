package eu.tessera.server.oauth2.client;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

/**
 * A registered OAuth client. Multi-valued fields are stored space-separated (their values never contain
 * spaces: RFC 6749 scope tokens, grant type names, URIs). The secret is stored only as a hash.
 */
@Entity
@Table(name = "oauth_client")
public class OAuthClient {

    @Id
    private String id;
    @Column(nullable = false, unique = true)
    private String clientId;
    private String secretHash;
    @Column(nullable = false)
    private String clientName;
    @Column(nullable = false)
    private String authMethods;
    @Column(nullable = false)
    private String grantTypes;
    @Column(nullable = false)
    private String redirectUris;
    @Column(nullable = false)
    private String postLogoutRedirectUris;
    @Column(nullable = false)
    private String scopes;
    @Column(nullable = false)
    private String tokenProfile;
    private int accessTokenTtlSeconds;
    private int refreshTokenTtlSeconds;
    private int idTokenTtlSeconds;
    private int deviceCodeTtlSeconds;
    private boolean requireConsent;
    private String registrationTokenHash;
    private boolean dynamicallyRegistered;
    private String ownerAccountId;
    private String clientDescription;
    private String contacts;
    private Instant statusChangedAt;
    private String statusChangedBy;
    private boolean active;
    private boolean requirePkce;
    @Column(insertable = false, updatable = false)
    private java.time.LocalDate lastUsedOn;
    @Column(nullable = false)
    private Instant createdAt;

    protected OAuthClient() {
    }

    public OAuthClient(String clientId, String clientName, Instant now) {
        this.id = UUID.randomUUID().toString();
        this.clientId = clientId;
        this.clientName = clientName;
        this.authMethods = "client_secret_basic client_secret_post";
        this.grantTypes = "";
        this.redirectUris = "";
        this.postLogoutRedirectUris = "";
        this.scopes = "";
        this.tokenProfile = TokenProfile.WLCG.wireName();
        this.requireConsent = true;
        this.active = true;
        this.createdAt = now;
    }

    static Set<String> split(String value) {
        if (value == null || value.isBlank()) {
            return new LinkedHashSet<>();
        }
        return new LinkedHashSet<>(Arrays.asList(value.trim().split(" +")));
    }

    static String join(Set<String> values) {
        return String.join(" ", values);
    }

    public String getId() {
        return id;
    }

    public String getClientId() {
        return clientId;
    }

    public String getSecretHash() {
        return secretHash;
    }

    public void setSecretHash(String secretHash) {
        this.secretHash = secretHash;
    }

    public String getClientName() {
        return clientName;
    }

    public void setClientName(String clientName) {
        this.clientName = clientName;
    }

    public Set<String> getAuthMethods() {
        return split(authMethods);
    }

    public void setAuthMethods(Set<String> methods) {
        this.authMethods = join(methods);
    }

    public Set<String> getGrantTypes() {
        return split(grantTypes);
    }

    public void setGrantTypes(Set<String> grantTypes) {
        this.grantTypes = join(grantTypes);
    }

    public Set<String> getRedirectUris() {
        return split(redirectUris);
    }

    public void setRedirectUris(Set<String> uris) {
        this.redirectUris = join(uris);
    }

    public Set<String> getPostLogoutRedirectUris() {
        return split(postLogoutRedirectUris);
    }

    public void setPostLogoutRedirectUris(Set<String> uris) {
        this.postLogoutRedirectUris = join(uris);
    }

    public Set<String> getScopes() {
        return split(scopes);
    }

    public void setScopes(Set<String> scopes) {
        this.scopes = join(scopes);
    }

    public TokenProfile getTokenProfile() {
        return TokenProfile.fromWireName(tokenProfile);
    }

    public void setTokenProfile(TokenProfile profile) {
        this.tokenProfile = profile.wireName();
    }

    public int getAccessTokenTtlSeconds() {
        return accessTokenTtlSeconds;
    }

    public int getRefreshTokenTtlSeconds() {
        return refreshTokenTtlSeconds;
    }

    /** The client's own lifetimes (0: the server default). */
    public TokenLifetimes getLifetimes() {
        return new TokenLifetimes(accessTokenTtlSeconds, refreshTokenTtlSeconds, idTokenTtlSeconds,
                deviceCodeTtlSeconds);
    }

    public void setLifetimes(TokenLifetimes lifetimes) {
        this.accessTokenTtlSeconds = lifetimes.accessToken();
        this.refreshTokenTtlSeconds = lifetimes.refreshToken();
        this.idTokenTtlSeconds = lifetimes.idToken();
        this.deviceCodeTtlSeconds = lifetimes.deviceCode();
    }

    public boolean isRequireConsent() {
        return requireConsent;
    }

    public void setRequireConsent(boolean requireConsent) {
        this.requireConsent = requireConsent;
    }

    public String getRegistrationTokenHash() {
        return registrationTokenHash;
    }

    public void setRegistrationTokenHash(String registrationTokenHash) {
        this.registrationTokenHash = registrationTokenHash;
    }

    public boolean isDynamicallyRegistered() {
        return dynamicallyRegistered;
    }

    public void setDynamicallyRegistered(boolean dynamicallyRegistered) {
        this.dynamicallyRegistered = dynamicallyRegistered;
    }

    public boolean isActive() {
        return active;
    }

    public void setActive(boolean active) {
        this.active = active;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    /** The account that registered the client on its self-service page, or null. */
    public String getClientDescription() {
        return clientDescription;
    }

    public void setClientDescription(String clientDescription) {
        this.clientDescription = clientDescription;
    }

    /** Contact emails of the client's operators. */
    public Set<String> getContacts() {
        return contacts == null || contacts.isBlank() ? Set.of()
                : new java.util.LinkedHashSet<>(java.util.Arrays.asList(contacts.split(" ")));
    }

    public void setContacts(Set<String> contacts) {
        this.contacts = contacts == null || contacts.isEmpty() ? null : String.join(" ", contacts);
    }

    public Instant getStatusChangedAt() {
        return statusChangedAt;
    }

    public String getStatusChangedBy() {
        return statusChangedBy;
    }

    /** Enables or disables the client, recording who did it and when. */
    public void changeStatus(boolean active, String actor, Instant now) {
        this.active = active;
        this.statusChangedAt = now;
        this.statusChangedBy = actor;
    }

    /** Whether authorization requests need PKCE; always for public clients. */
    public boolean isRequirePkce() {
        return requirePkce;
    }

    public void setRequirePkce(boolean requirePkce) {
        this.requirePkce = requirePkce;
    }

    /** The last day (UTC) the client got a token, as {@link ClientUsage} writes it; null when never seen. */
    public java.time.LocalDate getLastUsedOn() {
        return lastUsedOn;
    }

    public String getOwnerAccountId() {
        return ownerAccountId;
    }

    public void setOwnerAccountId(String ownerAccountId) {
        this.ownerAccountId = ownerAccountId;
    }
}
