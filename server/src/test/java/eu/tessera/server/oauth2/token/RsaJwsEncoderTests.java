package eu.tessera.server.oauth2.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/** Tokens byte-for-byte those of Spring's NimbusJwtEncoder (RS256 signatures are deterministic). */
class RsaJwsEncoderTests {

    private static RSAKey key;
    private static RSAKey next;

    @BeforeAll
    static void keys() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("key-1").keyUse(KeyUse.SIGNATURE).generate();
        next = new RSAKeyGenerator(2048).keyID("key-2").keyUse(KeyUse.SIGNATURE).generate();
    }

    private static String nimbus(JWK jwk, JwtEncoderParameters parameters) {
        return new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(jwk))).encode(parameters).getTokenValue();
    }

    private static JwtClaimsSet accessTokenClaims(int groups) {
        List<String> groupList = new ArrayList<>();
        for (int i = 0; i < groups; i++) {
            groupList.add("/escape/g" + i);
        }
        Instant now = Instant.ofEpochSecond(1_800_000_000L);
        return JwtClaimsSet.builder().issuer("https://iam.example.org/").subject("0f6a2c1e-account")
                .audience(List.of("https://wlcg.cern.ch/jwt/v1/any")).issuedAt(now).notBefore(now)
                .expiresAt(now.plusSeconds(1200)).id("jti-7b1c").claim("scope", "openid storage.read:/escape")
                .claim("wlcg.ver", "1.0").claim("wlcg.groups", groupList).claim("client_id", "rucio")
                .claim("act", Map.of("sub", "fts", "act", Map.of("sub", "rucio"))).claim("n", 42)
                .claim("flag", true).claim("auth_time", java.util.Date.from(now.minusSeconds(30))).claim("name", "Zoë Müller ✓")
                .build();
    }

    @Test
    void encodeWhenAccessOrIdTokenThenSameTokenAsNimbusJwtEncoder() {
        RsaJwsEncoder encoder = new RsaJwsEncoder(() -> key);
        for (int groups : new int[] {0, 1, 50}) {
            JwtEncoderParameters access = JwtEncoderParameters.from(
                    JwsHeader.with(SignatureAlgorithm.RS256).type("at+jwt").build(), accessTokenClaims(groups));
            Jwt ours = encoder.encode(access);
            assertThat(ours.getTokenValue()).isEqualTo(nimbus(key, access));
            assertThat(ours.getHeaders()).containsEntry("kid", "key-1").containsEntry("typ", "at+jwt");
            assertThat(ours.getClaims()).isEqualTo(access.getClaims().getClaims());
            assertThat(ours.getExpiresAt()).isEqualTo(access.getClaims().getExpiresAt());
        }
        JwtEncoderParameters idToken = JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.RS256).build(),
                accessTokenClaims(3));
        assertThat(encoder.encode(idToken).getTokenValue()).isEqualTo(nimbus(key, idToken));
        JwtEncoderParameters noHeader = JwtEncoderParameters.from(accessTokenClaims(2));
        assertThat(encoder.encode(noHeader).getTokenValue()).isEqualTo(nimbus(key, noHeader));
        JwtEncoderParameters rs512 = JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.RS512).build(),
                accessTokenClaims(2));
        assertThat(encoder.encode(rs512).getTokenValue()).isEqualTo(nimbus(key, rs512));
    }

    @Test
    void encodeWhenActiveKeyRotatesThenNextTokenSignedAndIdentifiedByTheNewKey() throws Exception {
        AtomicReference<JWK> active = new AtomicReference<>(key);
        RsaJwsEncoder encoder = new RsaJwsEncoder(active::get);
        JwtEncoderParameters parameters = JwtEncoderParameters.from(
                JwsHeader.with(SignatureAlgorithm.RS256).type("at+jwt").build(), accessTokenClaims(1));
        assertThat(encoder.encode(parameters).getHeaders()).containsEntry("kid", "key-1");
        active.set(next);
        Jwt rotated = encoder.encode(parameters);
        assertThat(rotated.getHeaders()).containsEntry("kid", "key-2");
        assertThat(rotated.getTokenValue()).isEqualTo(nimbus(next, parameters));
        SignedJWT parsed = SignedJWT.parse(rotated.getTokenValue());
        assertThat(parsed.verify(new RSASSAVerifier(next.toRSAPublicKey()))).isTrue();
        assertThat(parsed.verify(new RSASSAVerifier(key.toRSAPublicKey()))).isFalse();
    }

    @Test
    void encodeWhenHeaderBeyondWhatItWritesOrPssThenNimbusJwtEncoderDoesIt() throws Exception {
        RsaJwsEncoder encoder = new RsaJwsEncoder(() -> key);
        JwtEncoderParameters jku = JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.RS256)
                .jwkSetUrl("https://iam.example.org/jwk").build(), accessTokenClaims(1));
        assertThat(encoder.encode(jku).getTokenValue()).isEqualTo(nimbus(key, jku));
        JwtEncoderParameters pss = JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.PS256).build(),
                accessTokenClaims(1));
        SignedJWT parsed = SignedJWT.parse(encoder.encode(pss).getTokenValue());
        assertThat(parsed.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.PS256);
        assertThat(parsed.verify(new RSASSAVerifier(key.toRSAPublicKey()))).isTrue();
        assertThat(parsed.getJWTClaimsSet().getStringListClaim("wlcg.groups")).containsExactly("/escape/g0");
    }
}
