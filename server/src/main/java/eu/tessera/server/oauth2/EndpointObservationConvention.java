package eu.tessera.server.oauth2;

import io.micrometer.common.KeyValue;
import java.util.Set;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * Names the protocol endpoints in {@code http.server.requests}. Spring's authorization server answers them in
 * servlet filters, before any controller, so Spring's default tags them {@code uri="UNKNOWN"} (or
 * {@code REDIRECTION}) and the latency of {@code /token} could not be told from the rest. Their paths are fixed, so
 * naming them adds a bounded set of series.
 */
public final class EndpointObservationConvention extends DefaultServerRequestObservationConvention {

    private final Set<String> endpoints;

    public EndpointObservationConvention(Set<String> endpoints) {
        this.endpoints = Set.copyOf(endpoints);
    }

    @Override
    protected KeyValue uri(ServerRequestObservationContext context) {
        KeyValue uri = super.uri(context);
        if (context.getCarrier() != null && (uri.getValue().equals("UNKNOWN") || uri.getValue().equals("REDIRECTION"))) {
            String path = context.getCarrier().getRequestURI().substring(context.getCarrier().getContextPath().length());
            if (endpoints.contains(path)) {
                return KeyValue.of(uri.getKey(), path);
            }
        }
        return uri;
    }
}
