package eu.tessera.server.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses oversized protocol parameters before any endpoint parses them: a value over 8 KiB or more than
 * 64 parameters gets RFC 6749 section 5.2 {@code invalid_request} (JSON, {@code no-store}), or a 400 error page
 * for the browser-facing authorization endpoint.
 */
public final class ParameterLimitFilter extends OncePerRequestFilter {

    static final int MAX_VALUE_LENGTH = 8 * 1024;
    static final int MAX_PARAMETERS = 64;

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String problem = check(request.getParameterMap());
        if (problem == null) {
            chain.doFilter(request, response);
            return;
        }
        if (request.getRequestURI().endsWith("/authorize")) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, problem);
            return;
        }
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        response.getOutputStream().write(("{\"error\":\"invalid_request\",\"error_description\":\"" + problem + "\"}")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String check(Map<String, String[]> parameters) {
        if (parameters.size() > MAX_PARAMETERS) {
            return "too many parameters";
        }
        for (Map.Entry<String, String[]> entry : parameters.entrySet()) {
            if (entry.getKey().length() > 256) {
                return "parameter name too long";
            }
            for (String value : entry.getValue()) {
                if (value != null && value.length() > MAX_VALUE_LENGTH) {
                    return "parameter value too long";
                }
            }
        }
        return null;
    }
}
