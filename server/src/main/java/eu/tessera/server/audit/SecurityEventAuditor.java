package eu.tessera.server.audit;

import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.stereotype.Component;

/**
 * Audits user logins and every failed authentication (users and clients). Successful client authentications
 * (every token request) are not audited: they are traffic, not events.
 */
@Component
public class SecurityEventAuditor {

    private final AuditLog audit;

    public SecurityEventAuditor(AuditLog audit) {
        this.audit = audit;
    }

    @EventListener
    public void success(AuthenticationSuccessEvent event) {
        if (event.getAuthentication() instanceof UsernamePasswordAuthenticationToken token
                && token.getPrincipal() instanceof org.springframework.security.core.userdetails.UserDetails user) {
            audit.record("login.success", user.getUsername(), user.getUsername(), Map.of("method", "password"));
        }
    }

    /**
     * A failed password login ({@code login.failure}) or a failed client authentication at the token, introspection
     * or revocation endpoint ({@code client.authentication_failure}, e.g. a wrong secret). A grant refused for an
     * authenticated client (invalid_scope, invalid_grant, a device still pending) is no security event here: it is
     * counted by error code in the metrics ({@code tessera.tokens.errors}), and device polling would otherwise write
     * a row every few seconds per waiting device.
     */
    @EventListener
    public void failure(AbstractAuthenticationFailureEvent event) {
        var authentication = event.getAuthentication();
        String name = authentication == null ? null : authentication.getName();
        String target = name == null ? null : name.length() > 128 ? name.substring(0, 128) : name;
        String reason = event.getException().getClass().getSimpleName();
        if (authentication instanceof UsernamePasswordAuthenticationToken) {
            audit.record("login.failure", "anonymous", target, Map.of("method", "password", "reason", reason));
        } else if (authentication instanceof org.springframework.security.oauth2.server.authorization.authentication
                .OAuth2ClientAuthenticationToken) {
            audit.record("client.authentication_failure", "anonymous", target, Map.of("reason", reason));
        }
    }
}
