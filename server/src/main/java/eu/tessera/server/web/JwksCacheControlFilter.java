package eu.tessera.server.web;

import eu.tessera.server.config.AuthorizationServerConfig;
import eu.tessera.server.config.TesseraProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets relying parties cache the JWKS (WLCG profile section 4.2: serve cache headers on the key set).
 * The next key is published ahead of use, so a cached copy stays valid across a rotation.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class JwksCacheControlFilter extends OncePerRequestFilter {

    private final String header;

    public JwksCacheControlFilter(TesseraProperties properties) {
        this.header = "public, max-age=" + properties.keys().jwksMaxAge().toSeconds();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !AuthorizationServerConfig.JWKS.equals(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("Cache-Control", header);
        chain.doFilter(request, response);
    }
}
