package eu.tessera.server.api;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.ConcurrentCreates;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Concurrent duplicate creates on PostgreSQL: one 201, the rest 409 (the H2 run is in FreshStartIT). */
@TesseraIntegrationTest
class ConcurrentCreatesIT {

    @Autowired
    TesseraProperties properties;

    @Test
    void sameGroupUserAndMembershipCreatedAtOnceThenOne201AndThe409sNever500() throws Exception {
        for (int round = 0; round < 3; round++) {
            ConcurrentCreates.check(properties.issuer(), TestClients.adminToken(properties.issuer(),
                    "iam:admin.read iam:admin.write scim:read scim:write"));
        }
    }
}
