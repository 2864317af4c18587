package eu.tessera.server.oauth2.exchange;

import eu.tessera.policy.InvalidScopeException;
import eu.tessera.policy.scope.ClientScopeMatcher;
import eu.tessera.policy.scope.WlcgScope;
import eu.tessera.server.account.AccountStatusCache;
import eu.tessera.server.oauth2.token.AccessTokenVerifier;
import eu.tessera.server.oauth2.token.TokenIssuer;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.token.DefaultOAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

/**
 * Token exchange (RFC 8693) so services act for users (Rucio -> FTS -> storage). The subject token is any valid
 * access token of this issuer, validated like every other (signature, expiry, deny-list, account and client
 * still active), not looked up. Impersonation by default; with {@code actor_token}, delegation: {@code act}
 * names the actor, nesting the subject token's {@code act} (section 4.1); {@code may_act} is honoured (4.4).
 * Granted scopes must be covered by the subject token's (a storage path may narrow, never widen) and by the
 * exchanging client's registration; without {@code scope}, the subject's scopes within the client's.
 * {@code offline_access} yields a refresh token bound to the exchanging client, never to the subject's own
 * client (which would extend its refresh chain).
 */
public final class TokenExchangeAuthenticationProvider implements AuthenticationProvider {

    public static final String GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
    public static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
    static final String JWT_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:jwt";
    public static final String REFRESH_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:refresh_token";
    private static final Set<String> ACCEPTED_SUBJECT_TYPES = Set.of(ACCESS_TOKEN_TYPE, JWT_TOKEN_TYPE);

    private final AccessTokenVerifier verifier;
    private final RegisteredClientRepository clients;
    private final AccountStatusCache accounts;
    private final OAuth2AuthorizationService authorizations;
    private final OAuth2TokenGenerator<? extends OAuth2Token> tokens;
    private final ExchangePolicyService exchangePolicies;

    public TokenExchangeAuthenticationProvider(AccessTokenVerifier verifier, RegisteredClientRepository clients,
            AccountStatusCache accounts, OAuth2AuthorizationService authorizations,
            OAuth2TokenGenerator<? extends OAuth2Token> tokens, ExchangePolicyService exchangePolicies) {
        this.exchangePolicies = exchangePolicies;
        this.verifier = verifier;
        this.clients = clients;
        this.accounts = accounts;
        this.authorizations = authorizations;
        this.tokens = tokens;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        OAuth2TokenExchangeAuthenticationToken request = (OAuth2TokenExchangeAuthenticationToken) authentication;
        if (!(request.getPrincipal() instanceof OAuth2ClientAuthenticationToken client) || !client.isAuthenticated()) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
        }
        RegisteredClient registered = client.getRegisteredClient();
        if (!registered.getAuthorizationGrantTypes().contains(AuthorizationGrantType.TOKEN_EXCHANGE)) {
            throw error(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT, "the client may not exchange tokens");
        }
        // section 2.1 requested_token_type: an access token (default) or a refresh token
        boolean wantsRefreshToken = REFRESH_TOKEN_TYPE.equals(request.getRequestedTokenType());
        if (!ACCESS_TOKEN_TYPE.equals(request.getRequestedTokenType()) && !wantsRefreshToken) {
            throw error(OAuth2ErrorCodes.INVALID_REQUEST, "requested_token_type must be " + ACCESS_TOKEN_TYPE
                    + " or " + REFRESH_TOKEN_TYPE);
        }
        // section 2.2.2: an invalid subject or actor token is invalid_request
        if (!ACCEPTED_SUBJECT_TYPES.contains(request.getSubjectTokenType())) {
            throw error(OAuth2ErrorCodes.INVALID_REQUEST, "subject_token_type must be an access token or JWT");
        }
        AccessTokenVerifier.VerifiedToken subject = valid(request.getSubjectToken(), "subject_token");
        Optional<AccessTokenVerifier.VerifiedToken> actor = Optional.empty();
        if (request.getActorToken() != null) {
            if (!ACCEPTED_SUBJECT_TYPES.contains(request.getActorTokenType())) {
                throw error(OAuth2ErrorCodes.INVALID_REQUEST, "actor_token_type must be an access token or JWT");
            }
            actor = Optional.of(valid(request.getActorToken(), "actor_token"));
        }
        // exchange policies: may this client exchange tokens issued to the subject token's client?
        if (!exchangePolicies.permits(clients.findByClientId(subject.clientId()), registered, subject.subject())) {
            throw error(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT,
                    "the exchange policies do not let this client exchange tokens of " + subject.clientId());
        }
        String actorSubject = actor.map(AccessTokenVerifier.VerifiedToken::subject).orElse(registered.getClientId());
        if (subject.claims().get("may_act") instanceof Map<?, ?> mayAct && mayAct.get("sub") != null
                && !actorSubject.equals(String.valueOf(mayAct.get("sub")))) {
            throw error(OAuth2ErrorCodes.INVALID_REQUEST, "the subject token's may_act does not name this actor");
        }

