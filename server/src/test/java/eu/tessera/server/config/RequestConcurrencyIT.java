package eu.tessera.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.testsupport.TesseraIntegrationTest;
import eu.tessera.server.web.ConcurrencyLimitFilter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Arrays;
import java.util.concurrent.ThreadPoolExecutor;
import org.apache.catalina.Context;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

/**
 * The running server: a request thread per connection up to 64, open connections capped for the heap, and
 * the protocol endpoints behind the fair concurrency bound (4 per core by default), ahead of Spring Security.
 */
@TesseraIntegrationTest
class RequestConcurrencyIT {

    @Autowired
    WebServerApplicationContext context;

    @Autowired
    MeterRegistry meters;

    private TomcatWebServer server() {
        return (TomcatWebServer) context.getWebServer();
    }

    @Test
    void requestThreadsWhenNotConfiguredThenOnePerConnectionUpTo64() {
        Object executor = server().getTomcat().getConnector().getProtocolHandler().getExecutor();
        int max = executor instanceof ThreadPoolExecutor pool ? pool.getMaximumPoolSize()
                : ((org.apache.tomcat.util.threads.ThreadPoolExecutor) executor).getMaximumPoolSize();
        assertThat(max).isEqualTo(64);
    }

    @Test
    void openConnectionsWhenNotConfiguredThenCappedForTheHeap() {
        assertThat(server().getTomcat().getConnector().getProperty("maxConnections")).isEqualTo(512);
    }

    @Test
    void protocolEndpointsWhenServedThenBehindTheConcurrencyBoundBeforeSpringSecurity() {
        Context servlets = (Context) server().getTomcat().getHost().findChildren()[0];
        FilterMap[] maps = servlets.findFilterMaps();
        FilterMap bound = Arrays.stream(maps).filter(map -> map.getFilterName().equals("concurrencyLimitFilter"))
                .findFirst().orElseThrow();
        assertThat(bound.getURLPatterns()).containsExactlyInAnyOrder("/token", "/devicecode", "/introspect",
                "/revoke", "/userinfo");
        int position = Arrays.asList(maps).indexOf(bound);
        int security = Arrays.asList(maps).indexOf(Arrays.stream(maps)
                .filter(map -> map.getFilterName().equals("springSecurityFilterChain")).findFirst().orElseThrow());
        assertThat(position).isLessThan(security);
        ConcurrencyLimitFilter filter = (ConcurrencyLimitFilter) context.getBean("concurrencyLimitFilter",
                FilterRegistrationBean.class).getFilter();
        assertThat(filter.concurrency()).isEqualTo(4 * Runtime.getRuntime().availableProcessors());
        assertThat(meters.get("tessera.requests.waiting").gauge()).isNotNull();
        assertThat(meters.get("tessera.requests.refused").counter().count()).isZero();
    }
}
