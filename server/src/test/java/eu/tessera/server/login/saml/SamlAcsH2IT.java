package eu.tessera.server.login.saml;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.saml.SamlAttributes;
import eu.tessera.saml.testing.TestIdp;
import eu.tessera.server.TesseraApplication;
import eu.tessera.server.testsupport.TestSaml;
import eu.tessera.server.testsupport.TesseraHttp;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The SAML assertion consumer on the embedded H2 database that {@code bin/run} uses (the shared test server runs on
 * PostgreSQL): a just-in-time login of a trusted IdP's user and a refused replay go through the same tables, and the
 * new identity's sync event is written by H2's trigger.
 */
class SamlAcsH2IT {

    @TempDir
    Path dir;

    @Test
    void justInTimeLoginAndReplayOnH2() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String issuer = "http://127.0.0.1:" + port;
        List<String> args = new ArrayList<>(List.of("--server.port=" + port, "--server.address=127.0.0.1",
                "--tessera.issuer=" + issuer, "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("tessera")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "--tessera.keys.encryption-secret=saml-h2-secret", "--tessera.admin.password=saml-h2-admin-password",
                "--tessera.saml.metadata[1].location=" + TestSaml.get().dir.resolve("edugain.xml")));
        for (Map.Entry<String, Object> property : TestSaml.get().properties().entrySet()) {
            if (args.stream().noneMatch(a -> a.startsWith("--" + property.getKey() + "="))) {
                args.add("--" + property.getKey() + "=" + property.getValue());
            }
        }
        ConfigurableApplicationContext context = new SpringApplicationBuilder(TesseraApplication.class)
                .run(args.toArray(String[]::new));
        try {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            TesseraHttp browser = TesseraHttp.browser(issuer);
            TesseraHttp.Response redirect = browser.get("/saml/login?idp=" + URLEncoder.encode(TestSaml.TRUSTED_IDP,
                    StandardCharsets.UTF_8));
            assertThat(redirect.status()).isEqualTo(302);
            String requestId = TestSaml.requestId(redirect.location());
            TestIdp.Spec spec = new TestIdp.Spec(requestId, issuer + "/saml/acs", issuer + "/saml/metadata")
                    .attribute(SamlAttributes.UNIQUE_ID, "h2-user@example3.org")
                    .attribute(SamlAttributes.MAIL, "h2-user@example3.org");
            spec.encryptTo = TestSaml.get().spSigner.certificate();
            String response = TestIdp.base64(TestSaml.get().idp(TestSaml.TRUSTED_IDP).response(spec));
            TesseraHttp.Response posted = browser.postForm("/saml/acs", TesseraHttp.form("SAMLResponse", response));
            assertThat(posted.status()).as(posted.body()).isEqualTo(302);
            TesseraHttp.Response done = browser.get(posted.location());
            assertThat(done.location()).endsWith("/account");
            assertThat(browser.get("/account").body()).contains("h2-user");
            String accountId = jdbc.queryForObject("select account_id from account_identity where subject = ? and "
                    + "attribute = 'eduPersonUniqueId'", String.class, "h2-user@example3.org");
            assertThat(jdbc.queryForObject("select count(*) from sync_event where account_id = ? and kind = "
                    + "'identity.linked'", Long.class, accountId)).isEqualTo(1);

            TesseraHttp.Response replayed = TesseraHttp.browser(issuer).postForm("/saml/acs", TesseraHttp.form(
                    "SAMLResponse", response));
            assertThat(replayed.status()).isEqualTo(400);
            assertThat(replayed.body()).contains("expired or was already used");
        } finally {
            context.close();
        }
    }
}