        Set<String> scopes = grantedScopes(request, subject, registered);
        boolean offline = scopes.contains("offline_access");
        if (wantsRefreshToken && (!offline
                || !registered.getAuthorizationGrantTypes().contains(AuthorizationGrantType.REFRESH_TOKEN)
                || subject.subject().equals(subject.clientId()))) {
            throw error(OAuth2ErrorCodes.INVALID_REQUEST, "a refresh token needs a user's subject token, the "
                    + "offline_access scope and a client registered for the refresh_token grant");
        }
        if (offline && registered.getClientId().equals(subject.clientId())) {
            throw error(OAuth2ErrorCodes.INVALID_REQUEST,
                    "a client cannot exchange its own token for offline access (it would extend the refresh chain)");
        }
        boolean user = !subject.subject().equals(subject.clientId());

        Map<String, Object> act = null;
        Map<String, Object> previous = subject.claims().get("act") instanceof Map<?, ?> map ? copy(map) : null;
        if (actor.isPresent()) {
            // delegation (section 4.1): the actor, with the chain so far nested below it
            act = new LinkedHashMap<>();
            act.put("sub", actor.get().subject());
            if (previous != null) {
                act.put("act", previous);
            }
        } else {
            // impersonation: the chain so far (if any) stays visible
            act = previous;
        }
        Authentication principal = principalFor(subject.subject());

        DefaultOAuth2TokenContext.Builder context = DefaultOAuth2TokenContext.builder()
                .registeredClient(registered)
                .principal(principal)
                .authorizationServerContext(AuthorizationServerContextHolder.getContext())
                .authorizedScopes(scopes)
                .authorizationGrantType(AuthorizationGrantType.TOKEN_EXCHANGE)
                .authorizationGrant(request);
        OAuth2Authorization.Builder authorization = OAuth2Authorization.withRegisteredClient(registered)
                .principalName(subject.subject())
                .authorizationGrantType(AuthorizationGrantType.TOKEN_EXCHANGE)
                .authorizedScopes(scopes)
                .attribute(Principal.class.getName(), principal)
                .attribute(TokenExchangeFacts.ATTRIBUTE, new TokenExchangeFacts(act, audiences(request)));
        context.authorization(authorization.build());

