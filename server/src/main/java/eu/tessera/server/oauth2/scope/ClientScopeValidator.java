package eu.tessera.server.oauth2.scope;

import eu.tessera.policy.GroupNotEntitledException;
import eu.tessera.policy.InvalidScopeException;
import eu.tessera.policy.scope.ClientScopeMatcher;
import eu.tessera.policy.scope.WlcgGroupSelector;
import eu.tessera.policy.scope.WlcgScope;
import eu.tessera.server.group.GroupDirectory;
import eu.tessera.server.group.GroupMemberships;
import java.util.Collection;
import java.util.List;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;
import org.springframework.stereotype.Component;

/**
 * Scope checks of the token and authorization endpoints (RFC 6749 section 3.3): every requested scope must be
 * covered by a registered one, storage paths narrowed per component (WLCG profile v1.3 section 2.2.1); in the
 * code flow a group the user is not a member of is {@code access_denied} (WLCG profile v1.3 section 3.1).
 */
@Component
public class ClientScopeValidator {

    private final GroupDirectory groups;

    public ClientScopeValidator(GroupDirectory groups) {
        this.groups = groups;
    }

    /** For the client credentials grant: {@code invalid_scope} in RFC 6749 section 5.2 JSON. */
    public void validate(OAuth2ClientCredentialsAuthenticationContext context) {
        try {
            OAuth2ClientCredentialsAuthenticationToken request = context.getAuthentication();
            for (WlcgScope scope : ClientScopeMatcher.of(context.getRegisteredClient().getScopes())
                    .grant(request.getScopes())) {
                if (scope instanceof eu.tessera.policy.scope.CapabilitySetScope) {
                    throw new InvalidScopeException(scope.value(), "capability sets are for users, whose groups "
                            + "they depend on");
                }
            }
        } catch (InvalidScopeException e) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_SCOPE, e.getMessage(), null));
        }
    }

    /** For the authorization endpoint: errors redirected to the client (RFC 6749 section 4.1.2.1). */
    public void validate(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        Collection<String> requested = request.getScopes();
        List<WlcgScope> granted;
        try {
            granted = ClientScopeMatcher.of(context.getRegisteredClient().getScopes()).grant(requested);
        } catch (InvalidScopeException e) {
            throw redirectError(OAuth2ErrorCodes.INVALID_SCOPE, e.getMessage(), request, context);
        }
        if (request.getPrincipal() instanceof Authentication user && user.isAuthenticated()
                && !(user instanceof AnonymousAuthenticationToken)) {
            GroupMemberships memberships = groups.membershipsOf(user.getName());
            try {
                WlcgGroupSelector.select(granted, memberships.defaultGroups(), memberships.entitledGroups());
            } catch (GroupNotEntitledException e) {
                throw redirectError(OAuth2ErrorCodes.ACCESS_DENIED, "not a member of the requested group " + e.group(),
                        request, context);
            }
            // WLCG profile section 3.3: one capability set of a group the user is not in is access_denied; of several
            // (a client asking for every listed scope, as oidc-agent's --scope max does) those are left out instead
            List<eu.tessera.policy.scope.CapabilitySetScope> sets = granted.stream()
                    .filter(s -> s instanceof eu.tessera.policy.scope.CapabilitySetScope set && set.group() != null)
                    .map(s -> (eu.tessera.policy.scope.CapabilitySetScope) s).toList();
            if (sets.size() == 1 && !memberships.entitledGroups().contains(sets.get(0).group())) {
                throw redirectError(OAuth2ErrorCodes.ACCESS_DENIED, "not a member of " + sets.get(0).group()
                        + ", whose capability set was requested", request, context);
            }
        }
    }

    private static OAuth2AuthorizationCodeRequestAuthenticationException redirectError(String code, String description,
            OAuth2AuthorizationCodeRequestAuthenticationToken request,
            OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        String redirectUri = request.getRedirectUri() != null ? request.getRedirectUri()
                : context.getRegisteredClient().getRedirectUris().iterator().next();
        OAuth2AuthorizationCodeRequestAuthenticationToken result = new OAuth2AuthorizationCodeRequestAuthenticationToken(
                request.getAuthorizationUri(), request.getClientId(), (Authentication) request.getPrincipal(),
                redirectUri, request.getState(), request.getScopes(), request.getAdditionalParameters());
        result.setAuthenticated(true);
        return new OAuth2AuthorizationCodeRequestAuthenticationException(new OAuth2Error(code, description, null), result);
    }
}
