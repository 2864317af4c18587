package eu.tessera.server.oauth2.authorization;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.oauth2.client.ClientSecrets;
import eu.tessera.server.oauth2.token.AccessTokenVerifier;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.core.OAuth2DeviceCode;
import org.springframework.security.oauth2.core.OAuth2UserCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Spring Authorization Server's authorization store, built for DESIGN.md "Tokens":
 * <ul>
 * <li>an access token alone (client credentials) is never written: issuing it touches no table;</li>
 * <li>an access token presented later is validated, not looked up: signature, expiry and deny-list;</li>
 * <li>codes, state, ID tokens and refresh tokens are stored as SHA-256 hashes;</li>
 * <li>refresh tokens rotate; a rotated token still works within the grace period, and reuse after it revokes
 * the whole family and the last access token (RFC 9700 section 4.14.2).</li>
 * </ul>
 */
@Service
public class JpaAuthorizationService implements OAuth2AuthorizationService {

    private static final Logger log = LoggerFactory.getLogger(JpaAuthorizationService.class);
    /** Marks a token object whose value is not stored; the suffix is the stored hash (or jti). */
    private static final String STORED = "\u0000stored:";
    /** Id prefix of an authorization rebuilt from a presented JWT access token. */
    private static final String FROM_JWT = "jwt:";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AuthorizationRecordRepository authorizations;
    private final RefreshTokenRecordRepository refreshTokens;
    private final RevocationList revocations;
    private final RegisteredClientRepository clients;
    private final AccessTokenVerifier accessTokens;
    private final TesseraProperties properties;
    private final Clock clock;
    private final TransactionTemplate transactions;

