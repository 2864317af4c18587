package eu.tessera.server.oauth2.exchange;

import java.util.List;
import java.util.Map;

/**
 * What a token exchange adds to the issued token: the {@code act} claim (RFC 8693 section 4.1; null for none)
 * and the requested audiences ({@code audience} and {@code resource}, section 2.1).
 */
public record TokenExchangeFacts(Map<String, Object> act, List<String> audiences) {

    /** Authorization attribute that carries the facts to the token customizer. */
    public static final String ATTRIBUTE = TokenExchangeFacts.class.getName();
}