        TokenIssuer.Issued issued = new TokenIssuer(tokens).issue(context, authorization, scopes, offline && user
                && registered.getAuthorizationGrantTypes().contains(AuthorizationGrantType.REFRESH_TOKEN), null, false);
        OAuth2AccessToken accessToken = issued.accessToken();
        OAuth2RefreshToken refreshToken = issued.refreshToken();
        if (refreshToken != null) {
            // a refresh family bound to the exchanging client
            authorizations.save(authorization.build());
        }
        if (wantsRefreshToken) {
            if (refreshToken == null) {
                throw error(OAuth2ErrorCodes.SERVER_ERROR, "could not generate the refresh token");
            }
            // section 2.2.1: the issued token goes in access_token whatever its type; token_type stays Bearer
            // because common clients (openid-client) reject N_A
            OAuth2AccessToken asIssued = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER,
                    refreshToken.getTokenValue(), refreshToken.getIssuedAt(), refreshToken.getExpiresAt(), scopes);
            return new OAuth2AccessTokenAuthenticationToken(registered, client, asIssued, null,
                    Map.of(OAuth2ParameterNames.ISSUED_TOKEN_TYPE, REFRESH_TOKEN_TYPE));
        }
        Map<String, Object> additional = Map.of(OAuth2ParameterNames.ISSUED_TOKEN_TYPE, ACCESS_TOKEN_TYPE);
        return new OAuth2AccessTokenAuthenticationToken(registered, client, accessToken, refreshToken, additional);
    }

    private AccessTokenVerifier.VerifiedToken valid(String token, String parameter) {
        AccessTokenVerifier.VerifiedToken verified = verifier.verify(token)
                .orElseThrow(() -> error(OAuth2ErrorCodes.INVALID_REQUEST, parameter + " is not a valid token"));
        if (clients.findByClientId(verified.clientId()) == null) {
            throw error(OAuth2ErrorCodes.INVALID_REQUEST, parameter + " was issued to a client no longer active");
        }
        if (!verified.subject().equals(verified.clientId())
                && !accounts.status(verified.subject()).map(AccountStatusCache.AccountStatus::usable).orElse(false)) {
            throw error(OAuth2ErrorCodes.INVALID_REQUEST, parameter + " belongs to an account that is not active");
        }
        return verified;
    }

    private static Set<String> grantedScopes(OAuth2TokenExchangeAuthenticationToken request,
            AccessTokenVerifier.VerifiedToken subject, RegisteredClient registered) {
        ClientScopeMatcher subjectScopes = ClientScopeMatcher.of(subject.scopes());
        ClientScopeMatcher clientScopes = ClientScopeMatcher.of(registered.getScopes());
        Set<String> granted = new LinkedHashSet<>();
        if (request.getScopes().isEmpty()) {
            for (String scope : subject.scopes()) {
                if (clientScopes.covers(parse(scope))) {
                    granted.add(scope);
                }
            }
            return granted;
        }
        for (String scope : request.getScopes()) {
            WlcgScope parsed = parse(scope);
            if (!subjectScopes.covers(parsed)) {
                throw error(OAuth2ErrorCodes.INVALID_SCOPE, "not covered by the subject token: " + scope);
            }
            if (!clientScopes.covers(parsed)) {
                throw error(OAuth2ErrorCodes.INVALID_SCOPE, "not registered for this client: " + scope);
            }
            granted.add(scope);
        }
        return granted;
    }

    private static WlcgScope parse(String scope) {
        try {
            return WlcgScope.parse(scope);
        } catch (InvalidScopeException e) {
            throw error(OAuth2ErrorCodes.INVALID_SCOPE, e.getMessage());
        }
    }

    private static List<String> audiences(OAuth2TokenExchangeAuthenticationToken request) {
        Set<String> audiences = new LinkedHashSet<>();
        request.getAudiences().forEach(a -> audiences.addAll(List.of(a.trim().split(" +"))));
        audiences.addAll(request.getResources());
        audiences.remove("");
        return List.copyOf(audiences);
    }

    private static Map<String, Object> copy(Map<?, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    private static Authentication principalFor(String subject) {
        User user = new User(subject, "", List.of());
        return UsernamePasswordAuthenticationToken.authenticated(user, null, List.of());
    }

    static OAuth2AuthenticationException error(String code, String description) {
        return new OAuth2AuthenticationException(new OAuth2Error(code, description, null));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return OAuth2TokenExchangeAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
