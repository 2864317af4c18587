package eu.tessera.server.testsupport;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.util.Set;

/** Verifies a token's signature against the server's published JWKS, as a relying party would. */
public final class TokenVerifier {

    private TokenVerifier() {
    }

    /** Only the signature, against the published key with the token's {@code kid} (for tests that move time). */
    public static SignedJWT verifySignature(TesseraHttp http, String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            com.nimbusds.jose.jwk.JWK key = JWKSet.parse(http.get("/jwk").body()).getKeyByKeyId(
                    jwt.getHeader().getKeyID());
            if (key == null || !jwt.verify(new com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory()
                    .createJWSVerifier(jwt.getHeader(), key.toRSAKey().toPublicKey()))) {
                throw new AssertionError("signature does not verify with published key " + jwt.getHeader().getKeyID());
            }
            return jwt;
        } catch (Exception e) {
            throw new AssertionError("token does not verify against the JWKS: " + e, e);
        }
    }

    /** The verified token (header and claims); fails the test when the signature does not verify. */
    public static SignedJWT verify(TesseraHttp http, String token) {
        try {
            JWKSet jwks = JWKSet.parse(http.get("/jwk").body());
            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            processor.setJWSTypeVerifier((type, context) -> { });
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256),
                    new ImmutableJWKSet<>(jwks)));
            JWTClaimsSet claims = processor.process(token, null);
            SignedJWT jwt = SignedJWT.parse(token);
            if (!jwt.getJWTClaimsSet().equals(claims)) {
                throw new AssertionError("claims differ after verification");
            }
            return jwt;
        } catch (Exception e) {
            throw new AssertionError("token does not verify against the JWKS: " + e, e);
        }
    }
}