    public JpaAuthorizationService(AuthorizationRecordRepository authorizations,
            RefreshTokenRecordRepository refreshTokens, RevocationList revocations,
            RegisteredClientRepository clients, AccessTokenVerifier accessTokens, TesseraProperties properties,
            Clock clock, PlatformTransactionManager transactionManager) {
        this.transactions = new TransactionTemplate(transactionManager);
        this.authorizations = authorizations;
        this.refreshTokens = refreshTokens;
        this.revocations = revocations;
        this.clients = clients;
        this.accessTokens = accessTokens;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Not transactional itself: the access-token-only path (every client-credentials token) must not even
     * open a database transaction; everything else is written in one.
     */
    @Override
    public void save(OAuth2Authorization authorization) {
        OAuth2Authorization.Token<OAuth2AccessToken> access = authorization.getAccessToken();
        boolean accessOnly = authorization.getId().startsWith(FROM_JWT)
                || AuthorizationGrantType.CLIENT_CREDENTIALS.equals(authorization.getAuthorizationGrantType());
        if (accessOnly) {
            // client credentials, or a token validated from its JWT: nothing to store but a revocation
            if (access != null && access.isInvalidated()) {
                revocations.revoke(jti(access), access.getToken().getExpiresAt());
            }
            return;
        }
        transactions.executeWithoutResult(status -> persist(authorization, access));
    }

    private void persist(OAuth2Authorization authorization, OAuth2Authorization.Token<OAuth2AccessToken> access) {
        Instant now = clock.instant();
        Optional<AuthorizationRecord> existing = authorizations.findById(authorization.getId());
        AuthorizationRecord record = existing.orElseGet(() -> new AuthorizationRecord(authorization.getId(), now));
        record.clientId = authorization.getRegisteredClientId();
        record.principalName = authorization.getPrincipalName();
        record.grantType = authorization.getAuthorizationGrantType().getValue();
        record.authorizedScopes = String.join(" ", authorization.getAuthorizedScopes());
        record.attributes = AuthorizationAttributes.write(authorization.getAttributes());
        String state = authorization.getAttribute(OAuth2ParameterNames.STATE);
        record.stateHash = state == null ? null : ClientSecrets.sha256(state);
        Instant expires = now.plusSeconds(600);

        OAuth2Authorization.Token<OAuth2AuthorizationCode> code = authorization.getToken(OAuth2AuthorizationCode.class);
        if (code != null) {
            record.codeHash = hashOf(code.getToken().getTokenValue());
            record.codeIssuedAt = code.getToken().getIssuedAt();
            record.codeExpiresAt = code.getToken().getExpiresAt();
            record.codeInvalidated = code.isInvalidated();
            expires = later(expires, record.codeExpiresAt);
        }
        if (access != null) {
            record.accessJti = jti(access);
            record.accessIssuedAt = access.getToken().getIssuedAt();
            record.accessExpiresAt = access.getToken().getExpiresAt();
            record.accessScopes = String.join(" ", access.getToken().getScopes());
            expires = later(expires, record.accessExpiresAt);
            if (access.isInvalidated()) {
                // only a reused authorization code invalidates a stored access token (RFC 6749 section 4.1.2):
                // everything issued from that code goes, the refresh-token family included
                revokeFamily(record, refreshTokens.findByAuthorizationId(record.id));
            }
        }
        OAuth2Authorization.Token<OAuth2DeviceCode> deviceCode = authorization.getToken(OAuth2DeviceCode.class);
        if (deviceCode != null) {
            record.deviceCodeHash = hashOf(deviceCode.getToken().getTokenValue());
            record.deviceCodeIssuedAt = deviceCode.getToken().getIssuedAt();
            record.deviceCodeExpiresAt = deviceCode.getToken().getExpiresAt();
            record.deviceCodeInvalidated = deviceCode.isInvalidated();
            expires = later(expires, record.deviceCodeExpiresAt);
        }
        OAuth2Authorization.Token<OAuth2UserCode> userCode = authorization.getToken(OAuth2UserCode.class);
        if (userCode != null) {
            record.userCodeHash = userCodeHash(userCode.getToken().getTokenValue());
            record.userCodeIssuedAt = userCode.getToken().getIssuedAt();
            record.userCodeExpiresAt = userCode.getToken().getExpiresAt();
            record.userCodeInvalidated = userCode.isInvalidated();
        }
        OAuth2Authorization.Token<OidcIdToken> idToken = authorization.getToken(OidcIdToken.class);
        if (idToken != null && !idToken.getToken().getTokenValue().startsWith(STORED)) {
            record.idTokenHash = ClientSecrets.sha256(idToken.getToken().getTokenValue());
            record.idTokenValue = idToken.getToken().getTokenValue();
            record.idTokenClaims = JSON.writeValueAsString(idToken.getToken().getClaims());
            record.idTokenIssuedAt = idToken.getToken().getIssuedAt();
            record.idTokenExpiresAt = idToken.getToken().getExpiresAt();
        }
        OAuth2Authorization.Token<OAuth2RefreshToken> refresh = authorization.getRefreshToken();
        record.expiresAt = later(expires, refresh == null ? null : refresh.getToken().getExpiresAt());
        if (refresh != null) {
            expires = later(expires, saveRefreshToken(record, existing.isPresent(), refresh, now));
        }
        record.expiresAt = expires;
        authorizations.save(record);
    }

    /**
     * Stores a new refresh token of the family and marks the one it replaces rotated, with narrow statements: a
     * family gains a row per refresh (kept for reuse detection until the family expires), so an oidc-agent session
     * refreshed every few minutes for days would otherwise be loaded whole on every refresh.
     */
    private Instant saveRefreshToken(AuthorizationRecord record, boolean stored,
            OAuth2Authorization.Token<OAuth2RefreshToken> refresh, Instant now) {
        String hash = hashOf(refresh.getToken().getTokenValue());
        if (refresh.isInvalidated()) {
            revokeFamily(record, refreshTokens.findByAuthorizationId(record.id));
            return refresh.getToken().getExpiresAt();
        }
        boolean known = stored && refreshTokens.findById(hash).filter(t -> t.authorizationId.equals(record.id))
                .isPresent();
        if (!known) {
            if (stored) {
                refreshTokens.rotateActive(record.id, now);
            } else {
                authorizations.saveAndFlush(record);
            }
            refreshTokens.save(new RefreshTokenRecord(hash, record.id, refresh.getToken().getIssuedAt(),
                    refresh.getToken().getExpiresAt()));
        }
        return refresh.getToken().getExpiresAt();
    }

    /** An account's live refresh-token grant: which client holds it, since when, until when, for which scopes. */
    public record RefreshGrant(String id, String clientId, Instant since, Instant expiresAt, String scopes) {
    }

    /** The account's grants that still have a usable refresh token (for "my refresh tokens"). */
    @Transactional(readOnly = true)
    public List<RefreshGrant> refreshGrants(String accountId) {
        Instant now = clock.instant();
        List<RefreshGrant> out = new java.util.ArrayList<>();
        for (AuthorizationRecord record : authorizations.findByPrincipalNameAndRevokedFalse(accountId)) {
            refreshTokens.findByAuthorizationId(record.id).stream()
                    .filter(t -> t.status == RefreshTokenRecord.Status.ACTIVE && t.expiresAt.isAfter(now))
                    .max(java.util.Comparator.comparing(t -> t.issuedAt))
                    .ifPresent(t -> out.add(new RefreshGrant(record.id, record.clientId, record.createdAt, t.expiresAt,
                            record.authorizedScopes)));
        }
        out.sort(java.util.Comparator.comparing(RefreshGrant::since).reversed());
        return out;
    }

    /** Revokes one of the account's grants: its refresh-token family and its last access token. */
    @Transactional
    public boolean revokeGrant(String accountId, String authorizationId) {
        Optional<AuthorizationRecord> record = authorizations.findById(authorizationId)
                .filter(r -> r.principalName.equals(accountId) && !r.revoked);
        record.ifPresent(r -> {
            revokeFamily(r, refreshTokens.findByAuthorizationId(r.id));
            authorizations.save(r);
        });
        return record.isPresent();
    }

    private void revokeFamily(AuthorizationRecord record, List<RefreshTokenRecord> family) {
        record.revoked = true;
        for (RefreshTokenRecord token : family) {
            token.status = RefreshTokenRecord.Status.REVOKED;
        }
        revocations.revoke(record.accessJti, record.accessExpiresAt);
    }

    @Override
    @Transactional
    public void remove(OAuth2Authorization authorization) {
        authorizations.findById(authorization.getId()).ifPresent(record -> {
            revocations.revoke(record.accessJti, record.accessExpiresAt);
            authorizations.delete(record);
        });
    }

    @Override
    @Transactional(readOnly = true)
    public OAuth2Authorization findById(String id) {
        return authorizations.findById(id).map(record -> toAuthorization(record, null, null)).orElse(null);
    }

    /**
     * An access token is validated from its JWT without any database access; the other token types are looked
     * up by hash in one transaction (which may revoke a family on refresh-token reuse, so it is read-write).
     */
    @Override
    public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
        if (token == null || token.isEmpty() || token.length() > 16384) {
            return null;
        }
        if (tokenType == null || tokenType.equals(OAuth2TokenType.ACCESS_TOKEN)) {
            OAuth2Authorization fromJwt = accessTokens.verify(token).map(this::fromAccessToken).orElse(null);
            if (fromJwt != null || tokenType != null) {
                return fromJwt;
            }
        }
        return transactions.execute(status -> findStored(token, tokenType));
    }

