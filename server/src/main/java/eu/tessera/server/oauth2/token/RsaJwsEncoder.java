package eu.tessera.server.oauth2.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtEncodingException;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * Signs tokens with the active RSA key (RS256/384/512) exactly as Spring's {@link NimbusJwtEncoder} does - the same
 * header and claims JSON (Nimbus serializes both), the same key id - but encodes with the JDK's Base64 and signs
 * through JCA directly. Nimbus' constant-time Base64 (made for secrets; a token's header and claims are not secret)
 * cost 12-14% of the refresh grant's CPU (bench/refresh.sh, JFR). RSASSA-PKCS1-v1_5 signatures are deterministic, so
 * RsaJwsEncoderTests checks that the tokens are byte-for-byte those of NimbusJwtEncoder. Anything else (EC or PS
 * keys, header parameters Tessera does not set) goes to NimbusJwtEncoder.
 */
public final class RsaJwsEncoder implements JwtEncoder {

    private static final Map<String, String> JCA = Map.of("RS256", "SHA256withRSA", "RS384", "SHA384withRSA",
            "RS512", "SHA512withRSA");
    private static final Set<String> HEADERS = Set.of("alg", "kid", "typ", "cty", "crit");
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final Supplier<JWK> activeKey;
    private final NimbusJwtEncoder fallback;
    private volatile KeyHolder signing;

    private record KeyHolder(JWK jwk, PrivateKey key) {
    }

    /** {@code activeKey}: the key that signs now (read on every token, so a rotation applies at once). */
    public RsaJwsEncoder(Supplier<JWK> activeKey) {
        this.activeKey = activeKey;
        JWKSource<SecurityContext> source = (selector, context) -> selector.select(
                new com.nimbusds.jose.jwk.JWKSet(activeKey.get()));
        this.fallback = new NimbusJwtEncoder(source);
    }

    @Override
    public Jwt encode(JwtEncoderParameters parameters) throws JwtEncodingException {
        JwsHeader headers = parameters.getJwsHeader() != null ? parameters.getJwsHeader()
                : JwsHeader.with(SignatureAlgorithm.RS256).build();
        JWK jwk = activeKey.get();
        String jca = JCA.get(headers.getAlgorithm().getName());
        if (jca == null || !(jwk instanceof RSAKey rsa) || !HEADERS.containsAll(headers.getHeaders().keySet())
                || jwk.getX509CertSHA256Thumbprint() != null
                || headers.getKeyId() != null && !headers.getKeyId().equals(jwk.getKeyID())) {
            return fallback.encode(parameters);
        }
        if (headers.getKeyId() == null && jwk.getKeyID() != null && !jwk.getKeyID().isEmpty()) {
            headers = JwsHeader.from(headers).keyId(jwk.getKeyID()).build();
        }
        JwtClaimsSet claims = parameters.getClaims();
        String signingInput = BASE64URL.encodeToString(json(headers).getBytes(StandardCharsets.UTF_8)) + "."
                + BASE64URL.encodeToString(json(claims).getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance(jca);
            signature.initSign(privateKey(rsa));
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            String jws = signingInput + "." + BASE64URL.encodeToString(signature.sign());
            return new Jwt(jws, claims.getIssuedAt(), claims.getExpiresAt(), headers.getHeaders(), claims.getClaims());
        } catch (GeneralSecurityException | JOSEException e) {
            throw new JwtEncodingException("An error occurred while attempting to encode the Jwt: " + e.getMessage(),
                    e);
        }
    }

    private PrivateKey privateKey(RSAKey rsa) throws JOSEException {
        KeyHolder holder = signing;
        if (holder == null || holder.jwk() != rsa) {
            holder = new KeyHolder(rsa, rsa.toPrivateKey());
            signing = holder;
        }
        return holder.key();
    }

    /** The header JSON as NimbusJwtEncoder writes it (for the parameters this encoder handles). */
    private static String json(JwsHeader headers) {
        JWSHeader.Builder builder = new JWSHeader.Builder(JWSAlgorithm.parse(headers.getAlgorithm().getName()));
        if (headers.getKeyId() != null && !headers.getKeyId().isEmpty()) {
            builder.keyID(headers.getKeyId());
        }
        if (headers.getType() != null && !headers.getType().isEmpty()) {
            builder.type(new JOSEObjectType(headers.getType()));
        }
        if (headers.getContentType() != null && !headers.getContentType().isEmpty()) {
            builder.contentType(headers.getContentType());
        }
        if (headers.getCritical() != null && !headers.getCritical().isEmpty()) {
            builder.criticalParams(headers.getCritical());
        }
        return builder.build().toString();
    }

    /** The claims JSON as NimbusJwtEncoder writes it: registered claims first, then the others. */
    private static String json(JwtClaimsSet claims) {
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder();
        Object issuer = claims.getClaim(JwtClaimNames.ISS);
        if (issuer != null) {
            builder.issuer(issuer.toString());
        }
        if (claims.getSubject() != null && !claims.getSubject().isEmpty()) {
            builder.subject(claims.getSubject());
        }
        List<String> audience = claims.getAudience();
        if (audience != null && !audience.isEmpty()) {
            builder.audience(audience);
        }
        if (claims.getExpiresAt() != null) {
            builder.expirationTime(Date.from(claims.getExpiresAt()));
        }
        if (claims.getNotBefore() != null) {
            builder.notBeforeTime(Date.from(claims.getNotBefore()));
        }
        if (claims.getIssuedAt() != null) {
            builder.issueTime(Date.from(claims.getIssuedAt()));
        }
        if (claims.getId() != null && !claims.getId().isEmpty()) {
            builder.jwtID(claims.getId());
        }
        Map<String, Object> custom = new HashMap<>();
        claims.getClaims().forEach((name, value) -> {
            if (!JWTClaimsSet.getRegisteredNames().contains(name)) {
                custom.put(name, value);
            }
        });
        custom.forEach(builder::claim);
        return builder.build().toString();
    }
}
