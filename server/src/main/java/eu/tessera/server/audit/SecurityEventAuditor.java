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

    @EventListener
    public void failure(AbstractAuthenticationFailureEvent event) {
        String name = event.getAuthentication() == null ? null : event.getAuthentication().getName();
        audit.record("login.failure", "anonymous", name == null ? null : name.length() > 128
                ? name.substring(0, 128) : name, Map.of("reason", event.getException().getClass().getSimpleName()));
    }
}