    private OAuth2Authorization findStored(String token, OAuth2TokenType tokenType) {
        if (tokenType == null) {
            return Stream.of(OAuth2TokenType.REFRESH_TOKEN)
                    .map(type -> findStored(token, type)).filter(a -> a != null).findFirst()
                    .orElseGet(() -> findByCodeOrState(token));
        }
        String value = tokenType.getValue();
        if (value.equals(OAuth2ParameterNames.STATE)) {
            return authorizations.findByStateHash(ClientSecrets.sha256(token))
                    .map(r -> toAuthorization(r, null, null)).orElse(null);
        }
        if (value.equals(OAuth2ParameterNames.CODE)) {
            return authorizations.findByCodeHash(ClientSecrets.sha256(token))
                    .map(r -> toAuthorization(r, token, null)).orElse(null);
        }
        if (value.equals(OidcParameterNames.ID_TOKEN)) {
            return authorizations.findByIdTokenHash(ClientSecrets.sha256(token))
                    .map(r -> toAuthorization(r, null, null)).orElse(null);
        }
        if (tokenType.equals(OAuth2TokenType.REFRESH_TOKEN)) {
            return findByRefreshToken(token);
        }
        if (value.equals(OAuth2ParameterNames.DEVICE_CODE)) {
            return authorizations.findByDeviceCodeHash(ClientSecrets.sha256(token))
                    .map(r -> toAuthorization(r, null, null, token, null)).orElse(null);
        }
        if (value.equals(OAuth2ParameterNames.USER_CODE)) {
            return authorizations.findByUserCodeHash(userCodeHash(token))
                    .map(r -> toAuthorization(r, null, null, null, token)).orElse(null);
        }
        return null;
    }

