package eu.tessera.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.TesseraApplication;
import eu.tessera.server.testsupport.ConcurrentCreates;
import eu.tessera.server.testsupport.PostgresAndPortInitializer;
import eu.tessera.server.testsupport.TesseraHttp;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A fresh instance (new H2 database: keys, admin account and admin client all created at this start) is asked for a
 * token from the first moment its port accepts a connection, as an orchestrator or script that waits for the port
 * would: the first answer is already a token, never {@code invalid_client}, and the readiness probe is UP only once
 * the start is complete. On that H2 instance with the defaults (mail off): concurrent duplicate creates answer one
 * 201 and 409s; registration says it needs mail instead of promising a link nobody sends; the admin account has the
 * email given by {@code tessera.admin.email}.
 */
class FreshStartIT {

    @Test
    void freshStartWhenThePortFirstAcceptsThenTheAdminClientAlreadyGetsTokens() throws Exception {
        Path dir = Files.createTempDirectory("tessera-bootstrap");
        int port = PostgresAndPortInitializer.freePort();
        String issuer = "http://127.0.0.1:" + port;
        CompletableFuture<ConfigurableApplicationContext> started = CompletableFuture.supplyAsync(() ->
                new SpringApplicationBuilder(TesseraApplication.class).run("--server.port=" + port,
                        "--server.address=127.0.0.1", "--tessera.issuer=" + issuer,
                        "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("tessera")
                                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                        "--tessera.keys.encryption-secret=bootstrap-test-secret",
                        "--tessera.admin.password=bootstrap-admin-password", "--tessera.admin.client-id=boot-admin",
                        "--tessera.admin.client-secret=boot-admin-secret", "--tessera.demo.enabled=true",
                        "--tessera.admin.email=vo-ops@example.org"));
        List<Integer> statuses = new ArrayList<>();
        try {
            long deadline = System.currentTimeMillis() + 120_000;
            while (!portOpen(port)) {
                assertThat(System.currentTimeMillis()).as("the port never opened").isLessThan(deadline);
                assertThat(started).as("the start failed").matches(f -> !f.isCompletedExceptionally());
                Thread.sleep(5);
            }
            TesseraHttp http = TesseraHttp.to(issuer);
            // the very first requests, while the start may still be finishing
            for (int i = 0; i < 20; i++) {
                TesseraHttp.Response token = http.token("boot-admin", "boot-admin-secret", "grant_type",
                        "client_credentials", "scope", "iam:admin.read");
                statuses.add(token.status());
                assertThat(token.body()).as("answer %d", i).doesNotContain("invalid_client");
            }
            ConfigurableApplicationContext context = started.get(120, TimeUnit.SECONDS);
            try {
                assertThat(statuses).containsOnly(200);
                assertThat(http.get("/actuator/health/readiness").body()).contains("\"status\":\"UP\"");
                assertThat(http.get("/.well-known/openid-configuration").status()).isEqualTo(200);
                assertThat(http.get("/jwk").body()).contains("\"kid\"");
                // on H2 as on PostgreSQL (ConcurrentCreatesIT): the same create at once gives one 201, the rest 409
                String admin = (String) http.token("boot-admin", "boot-admin-secret", "grant_type",
                        "client_credentials", "scope", "iam:admin.read iam:admin.write scim:read scim:write").json()
                        .get("access_token");
                ConcurrentCreates.check(issuer, admin);
                // a client id that is not found is not remembered as absent (the cache keeps 5 s here): a client
                // created right after a refused request gets tokens at once
                assertThat(http.token("late-client", "late-client-secret", "grant_type", "client_credentials")
                        .json()).containsEntry("error", "invalid_client");
                context.getBean(eu.tessera.server.oauth2.client.ClientService.class).create(
                        new eu.tessera.server.oauth2.client.ClientSpec("late-client", "late-client-secret", "late",
                                false, java.util.Set.of("client_secret_basic"), java.util.Set.of("client_credentials"),
                                java.util.Set.of(), java.util.Set.of(), java.util.Set.of("compute.read"),
                                eu.tessera.server.oauth2.client.TokenProfile.WLCG, false, false));
                assertThat(http.token("late-client", "late-client-secret", "grant_type", "client_credentials")
                        .status()).isEqualTo(200);
                // mail is off by default: registration says so, and takes nothing
                TesseraHttp browser = TesseraHttp.browser(issuer);
                TesseraHttp.Response closed = browser.get("/registration");
                assertThat(closed.status()).isEqualTo(503);
                assertThat(closed.body()).contains("Registration is not open yet", "cannot send mail")
                        .doesNotContain("name=\"username\"");
                assertThat(browser.postForm("/registration", TesseraHttp.form("username", "latecomer", "email",
                        "late@example.org", "givenName", "L", "familyName", "C", "aup", "true")).status())
                        .isIn(403, 503);
                assertThat(context.getBean(org.springframework.jdbc.core.JdbcTemplate.class).queryForObject(
                        "select count(*) from registration_request", Integer.class)).isZero();
                assertThat(http.get("/scim/Users?filter=" + java.net.URLEncoder.encode("userName eq \"admin\"",
                        java.nio.charset.StandardCharsets.UTF_8), "Authorization", "Bearer " + admin).body())
                        .contains("vo-ops@example.org");
            } finally {
                context.close();
            }
        } finally {
            if (!started.isDone()) {
                started.get(120, TimeUnit.SECONDS).close();
            }
        }
    }

    private static boolean portOpen(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 50);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
