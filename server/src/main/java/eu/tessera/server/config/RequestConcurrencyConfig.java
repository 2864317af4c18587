package eu.tessera.server.config;

import eu.tessera.server.web.ConcurrencyLimitFilter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Bounds the protocol requests that run at once ({@code tessera.requests.*}, {@link ConcurrencyLimitFilter}): the
 * endpoints machines call at high rates and whose work is CPU and database only. Pages, SCIM and the admin API are
 * not bounded: some wait on other servers (external identity providers, an import from INDIGO IAM).
 */
@Configuration(proxyBeanMethods = false)
public class RequestConcurrencyConfig {

    /** The endpoints bounded. */
    public static final List<String> BOUNDED = List.of(AuthorizationServerConfig.TOKEN,
            AuthorizationServerConfig.DEVICE_AUTHORIZATION, AuthorizationServerConfig.INTROSPECT,
            AuthorizationServerConfig.REVOKE, AuthorizationServerConfig.USERINFO);

    @Bean
    FilterRegistrationBean<ConcurrencyLimitFilter> concurrencyLimitFilter(TesseraProperties properties,
            MeterRegistry meters) {
        TesseraProperties.Requests requests = properties.requests();
        FilterRegistrationBean<ConcurrencyLimitFilter> registration = new FilterRegistrationBean<>(
                new ConcurrencyLimitFilter(requests.effectiveConcurrency(Runtime.getRuntime().availableProcessors()),
                        requests.maxWait(), meters));
        registration.setUrlPatterns(BOUNDED);
        // after the HTTP observation filter (HIGHEST_PRECEDENCE + 1), so that the latency histogram includes the wait;
        // before Spring Security, so that its work waits too
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return registration;
    }
}
