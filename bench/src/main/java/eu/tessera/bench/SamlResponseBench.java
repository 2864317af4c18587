package eu.tessera.bench;

import eu.tessera.saml.LoginAssertion;
import eu.tessera.saml.SamlResponses;
import eu.tessera.saml.metadata.IdentityProvider;
import eu.tessera.saml.testing.TestIdp;
import eu.tessera.saml.testing.TestMetadata;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * For bench/saml-acs.sh (not a test): how many SAML Responses per second the assertion consumer validates on one
 * thread (Shibboleth's default shape: signed Response, AES-128-GCM encrypted assertion with RSA-OAEP key transport,
 * 2048-bit keys, six attributes), beside its cryptographic floor in the same run: one RSA-2048 signature verification
 * plus one RSA-OAEP decryption, the two private/public-key operations every such Response costs.
 */
public final class SamlResponseBench {

    private static final String SP = "https://tessera.example.org/saml/metadata";
    private static final String ACS = "https://tessera.example.org/saml/acs";

    private SamlResponseBench() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        TestMetadata.Signer sp = TestMetadata.signer("Bench SP");
        TestIdp idp = new TestIdp("https://idp.example.org/idp/shibboleth", TestMetadata.signer("Bench IdP"));
        IdentityProvider metadata = idp.metadata("https://idp.example.org/sso");
        List<String> ids = new ArrayList<>();
        List<String> responses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = TestIdp.id();
            TestIdp.Spec spec = new TestIdp.Spec(id, ACS, SP)
                    .attribute("urn:oid:1.3.6.1.4.1.5923.1.1.1.13", "user" + i + "@example.org")
                    .attribute("urn:oid:1.3.6.1.4.1.5923.1.1.1.6", "user" + i + "@example.org")
                    .attribute("urn:oid:0.9.2342.19200300.100.1.3", "user" + i + "@mail.example.org")
                    .attribute("urn:oid:2.5.4.42", "Given").attribute("urn:oid:2.5.4.4", "Family")
                    .attribute("urn:oid:1.3.6.1.4.1.5923.1.1.1.7", "urn:mace:example.org:group:vo", "urn:x:y");
            spec.encryptTo = sp.certificate();
            ids.add(id);
            responses.add(TestIdp.base64(idp.response(spec)));
        }
        System.out.printf("%d Responses, %d bytes each on the wire (base64)%n", count, responses.get(0).length());
        List<PrivateKey> keys = List.of(sp.key());
        byte[] data = "x".repeat(2000).getBytes();
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(idp.signer.key());
        signer.update(data);
        byte[] signature = signer.sign();
        OAEPParameterSpec oaep = new OAEPParameterSpec("SHA-1", "MGF1", MGF1ParameterSpec.SHA1,
                PSource.PSpecified.DEFAULT);
        Cipher wrap = Cipher.getInstance("RSA/ECB/OAEPPadding");
        wrap.init(Cipher.ENCRYPT_MODE, sp.certificate().getPublicKey(), oaep);
        byte[] wrapped = wrap.doFinal(new byte[16]);
        for (int round = 1; round <= 3; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                Signature verifier = Signature.getInstance("SHA256withRSA");
                verifier.initVerify(idp.signer.certificate().getPublicKey());
                verifier.update(data);
                Cipher unwrap = Cipher.getInstance("RSA/ECB/OAEPPadding");
                unwrap.init(Cipher.DECRYPT_MODE, sp.key(), oaep);
                if (!verifier.verify(signature) || unwrap.doFinal(wrapped).length != 16) {
                    throw new IllegalStateException("baseline failed");
                }
            }
            long floor = System.nanoTime();
            for (int i = 0; i < count; i++) {
                LoginAssertion login = SamlResponses.validate(SamlResponses.read(responses.get(i)), metadata,
                        new SamlResponses.Expectations(SP, ACS, ids.get(i), Duration.ofSeconds(90), Instant.now()),
                        keys);
                if (!login.encrypted() || login.first("mail") == null) {
                    throw new IllegalStateException("not validated");
                }
            }
            long end = System.nanoTime();
            double floorRate = count / ((floor - start) / 1e9);
            double rate = count / ((end - floor) / 1e9);
            System.out.printf("round %d: baseline RSA verify + RSA-OAEP decrypt %.0f/s | Responses validated %.0f/s "
                    + "(%.0f%% of the baseline, %.2f ms each)%n", round, floorRate, rate, 100 * rate / floorRate,
                    (end - floor) / 1e6 / count);
        }
    }
}
