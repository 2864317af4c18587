package eu.tessera.server.oauth2;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.BrowserFlows;
import eu.tessera.server.testsupport.TestAccounts;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the real npm openid-client 6.9.0 and jose 6 against the server (src/test/node/interop.mjs):
 * discovery, client credentials, code + PKCE (login and consent done here, as a browser), refresh, userinfo,
 * token exchange (genericGrantRequest), device flow (initiateDeviceAuthorization + pollDeviceAuthorizationGrant),
 * introspection and revocation;
 * jose verifies every access token against the JWKS. The test command installs the npm packages.
 */
@TesseraIntegrationTest
class OpenIdClientInteropIT {

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    @SuppressWarnings("unchecked")
    void openidClientWhenDrivingEveryFlowThenTokensVerifyWithJose() throws Exception {
        Path script = Path.of("src/test/node/interop.mjs").toAbsolutePath();
        assertThat(Files.isDirectory(script.getParent().resolve("node_modules/openid-client")))
                .as("npm packages installed by the test command (bin/test)").isTrue();
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        String admin = (String) http.token(TestClients.ADMIN_ID, TestClients.ADMIN_SECRET, "grant_type",
                "client_credentials", "scope", "iam:admin.write").json().get("access_token");
        Map<String, Object> fts = http.sendJson("POST", "/register", """
                {"client_name":"fts","grant_types":["urn:ietf:params:oauth:grant-type:token-exchange"],
                 "scope":"wlcg.groups storage.read:/escape"}""", "Authorization", "Bearer " + admin).json();
        Map<String, Object> cli = http.sendJson("POST", "/register", """
                {"client_name":"cli","grant_types":["urn:ietf:params:oauth:grant-type:device_code","refresh_token"],
                 "scope":"openid offline_access wlcg.groups"}""").json();
        Map<String, Object> spa = http.sendJson("POST", "/register", """
                {"client_name":"spa","token_endpoint_auth_method":"none","redirect_uris":["%s"],
                 "grant_types":["authorization_code","refresh_token"],
                 "scope":"openid offline_access wlcg.groups eduperson_entitlement"}""".formatted(
                TestClients.DEMO_REDIRECT)).json();
        assertThat(spa).doesNotContainKey("client_secret");
        ProcessBuilder builder = new ProcessBuilder("node", script.toString()).redirectErrorStream(true);
        builder.environment().put("PUBLIC_ID", (String) spa.get("client_id"));
        builder.environment().putAll(Map.of("ISSUER", properties.issuer(), "CLIENT_ID", TestClients.DEMO_ID,
                "CLIENT_SECRET", TestClients.DEMO_SECRET, "REDIRECT_URI", TestClients.DEMO_REDIRECT,
                "FTS_ID", (String) fts.get("client_id"), "FTS_SECRET", (String) fts.get("client_secret")));
        builder.environment().putAll(Map.of("DEVICE_ID", (String) cli.get("client_id"),
                "DEVICE_SECRET", (String) cli.get("client_secret")));
        Process node = builder.start();
        List<String> output = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(),
                StandardCharsets.UTF_8)); Writer in = new OutputStreamWriter(node.getOutputStream(),
                        StandardCharsets.UTF_8)) {
            String line;
            while ((line = out.readLine()) != null) {
                output.add(line);
                if (line.startsWith("DEVICE ")) {
                    assertThat(BrowserFlows.verifyDevice(TesseraHttp.browser(properties.issuer()),
                            line.substring("DEVICE ".length()).trim(), TestAccounts.ALICE,
                            TestAccounts.ALICE_PASSWORD, true)).contains("approved");
                }
                if (line.startsWith("AUTHORIZE ")) {
                    String url = line.substring("AUTHORIZE ".length());
                    String callback = BrowserFlows.authorize(TesseraHttp.browser(properties.issuer()),
                            url.substring(url.indexOf('?') + 1), TestAccounts.ALICE, TestAccounts.ALICE_PASSWORD);
                    in.write(callback + "\n");
                    in.flush();
                }
            }
        }
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).as(String.join("\n", output)).isZero();

        Map<String, Object> summary = JsonMapper.builder().build().readValue(output.get(output.size() - 1),
                new TypeReference<Map<String, Object>>() { });
        String alice = jdbc.queryForObject("select id from account where username = 'alice'", String.class);

        Map<String, Object> cc = (Map<String, Object>) summary.get("clientCredentials");
        assertThat(cc).containsEntry("token_type", "bearer");
        assertThat((Map<String, Object>) cc.get("header")).containsEntry("typ", "at+jwt").containsKey("kid");
        assertThat((Map<String, Object>) cc.get("claims")).containsEntry("sub", TestClients.DEMO_ID)
                .containsEntry("wlcg.ver", "1.0");

        Map<String, Object> code = (Map<String, Object>) summary.get("code");
        assertThat(code).containsEntry("hasRefresh", true);
        assertThat((Map<String, Object>) code.get("claims")).containsEntry("sub", alice)
                .containsEntry("wlcg.groups", List.of("/escape", "/escape/cms"));
        assertThat((Map<String, Object>) code.get("idToken")).containsEntry("sub", alice)
                .containsEntry("aud", TestClients.DEMO_ID);

        Map<String, Object> refresh = (Map<String, Object>) summary.get("refresh");
        assertThat(refresh).containsEntry("rotated", true);
        assertThat((Map<String, Object>) refresh.get("claims")).containsEntry("sub", alice);

        assertThat((Map<String, Object>) summary.get("userinfo")).containsEntry("sub", alice)
                .containsEntry("preferred_username", "alice")
                .containsEntry("wlcg.groups", List.of("/escape", "/escape/cms"));
        Map<String, Object> device = (Map<String, Object>) summary.get("device");
        assertThat(device).containsEntry("hasRefresh", true);
        assertThat((Map<String, Object>) device.get("claims")).containsEntry("sub", alice)
                .containsEntry("wlcg.groups", List.of("/escape", "/escape/cms"));
        Map<String, Object> exchange = (Map<String, Object>) summary.get("exchange");
        assertThat(exchange).containsEntry("token_type", "bearer")
                .containsEntry("issued_token_type", "urn:ietf:params:oauth:token-type:access_token");
        assertThat((Map<String, Object>) exchange.get("claims")).containsEntry("sub", alice)
                .containsEntry("client_id", fts.get("client_id")).containsEntry("scope", "wlcg.groups")
                .containsEntry("wlcg.groups", List.of("/escape", "/escape/cms"));
        Map<String, Object> publicCode = (Map<String, Object>) summary.get("publicCode");
        assertThat(publicCode).containsEntry("hasRefresh", true);
        assertThat((String) publicCode.get("scope")).contains("offline_access");
        assertThat((Map<String, Object>) publicCode.get("claims")).containsEntry("sub", alice)
                .containsEntry("client_id", spa.get("client_id"))
                .containsEntry("wlcg.groups", List.of("/escape", "/escape/cms"));
        assertThat((List<String>) ((Map<String, Object>) publicCode.get("claims")).get("eduperson_entitlement"))
                .containsExactly("urn:geant:127.0.0.1:group:escape#127.0.0.1",
                        "urn:geant:127.0.0.1:group:escape:cms#127.0.0.1");
        Map<String, Object> publicRefresh = (Map<String, Object>) summary.get("publicRefresh");
        assertThat(publicRefresh).containsEntry("rotated", true);
        assertThat((Map<String, Object>) publicRefresh.get("claims")).containsEntry("sub", alice);
        assertThat((Map<String, Object>) summary.get("introspection")).containsEntry("active", true)
                .containsEntry("username", "alice").containsEntry("client_id", TestClients.DEMO_ID);
        assertThat((Map<String, Object>) summary.get("afterRevocation")).containsExactly(Map.entry("active", false));
    }
}
