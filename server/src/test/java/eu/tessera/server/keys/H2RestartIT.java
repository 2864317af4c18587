package eu.tessera.server.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import eu.tessera.server.TesseraApplication;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TokenVerifier;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The embedded default: an H2 file database. A restart reuses the persisted signing key (tokens issued before
 * still verify), bootstrap does not duplicate, and a wrong key-encryption secret stops start-up by name.
 */
class H2RestartIT {

    @TempDir
    Path dir;

    private ConfigurableApplicationContext start(int port, String secret, String... extra) {
        String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(base(port, secret)),
                java.util.Arrays.stream(extra)).toArray(String[]::new);
        return new SpringApplicationBuilder(TesseraApplication.class).run(args);
    }

    private String[] base(int port, String secret) {
        return new String[] {
                "--server.port=" + port, "--server.address=127.0.0.1",
                "--tessera.issuer=http://127.0.0.1:" + port,
                "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("tessera")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "--tessera.keys.encryption-secret=" + secret,
                "--tessera.admin.password=h2-admin-password",
                "--tessera.admin.client-id=h2-admin", "--tessera.admin.client-secret=h2-admin-secret"};
    }

    @Test
    void startWhenAlgorithmEs256ThenTokensSignedWithP256Key() throws Exception {
        int port = freePort();
        try (ConfigurableApplicationContext context = start(port, "secret-es", "--tessera.keys.algorithm=ES256")) {
            TesseraHttp http = TesseraHttp.to("http://127.0.0.1:" + port);
            String token = (String) http.token("h2-admin", "h2-admin-secret", "grant_type", "client_credentials")
                    .json().get("access_token");
            assertThat(TokenVerifier.verify(http, token).getHeader().getAlgorithm().getName()).isEqualTo("ES256");
            assertThat(JWKSet.parse(http.get("/jwk").body()).getKeys())
                    .allSatisfy(key -> assertThat(key.getKeyType().getValue()).isEqualTo("EC"));
        }
    }

    @Test
    void restartWhenSameDatabaseThenSameKeysAndNoDuplicateBootstrap() throws Exception {
        int port = freePort();
        String token;
        String keys;
        try (ConfigurableApplicationContext first = start(port, "secret-one")) {
            TesseraHttp http = TesseraHttp.to("http://127.0.0.1:" + port);
            TesseraHttp.Response response = http.token("h2-admin", "h2-admin-secret", "grant_type",
                    "client_credentials", "scope", "iam:admin.read");
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            token = (String) response.json().get("access_token");
            keys = http.get("/jwk").body();
            JdbcTemplate jdbc = first.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForList("select private_key_enc from signing_key", String.class))
                    .isNotEmpty().allSatisfy(enc -> assertThat(enc).doesNotContain("\"d\"").doesNotContain("RSA"));
        }
        assertThat(Files.exists(dir.resolve("tessera.mv.db"))).isTrue();
        try (ConfigurableApplicationContext second = start(port, "secret-one")) {
            TesseraHttp http = TesseraHttp.to("http://127.0.0.1:" + port);
            assertThat(JWKSet.parse(http.get("/jwk").body()).getKeys())
                    .containsExactlyInAnyOrderElementsOf(JWKSet.parse(keys).getKeys());
            String kid = TokenVerifier.verify(http, token).getHeader().getKeyID();
            assertThat(kid).isNotBlank();
            JdbcTemplate jdbc = second.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForObject("select count(*) from account where username = 'admin'", Long.class))
                    .isEqualTo(1);
            assertThat(jdbc.queryForObject("select count(*) from oauth_client where client_id = 'h2-admin'",
                    Long.class)).isEqualTo(1);
        }
        assertThatThrownBy(() -> start(port, "another-secret").close())
                .hasStackTraceContaining("tessera.keys.encryption-secret");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
