package eu.tessera.server.login.passkey;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.security.web.webauthn.api.AttestationConveyancePreference;
import org.springframework.security.web.webauthn.api.AuthenticatorAttachment;
import org.springframework.security.web.webauthn.api.AuthenticatorSelectionCriteria;
import org.springframework.security.web.webauthn.api.Bytes;
import org.springframework.security.web.webauthn.api.ImmutableAuthenticationExtensionsClientInput;
import org.springframework.security.web.webauthn.api.ImmutableAuthenticationExtensionsClientInputs;
import org.springframework.security.web.webauthn.api.ImmutablePublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialCreationOptions;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialDescriptor;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialParameters;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialRpEntity;
import org.springframework.security.web.webauthn.api.ResidentKeyRequirement;
import org.springframework.security.web.webauthn.api.UserVerificationRequirement;
import org.springframework.security.web.webauthn.registration.PublicKeyCredentialCreationOptionsRepository;

/**
 * Keeps a passkey registration's creation options in the session between {@code /webauthn/register/options} and
 * {@code /webauthn/register}. Sessions live in the shared database (Spring Session JDBC, Java serialization) and
 * Spring Security's options object is not serializable, so the session holds a serializable copy of its parts.
 */
final class SessionCreationOptions implements PublicKeyCredentialCreationOptionsRepository {

    private static final String ATTRIBUTE = SessionCreationOptions.class.getName();
    private static final List<PublicKeyCredentialParameters> ALGORITHMS = List.of(PublicKeyCredentialParameters.EdDSA,
            PublicKeyCredentialParameters.ES256, PublicKeyCredentialParameters.ES384,
            PublicKeyCredentialParameters.ES512, PublicKeyCredentialParameters.RS256,
            PublicKeyCredentialParameters.RS384, PublicKeyCredentialParameters.RS512, PublicKeyCredentialParameters.RS1);

    /** The serializable parts of the options. */
    record Stored(String rpId, String rpName, Bytes userId, String userName, String userDisplayName, Bytes challenge,
            long[] algorithms, Duration timeout, ArrayList<PublicKeyCredentialDescriptor> exclude,
            AuthenticatorAttachment attachment, String residentKey, UserVerificationRequirement userVerification,
            String attestation, boolean credProps) implements Serializable {

        static Stored of(PublicKeyCredentialCreationOptions options) {
            AuthenticatorSelectionCriteria selection = options.getAuthenticatorSelection();
            return new Stored(options.getRp().getId(), options.getRp().getName(), options.getUser().getId(),
                    options.getUser().getName(), options.getUser().getDisplayName(), options.getChallenge(),
                    options.getPubKeyCredParams().stream().mapToLong(p -> p.getAlg().getValue()).toArray(),
                    options.getTimeout(), options.getExcludeCredentials() == null ? new ArrayList<>()
                            : new ArrayList<>(options.getExcludeCredentials()),
                    selection == null ? null : selection.getAuthenticatorAttachment(),
                    selection == null || selection.getResidentKey() == null ? null
                            : selection.getResidentKey().getValue(),
                    selection == null ? null : selection.getUserVerification(),
                    options.getAttestation() == null ? null : options.getAttestation().getValue(),
                    options.getExtensions() != null && options.getExtensions().getInputs().stream()
                            .anyMatch(i -> "credProps".equals(i.getExtensionId())));
        }

        PublicKeyCredentialCreationOptions options() {
            List<PublicKeyCredentialParameters> parameters = new ArrayList<>();
            for (long algorithm : algorithms) {
                ALGORITHMS.stream().filter(p -> p.getAlg().getValue() == algorithm).findFirst()
                        .ifPresent(parameters::add);
            }
            var builder = PublicKeyCredentialCreationOptions.builder()
                    .rp(PublicKeyCredentialRpEntity.builder().id(rpId).name(rpName).build())
                    .user(ImmutablePublicKeyCredentialUserEntity.builder().id(userId).name(userName)
                            .displayName(userDisplayName).build())
                    .challenge(challenge).pubKeyCredParams(parameters).timeout(timeout).excludeCredentials(exclude)
                    .authenticatorSelection(AuthenticatorSelectionCriteria.builder().authenticatorAttachment(attachment)
                            .residentKey(residentKey == null ? null : ResidentKeyRequirement.valueOf(residentKey))
                            .userVerification(userVerification).build());
            if (attestation != null) {
                builder.attestation(AttestationConveyancePreference.valueOf(attestation));
            }
            if (credProps) {
                builder.extensions(new ImmutableAuthenticationExtensionsClientInputs(
                        ImmutableAuthenticationExtensionsClientInput.credProps));
            }
            return builder.build();
        }
    }

    @Override
    public void save(HttpServletRequest request, HttpServletResponse response,
            PublicKeyCredentialCreationOptions options) {
        if (options == null) {
            HttpSession session = request.getSession(false);
            if (session != null) {
                session.removeAttribute(ATTRIBUTE);
            }
            return;
        }
        request.getSession().setAttribute(ATTRIBUTE, Stored.of(options));
    }

    @Override
    public PublicKeyCredentialCreationOptions load(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return session != null && session.getAttribute(ATTRIBUTE) instanceof Stored stored ? stored.options() : null;
    }
}
