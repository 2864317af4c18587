package eu.tessera.server.oauth2.token;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.keys.SigningKeyService;
import eu.tessera.server.oauth2.authorization.RevocationList;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Validates an access token Tessera issued, without a database lookup (DESIGN.md "Tokens"): {@code typ}
 * {@code at+jwt}, signature by a published key, issuer, expiry, and the in-memory deny-list.
 */
@Component
public class AccessTokenVerifier {

    /** The facts of a valid access token. */
    public record VerifiedToken(String value, String jti, String subject, String clientId, Set<String> scopes,
            Instant issuedAt, Instant expiresAt, String grantType, Map<String, Object> claims) {
    }

    private final SigningKeyService keys;
    private final RevocationList revocations;
    private final TesseraProperties properties;
    private final Clock clock;
    private volatile Cached processor;

    private record Cached(SigningKeyService.KeySet keySet, DefaultJWTProcessor<SecurityContext> processor) {
    }

    public AccessTokenVerifier(SigningKeyService keys, RevocationList revocations, TesseraProperties properties,
            Clock clock) {
        this.keys = keys;
        this.revocations = revocations;
        this.properties = properties;
        this.clock = clock;
    }

    /** The token's facts, or empty when it is not a valid, unrevoked access token of this issuer. */
    public Optional<VerifiedToken> verify(String token) {
        JWTClaimsSet claims;
        try {
            claims = processor().process(token, null);
        } catch (Exception e) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (!properties.issuer().equals(claims.getIssuer()) || claims.getExpirationTime() == null
                || !claims.getExpirationTime().toInstant().isAfter(now) || claims.getJWTID() == null
                || revocations.isRevoked(claims.getJWTID())) {
            return Optional.empty();
        }
        Object scope = claims.getClaim("scope");
        Set<String> scopes = scope instanceof String s && !s.isBlank()
                ? new LinkedHashSet<>(Arrays.asList(s.split(" "))) : new LinkedHashSet<>();
        Object clientId = claims.getClaim("client_id");
        if (clientId == null) {
            return Optional.empty();
        }
        String subject = claims.getSubject();
        String grantType = subject != null && subject.equals(clientId) ? "client_credentials" : "authorization_code";
        return Optional.of(new VerifiedToken(token, claims.getJWTID(), subject, clientId.toString(), scopes,
                claims.getIssueTime() == null ? now : claims.getIssueTime().toInstant(),
                claims.getExpirationTime().toInstant(), grantType, claimsWithInstants(claims)));
    }

    /** Claims as Spring Security expects them: time claims as {@link Instant}, not epoch seconds. */
    private static Map<String, Object> claimsWithInstants(JWTClaimsSet claims) {
        Map<String, Object> map = new java.util.LinkedHashMap<>(claims.toJSONObject());
        for (String name : List.of("iat", "exp", "nbf")) {
            if (map.get(name) instanceof Number seconds) {
                map.put(name, Instant.ofEpochSecond(seconds.longValue()));
            }
        }
        return map;
    }

    private DefaultJWTProcessor<SecurityContext> processor() {
        SigningKeyService.KeySet keySet = keys.keySet();
        Cached cached = processor;
        if (cached != null && cached.keySet() == keySet) {
            return cached.processor();
        }
        DefaultJWTProcessor<SecurityContext> jwtProcessor = new DefaultJWTProcessor<>();
        jwtProcessor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        jwtProcessor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256),
                new ImmutableJWKSet<>(new JWKSet(List.copyOf(keySet.published())))));
        jwtProcessor.setJWTClaimsSetVerifier((claimsSet, context) -> { });
        processor = new Cached(keySet, jwtProcessor);
        return jwtProcessor;
    }
}
