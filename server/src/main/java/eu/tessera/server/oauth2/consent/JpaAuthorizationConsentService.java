package eu.tessera.server.oauth2.consent;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Stores users' consents so the consent page is shown once per client and scope set. */
@Service
public class JpaAuthorizationConsentService implements OAuth2AuthorizationConsentService {

    private final ConsentRecordRepository consents;

    public JpaAuthorizationConsentService(ConsentRecordRepository consents) {
        this.consents = consents;
    }

    @Override
    @Transactional
    public void save(OAuth2AuthorizationConsent consent) {
        String authorities = consent.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .collect(Collectors.joining(" "));
        consents.save(new ConsentRecord(new ConsentRecord.Key(consent.getRegisteredClientId(),
                consent.getPrincipalName()), authorities));
    }

    @Override
    @Transactional
    public void remove(OAuth2AuthorizationConsent consent) {
        consents.deleteById(new ConsentRecord.Key(consent.getRegisteredClientId(), consent.getPrincipalName()));
    }

    @Override
    @Transactional(readOnly = true)
    public OAuth2AuthorizationConsent findById(String registeredClientId, String principalName) {
        return consents.findById(new ConsentRecord.Key(registeredClientId, principalName)).map(record -> {
            OAuth2AuthorizationConsent.Builder builder = OAuth2AuthorizationConsent.withId(registeredClientId,
                    principalName);
            Arrays.stream(record.authorities.split(" ")).filter(a -> !a.isEmpty())
                    .forEach(a -> builder.authority(new SimpleGrantedAuthority(a)));
            return builder.build();
        }).orElse(null);
    }
}
