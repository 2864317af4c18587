package eu.tessera.server.oauth2.authorization;

import java.security.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import eu.tessera.server.oauth2.exchange.TokenExchangeFacts;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON form of an authorization's attributes: the authorization request, the consent state, the user and an
 * exchanged family's {@code act} and audiences.
 * Only plain values are written (no polymorphic deserialization of stored data); the user comes back as a
 * principal with the same name and authorities.
 */
final class AuthorizationAttributes {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String REQUEST = OAuth2AuthorizationRequest.class.getName();
    private static final String PRINCIPAL = Principal.class.getName();
    private static final String EXCHANGE = TokenExchangeFacts.ATTRIBUTE;

    private AuthorizationAttributes() {
    }

    static String write(Map<String, Object> attributes) {
        Map<String, Object> out = new LinkedHashMap<>();
        attributes.forEach((key, value) -> {
            if (value instanceof OAuth2AuthorizationRequest request) {
                out.put(key, requestToMap(request));
            } else if (value instanceof TokenExchangeFacts facts) {
                // an exchanged family's act and aud, which its refreshed tokens keep
                Map<String, Object> map = new LinkedHashMap<>();
                map.put("act", facts.act());
                map.put("audiences", facts.audiences());
                out.put(key, map);
            } else if (value instanceof Authentication authentication) {
                Map<String, Object> principal = new LinkedHashMap<>();
                principal.put("name", authentication.getName());
                principal.put("authorities", authentication.getAuthorities().stream()
                        .map(GrantedAuthority::getAuthority).toList());
                // authentication factors carry the login time, which becomes auth_time in ID tokens
                Map<String, Object> factors = new LinkedHashMap<>();
                for (GrantedAuthority authority : authentication.getAuthorities()) {
                    if (authority instanceof FactorGrantedAuthority factor) {
                        factors.put(factor.getAuthority(), factor.getIssuedAt().toEpochMilli());
                    }
                }
                principal.put("factors", factors);
                out.put(key, principal);
            } else if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                out.put(key, value);
            } else if (value instanceof Collection<?> collection) {
                out.put(key, collection.stream().map(String::valueOf).toList());
            }
        });
        return JSON.writeValueAsString(out);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> read(String json) {
        Map<String, Object> raw = JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
        Map<String, Object> attributes = new LinkedHashMap<>();
        raw.forEach((key, value) -> {
            if (key.equals(REQUEST) && value instanceof Map<?, ?> map) {
                attributes.put(key, requestFromMap((Map<String, Object>) map));
            } else if (key.equals(EXCHANGE) && value instanceof Map<?, ?> raw3) {
                Map<String, Object> map = (Map<String, Object>) raw3;
                List<String> audiences = map.get("audiences") instanceof List<?> list
                        ? list.stream().map(String::valueOf).toList() : List.of();
                attributes.put(key, new TokenExchangeFacts((Map<String, Object>) map.get("act"), audiences));
            } else if (key.equals(PRINCIPAL) && value instanceof Map<?, ?> raw2) {
                Map<String, Object> map = (Map<String, Object>) raw2;
                String name = (String) map.get("name");
                List<GrantedAuthority> authorities = new ArrayList<>();
                Map<String, Object> factors = (Map<String, Object>) map.getOrDefault("factors", Map.of());
                for (Object authority : (List<Object>) map.get("authorities")) {
                    Object issuedAt = factors.get(authority);
                    authorities.add(issuedAt instanceof Number millis
                            ? FactorGrantedAuthority.withAuthority((String) authority)
                                    .issuedAt(Instant.ofEpochMilli(millis.longValue())).build()
                            : new SimpleGrantedAuthority((String) authority));
                }
                User user = new User(name, "", authorities);
                attributes.put(key, UsernamePasswordAuthenticationToken.authenticated(user, null, authorities));
            } else if (value instanceof List<?> list) {
                // collections written by the server are sets of strings (e.g. the device flow's scopes)
                attributes.put(key, new LinkedHashSet<>(list.stream().map(String::valueOf).toList()));
            } else {
                attributes.put(key, value);
            }
        });
        return attributes;
    }

    private static Map<String, Object> requestToMap(OAuth2AuthorizationRequest request) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("authorizationUri", request.getAuthorizationUri());
        map.put("clientId", request.getClientId());
        map.put("redirectUri", request.getRedirectUri());
        map.put("scopes", new ArrayList<>(request.getScopes()));
        map.put("state", request.getState());
        map.put("additionalParameters", plain(request.getAdditionalParameters()));
        map.put("attributes", plain(request.getAttributes()));
        return map;
    }

    private static Map<String, Object> plain(Map<String, Object> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            if (value instanceof String[] array) {
                out.put(key, List.of(array));
            } else if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                out.put(key, value);
            } else if (value instanceof Collection<?> collection) {
                out.put(key, collection.stream().map(String::valueOf).toList());
            }
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    private static OAuth2AuthorizationRequest requestFromMap(Map<String, Object> map) {
        Map<String, Object> additional = new LinkedHashMap<>();
        ((Map<String, Object>) map.getOrDefault("additionalParameters", Map.of())).forEach((key, value) ->
                additional.put(key, value instanceof List<?> list ? list.stream().map(String::valueOf)
                        .toArray(String[]::new) : value));
        return OAuth2AuthorizationRequest.authorizationCode()
                .authorizationUri((String) map.get("authorizationUri"))
                .clientId((String) map.get("clientId"))
                .redirectUri((String) map.get("redirectUri"))
                .scopes(new LinkedHashSet<>((List<String>) map.getOrDefault("scopes", List.of())))
                .state((String) map.get("state"))
                .additionalParameters(additional)
                .attributes(attrs -> attrs.putAll((Map<String, Object>) map.getOrDefault("attributes", Map.of())))
                .build();
    }
}