    private OAuth2Authorization findByCodeOrState(String token) {
        String hash = ClientSecrets.sha256(token);
        return authorizations.findByCodeHash(hash).map(r -> toAuthorization(r, token, null))
                .or(() -> authorizations.findByStateHash(hash).map(r -> toAuthorization(r, null, null)))
                .orElse(null);
    }

    private OAuth2Authorization findByRefreshToken(String token) {
        RefreshTokenRecord refresh = refreshTokens.findById(ClientSecrets.sha256(token)).orElse(null);
        if (refresh == null) {
            return null;
        }
        AuthorizationRecord record = authorizations.findById(refresh.authorizationId).orElse(null);
        if (record == null || record.revoked || refresh.status == RefreshTokenRecord.Status.REVOKED) {
            return null;
        }
        if (refresh.status == RefreshTokenRecord.Status.ROTATED) {
            Instant graceEnd = refresh.rotatedAt.plus(properties.tokens().refreshGracePeriod());
            if (clock.instant().isAfter(graceEnd)) {
                log.warn("rotated refresh token reused after the grace period: revoking authorization {} of client {}",
                        record.id, record.clientId);
                revokeFamily(record, refreshTokens.findByAuthorizationId(record.id));
                authorizations.save(record);
                return null;
            }
        }
        return toAuthorization(record, null, new OAuth2RefreshToken(token, refresh.issuedAt, refresh.expiresAt));
    }

