package eu.tessera.server.login;

import eu.tessera.server.account.AccountStatusCache;
import eu.tessera.server.audit.AuditLog;
import eu.tessera.server.aup.AupEnforcementFilter;
import eu.tessera.server.aup.AupService;
import eu.tessera.server.login.mfa.MfaEnforcementFilter;
import eu.tessera.server.login.mfa.MfaService;
import java.util.Set;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.preauth.AbstractPreAuthenticatedProcessingFilter;
import org.springframework.stereotype.Component;

/**
 * What a signed-in browser session passes before a page, in this order, on both chains that serve pages: the
 * account is still usable and keeps its roles ({@link SessionAccountFilter}), the second factor was given when
 * the account has or needs one ({@link MfaEnforcementFilter}), the AUP is signed ({@link AupEnforcementFilter}).
 */
@Component
public class BrowserSessionGuards {

    /** The authorization server's pages a session reaches. */
    public static final Set<String> AUTHORIZATION_PAGES = Set.of("/authorize", "/oauth2/consent", "/device",
            "/device/verify");

    private final AccountStatusCache accounts;
    private final AuditLog audit;
    private final MfaService mfa;
    private final AupService aup;
    private final eu.tessera.server.aup.VoAupService addenda;

    public BrowserSessionGuards(AccountStatusCache accounts, AuditLog audit, MfaService mfa, AupService aup,
            eu.tessera.server.aup.VoAupService addenda) {
        this.addenda = addenda;
        this.accounts = accounts;
        this.audit = audit;
        this.mfa = mfa;
        this.aup = aup;
    }

    /** The browser pages' chain: every page (the AUP only where {@link AupEnforcementFilter} says). */
    public void pages(HttpSecurity http) {
        http.addFilterBefore(new SessionAccountFilter(accounts, audit), AuthorizationFilter.class)
                .addFilterBefore(new MfaEnforcementFilter(mfa, null), AuthorizationFilter.class)
                .addFilterAfter(new AupEnforcementFilter(aup, addenda), AuthorizationFilter.class);
    }

    /**
     * The authorization server's chain: before its endpoint filters (added later, at build, before the same
     * anchor), so that an authorization, consent or device verification waits for all three.
     */
    public void authorizationPages(HttpSecurity http) {
        http.addFilterBefore(new SessionAccountFilter(accounts, audit), AbstractPreAuthenticatedProcessingFilter.class)
                .addFilterBefore(new MfaEnforcementFilter(mfa, AUTHORIZATION_PAGES),
                        AbstractPreAuthenticatedProcessingFilter.class)
                .addFilterBefore(new AupEnforcementFilter(aup, addenda), AbstractPreAuthenticatedProcessingFilter.class);
    }
}
