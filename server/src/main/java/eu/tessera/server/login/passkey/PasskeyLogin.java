package eu.tessera.server.login.passkey;

import eu.tessera.server.account.AccountStatusCache;
import eu.tessera.server.audit.AuditLog;
import eu.tessera.server.login.local.AccountUserDetails;
import eu.tessera.server.login.mfa.SecondFactor;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.authentication.WebAuthnAuthenticationRequestToken;
import org.springframework.security.web.webauthn.management.WebAuthnRelyingPartyOperations;

/**
 * A passkey login ({@code POST /login/webauthn}): the assertion is verified by webauthn4j (origin, RP id hash,
 * challenge, signature, counter) through Spring Security's relying party; the session then holds the account as
 * every other login does (principal = account id, roles, factors). A session already signed in to the same account
 * gains the passkey as its second factor; otherwise the passkey is the first factor (passwordless), and counts as two
 * when the authenticator verified the user (PIN or biometrics: the UV flag of the signed authenticator data).
 */
public class PasskeyLogin implements AuthenticationProvider, AuthenticationSuccessHandler, AuthenticationFailureHandler {

    /** The authenticator verified the user (WebAuthn UV flag): a second factor within the passkey. */
    public static final String USER_VERIFIED_AUTHORITY = "FACTOR_WEBAUTHN_USER_VERIFIED";
    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder()
            .build();
    private static final int FLAGS_OFFSET = 32;   // after the 32-byte RP id hash (WebAuthn section 6.1)
    private static final int FLAG_UV = 0x04;

    private final WebAuthnRelyingPartyOperations relyingParty;
    private final PasskeyUsers users;
    private final AccountStatusCache accounts;
    private final AuditLog audit;
    private final Clock clock;

    public PasskeyLogin(WebAuthnRelyingPartyOperations relyingParty, PasskeyUsers users, AccountStatusCache accounts,
            AuditLog audit, Clock clock) {
        this.relyingParty = relyingParty;
        this.users = users;
        this.accounts = accounts;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return WebAuthnAuthenticationRequestToken.class.isAssignableFrom(authentication);
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        WebAuthnAuthenticationRequestToken token = (WebAuthnAuthenticationRequestToken) authentication;
        PublicKeyCredentialUserEntity user;
        try {
            user = relyingParty.authenticate(token.getWebAuthnRequest());
        } catch (RuntimeException e) {
            // webauthn4j's reason (bad origin, bad RP id, bad signature, unknown credential) goes to the audit log
            throw new BadCredentialsException(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        String accountId = users.accountOf(user.getId())
                .orElseThrow(() -> new BadCredentialsException("no account has this passkey"));
        AccountStatusCache.AccountStatus status = accounts.status(accountId)
                .filter(AccountStatusCache.AccountStatus::usable)
                .orElseThrow(() -> new BadCredentialsException("the account is not active"));
        byte[] data = token.getWebAuthnRequest().getPublicKey().getResponse().getAuthenticatorData().getBytes();
        boolean userVerified = data.length > FLAGS_OFFSET && (data[FLAGS_OFFSET] & FLAG_UV) != 0;

        Authentication current = SecurityContextHolder.getContext().getAuthentication();
        boolean secondFactor = current != null && current.isAuthenticated()
                && current.getPrincipal() instanceof AccountUserDetails && accountId.equals(current.getName());
        List<GrantedAuthority> authorities = new ArrayList<>();
        Object principal;
        if (secondFactor) {
            authorities.addAll(current.getAuthorities());
            principal = current.getPrincipal();
        } else {
            authorities.addAll(eu.tessera.server.account.AccountRoles.sessionRoles(status.admin(), status.reader()));
        }
        var now = clock.instant();
        authorities.add(FactorGrantedAuthority.withAuthority(FactorGrantedAuthority.WEBAUTHN_AUTHORITY).issuedAt(now)
                .build());
        if (userVerified) {
            authorities.add(FactorGrantedAuthority.withAuthority(USER_VERIFIED_AUTHORITY).issuedAt(now).build());
        }
        principal = secondFactor ? current.getPrincipal()
                : new AccountUserDetails(accountId, status.username(), "", true, authorities);
        UsernamePasswordAuthenticationToken result = UsernamePasswordAuthenticationToken.authenticated(principal,
                null, authorities);
        result.setDetails(Map.of("secondFactor", secondFactor, "userVerified", userVerified));
        return result;
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
            Authentication authentication) throws IOException {
        Map<?, ?> details = authentication.getDetails() instanceof Map<?, ?> map ? map : Map.of();
        String account = authentication.getName();
        if (Boolean.TRUE.equals(details.get("secondFactor"))) {
            audit.record("mfa.verified", account, account, Map.of("method", "passkey"));
        } else {
            audit.record("login.success", account, account, Map.of("method", "passkey", "userVerified",
                    details.get("userVerified")));
        }
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        JSON.writeValue(response.getWriter(), Map.of("authenticated", true, "redirectUrl",
                SecondFactor.resume(request, response)));
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException exception) throws IOException {
        Authentication current = SecurityContextHolder.getContext().getAuthentication();
        String account = current != null && current.getPrincipal() instanceof AccountUserDetails ? current.getName()
                : null;
        String reason = exception.getMessage() == null ? "refused" : exception.getMessage();
        audit.record("login.failure", account == null ? "anonymous" : account, account, Map.of("method", "passkey",
                "reason", reason.length() > 300 ? reason.substring(0, 300) : reason));
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        JSON.writeValue(response.getWriter(), Map.of("authenticated", false, "error", "the passkey was not accepted"));
    }
}