    /** An authorization rebuilt from a verified access token, for userinfo, introspection and revocation. */
    private OAuth2Authorization fromAccessToken(AccessTokenVerifier.VerifiedToken verified) {
        RegisteredClient client = clients.findByClientId(verified.clientId());
        if (client == null) {
            return null;
        }
        OAuth2AccessToken token = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, verified.value(),
                verified.issuedAt(), verified.expiresAt(), verified.scopes());
        OAuth2Authorization.Builder builder = OAuth2Authorization.withRegisteredClient(client)
                .id(FROM_JWT + verified.jti())
                .principalName(verified.subject())
                .authorizationGrantType(new AuthorizationGrantType(verified.grantType()))
                .authorizedScopes(verified.scopes())
                .token(token, metadata -> metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME,
                        verified.claims()));
        if (verified.scopes().contains("openid")) {
            // the userinfo endpoint wants an OpenID authorization: the token itself stands for it
            builder.token(new OidcIdToken(STORED + verified.jti(), verified.issuedAt(), verified.expiresAt(),
                    Map.of("sub", verified.subject(), "iss", properties.issuer())));
        }
        return builder.build();
    }

    private OAuth2Authorization toAuthorization(AuthorizationRecord record, String codeValue,
            OAuth2RefreshToken presentedRefresh) {
        return toAuthorization(record, codeValue, presentedRefresh, null, null);
    }

    private OAuth2Authorization toAuthorization(AuthorizationRecord record, String codeValue,
            OAuth2RefreshToken presentedRefresh, String deviceCodeValue, String userCodeValue) {
        RegisteredClient client = clients.findById(record.clientId);
        if (client == null) {
            return null;
        }
        Set<String> scopes = split(record.authorizedScopes);
        OAuth2Authorization.Builder builder = OAuth2Authorization.withRegisteredClient(client)
                .id(record.id)
                .principalName(record.principalName)
                .authorizationGrantType(new AuthorizationGrantType(record.grantType))
                .authorizedScopes(scopes)
                .attributes(attributes -> attributes.putAll(AuthorizationAttributes.read(record.attributes)));
        if (record.codeHash != null) {
            String value = codeValue != null ? codeValue : STORED + record.codeHash;
            builder.token(new OAuth2AuthorizationCode(value, record.codeIssuedAt, record.codeExpiresAt),
                    metadata -> metadata.put(OAuth2Authorization.Token.INVALIDATED_METADATA_NAME,
                            record.codeInvalidated || record.revoked));
        }
        if (record.deviceCodeHash != null) {
            String value = deviceCodeValue != null ? deviceCodeValue : STORED + record.deviceCodeHash;
            builder.token(new OAuth2DeviceCode(value, record.deviceCodeIssuedAt, record.deviceCodeExpiresAt),
                    metadata -> metadata.put(OAuth2Authorization.Token.INVALIDATED_METADATA_NAME,
                            record.deviceCodeInvalidated || record.revoked));
        }
        if (record.userCodeHash != null) {
            String value = userCodeValue != null ? userCodeValue : STORED + record.userCodeHash;
            builder.token(new OAuth2UserCode(value, record.userCodeIssuedAt, record.userCodeExpiresAt),
                    metadata -> metadata.put(OAuth2Authorization.Token.INVALIDATED_METADATA_NAME,
                            record.userCodeInvalidated));
        }
        if (record.accessJti != null) {
            OAuth2AccessToken access = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER,
                    STORED + record.accessJti, record.accessIssuedAt, record.accessExpiresAt,
                    split(record.accessScopes));
            builder.token(access, metadata -> {
                metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME, Map.of("jti", record.accessJti));
                metadata.put(OAuth2Authorization.Token.INVALIDATED_METADATA_NAME,
                        record.revoked || revocations.isRevoked(record.accessJti));
            });
        }
        if (record.idTokenValue != null) {
            Map<String, Object> claims = JSON.readValue(record.idTokenClaims,
                    new TypeReference<java.util.LinkedHashMap<String, Object>>() { });
            claims.computeIfPresent("iat", (k, v) -> record.idTokenIssuedAt);
            claims.computeIfPresent("exp", (k, v) -> record.idTokenExpiresAt);
            claims.remove("auth_time");
            claims.remove("nbf");
            OidcIdToken idToken = new OidcIdToken(record.idTokenValue, record.idTokenIssuedAt,
                    record.idTokenExpiresAt, claims);
            builder.token(idToken, metadata -> metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME, claims));
        }
        if (presentedRefresh != null) {
            builder.refreshToken(presentedRefresh);
            if (record.idTokenValue == null && scopes.contains("openid")) {
                // a device-flow family has no ID token yet; the refresh grant issues one and needs a previous one
                builder.token(new OidcIdToken(STORED + "none", record.createdAt, record.createdAt.plusSeconds(1),
                        Map.of("sub", record.principalName, "iss", properties.issuer())));
            }
        }
        return builder.build();
    }

    /** Drops authorizations whose every token has expired. */
    @Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT1M")
    @Transactional
    public void purgeExpired() {
        int removed = authorizations.deleteExpired(clock.instant());
        if (removed > 0) {
            log.debug("purged {} expired authorizations", removed);
        }
    }

    private static String jti(OAuth2Authorization.Token<OAuth2AccessToken> access) {
        String value = access.getToken().getTokenValue();
        if (value.startsWith(STORED)) {
            return value.substring(STORED.length());
        }
        Map<String, Object> claims = access.getClaims();
        Object jti = claims == null ? null : claims.get("jti");
        return jti == null ? null : jti.toString();
    }

    /** User codes are typed by people: case, dashes and spaces do not matter. */
    private static String userCodeHash(String value) {
        return value.startsWith(STORED) ? value.substring(STORED.length())
                : ClientSecrets.sha256(value.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", ""));
    }

    /**
     * Runs a grant's reads and writes in one transaction: one connection and one commit instead of one for each
     * lookup (the refresh token, the account, its groups, the AUP) and one for the rotation. It commits also when
     * the grant is refused ({@link OAuth2AuthenticationException}): a refusal can follow a write that must stay, as
     * a reused refresh token revokes its family.
     */
    public <T> T inOneTransaction(java.util.function.Supplier<T> grant) {
        OAuth2AuthenticationException[] refusal = new OAuth2AuthenticationException[1];
        T result = transactions.execute(status -> {
            try {
                return grant.get();
            } catch (OAuth2AuthenticationException e) {
                refusal[0] = e;
                return null;
            }
        });
        if (refusal[0] != null) {
            throw refusal[0];
        }
        return result;
    }

    /** Where a polled device code stands (RFC 8628 section 3.5), in the order the grant answers. */
    public enum DevicePoll {
        /** no such device code */
        UNKNOWN,
        /** the code was issued to another client */
        OTHER_CLIENT,
        EXPIRED,
        /** sooner than the interval after the previous poll (the interval restarts) */
        TOO_FAST,
        /** the user has not decided yet */
        PENDING,
        /** the user approved or denied, or the code was exchanged: the grant loads the authorization */
        DECIDED
    }

    /**
     * A device poll in one transaction of narrow statements: the device code's state (not the whole authorization)
     * and the time of this poll, which decides {@code slow_down} on every instance alike. Pending polls are the
     * device flow's common case: a CLI polls every 5 s until its user has logged in (bench/device-poll.sh).
     */
    @Transactional
    public DevicePoll pollDevice(String deviceCode, String registeredClientId, java.time.Duration interval) {
        String hash = ClientSecrets.sha256(deviceCode);
        AuthorizationRecordRepository.DeviceState state = authorizations.findDeviceState(hash).orElse(null);
        if (state == null) {
            return DevicePoll.UNKNOWN;
        }
        if (!state.clientId().equals(registeredClientId)) {
            return DevicePoll.OTHER_CLIENT;
        }
        Instant now = clock.instant();
        if (state.expiresAt() == null || !now.isBefore(state.expiresAt())) {
            return DevicePoll.EXPIRED;
        }
        if (authorizations.recordPollIfDue(hash, now, now.minus(interval)) == 0) {
            authorizations.recordPoll(hash, now);   // too soon: the clock restarts
            return DevicePoll.TOO_FAST;
        }
        return state.userCodeInvalidated() ? DevicePoll.DECIDED : DevicePoll.PENDING;
    }

    private static String hashOf(String value) {
        return value.startsWith(STORED) ? value.substring(STORED.length()) : ClientSecrets.sha256(value);
    }

    private static Instant later(Instant a, Instant b) {
        return b != null && b.isAfter(a) ? b : a;
    }

    private static Set<String> split(String value) {
        return value == null || value.isBlank() ? new LinkedHashSet<>()
                : new LinkedHashSet<>(Arrays.asList(value.split(" ")));
    }
}
