package eu.tessera.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.testsupport.TesseraIntegrationTest;
import java.util.concurrent.ThreadPoolExecutor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

/** The running server's request threads and open connections are the bounded defaults, not Tomcat's 200 and 8,192. */
@TesseraIntegrationTest
class RequestThreadsIT {

    @Autowired
    WebServerApplicationContext context;

    @Test
    void requestThreadsWhenNotConfiguredThenBoundedByTheCores() {
        TomcatWebServer server = (TomcatWebServer) context.getWebServer();
        Object executor = server.getTomcat().getConnector().getProtocolHandler().getExecutor();
        int max = executor instanceof ThreadPoolExecutor pool ? pool.getMaximumPoolSize()
                : ((org.apache.tomcat.util.threads.ThreadPoolExecutor) executor).getMaximumPoolSize();
        assertThat(max).isEqualTo(RequestThreadsDefault.threads(Runtime.getRuntime().availableProcessors()));
    }

    @Test
    void openConnectionsWhenNotConfiguredThenCappedForTheHeap() {
        TomcatWebServer server = (TomcatWebServer) context.getWebServer();
        assertThat(server.getTomcat().getConnector().getProperty("maxConnections")).isEqualTo(512);
    }
}
