package eu.tessera.server.api;

import eu.tessera.server.TesseraApplication;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.ConcurrentCreates;
import eu.tessera.server.testsupport.PostgresAndPortInitializer;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * Concurrent duplicate creates on PostgreSQL: one 201, the rest 409, on one instance and spread over two instances
 * of the same issuer on the same database, as behind a load balancer (the H2 run is in FreshStartIT).
 */
@TesseraIntegrationTest
class ConcurrentCreatesIT {

    @Autowired
    TesseraProperties properties;
    @Autowired
    Environment environment;

    private String adminToken() {
        return TestClients.adminToken(properties.issuer(), "iam:admin.read iam:admin.write scim:read scim:write");
    }

    @Test
    void sameGroupUserAndMembershipCreatedAtOnceThenOne201AndThe409sNever500() throws Exception {
        for (int round = 0; round < 3; round++) {
            ConcurrentCreates.check(properties.issuer(), adminToken());
        }
    }

    @Test
    void sameCreatesSpreadOverTwoInstancesOfOneDatabaseThenOne201AndThe409s() throws Exception {
        int port = PostgresAndPortInitializer.freePort();
        try (ConfigurableApplicationContext second = new SpringApplicationBuilder(TesseraApplication.class).run(
                "--server.port=" + port, "--server.address=127.0.0.1", "--tessera.issuer=" + properties.issuer(),
                "--spring.datasource.url=" + environment.getProperty("spring.datasource.url"),
                "--spring.datasource.username=postgres", "--spring.datasource.password=",
                "--tessera.keys.encryption-secret=integration-test-secret",
                "--tessera.admin.client-id=" + TestClients.ADMIN_ID,
                "--tessera.admin.client-secret=" + TestClients.ADMIN_SECRET)) {
            for (int round = 0; round < 3; round++) {
                ConcurrentCreates.check(List.of(properties.issuer(), "http://127.0.0.1:" + port), adminToken());
            }
        }
    }
}
