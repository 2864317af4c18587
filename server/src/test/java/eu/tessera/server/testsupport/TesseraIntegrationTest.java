package eu.tessera.server.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

/**
 * Boots the whole server once for all integration tests, on a real PostgreSQL server and a free loopback
 * port, with the demo VO and an admin API client. Tests speak HTTP to it ({@link TesseraHttp}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT, properties = {
        "tessera.admin.password=" + TestAccounts.ADMIN_PASSWORD,
        "tessera.admin.client-id=" + TestClients.ADMIN_ID,
        "tessera.admin.client-secret=" + TestClients.ADMIN_SECRET,
        "tessera.demo.enabled=true",
        "tessera.demo.member-password=" + TestAccounts.ALICE_PASSWORD,
        "tessera.demo.client-secret=" + TestClients.DEMO_SECRET,
        "tessera.keys.encryption-secret=integration-test-secret",
        "tessera.login.max-failures-per-account=3",
        "tessera.login.max-failures-per-address=6",
        "tessera.tokens.authorization-code-ttl=5s",
        "tessera.tokens.device-code-ttl=30s",
        "tessera.tokens.client-cache-ttl=0s",
        "tessera.introspection.clients=" + TestClients.DEMO_ID,
        "tessera.enrollment.default-groups=/escape",
        "tessera.enrollment.admin-emails=" + TestAccounts.VO_ADMINS_MAIL,
        "tessera.enrollment.aup-url=https://example.org/aup",
        "tessera.lifecycle.removal-grace=30d",
        "tessera.mfa.required-groups=" + TestAccounts.MFA_REQUIRED_GROUP,
        "logging.level.eu.tessera=info"})
@ContextConfiguration(initializers = PostgresAndPortInitializer.class)
@Import(TestClock.Config.class)
public @interface TesseraIntegrationTest {
}
