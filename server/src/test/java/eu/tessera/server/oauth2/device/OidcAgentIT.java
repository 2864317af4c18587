package eu.tessera.server.oauth2.device;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.BrowserFlows;
import eu.tessera.server.testsupport.TestAccounts;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import eu.tessera.server.testsupport.TokenVerifier;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The real oidc-agent (Debian oidc-agent-cli, installed by the test command) against the server: anonymous
 * dynamic registration, device flow with its raw, not URL-encoded form bodies and its own offline_access,
 * then tokens from the agent by refresh, with an audience and down-scoped (src/test/oidc-agent/device-flow.sh).
 */
@TesseraIntegrationTest
class OidcAgentIT {

    private static final Pattern USER_CODE = Pattern.compile("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}");

    @Autowired
    TesseraProperties properties;

    /** What a run of one of the agent scripts printed. */
    private record AgentRun(List<String> output, java.util.Map<String, String> tokens) {
        String log() {
            return String.join("\n", output);
        }
    }

    /** Runs a script under src/test/oidc-agent, approving the device code it shows as alice. */
    private AgentRun runAgent(String script, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", Path.of("src/test/oidc-agent", script)
                .toAbsolutePath().toString()));
        command.addAll(List.of(arguments));
        Process agent = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        java.util.Map<String, String> tokens = new java.util.HashMap<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(agent.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            boolean approved = false;
            while ((line = out.readLine()) != null) {
                output.add(line);
                Matcher code = USER_CODE.matcher(line);
                if (!approved && line.contains("enter the code") && code.find()) {
                    String result = BrowserFlows.verifyDevice(TesseraHttp.browser(properties.issuer()), code.group(),
                            TestAccounts.ALICE, TestAccounts.ALICE_PASSWORD, true);
                    assertThat(result).contains("approved");
                    approved = true;
                }
                int space = line.indexOf(' ');
                if (space > 0 && line.substring(0, space).endsWith("TOKEN")) {
                    tokens.put(line.substring(0, space), line.substring(space + 1).trim());
                }
            }
        } finally {
            if (!agent.waitFor(90, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
            }
        }
        assertThat(agent.exitValue()).as(String.join("\n", output)).isZero();
        return new AgentRun(output, tokens);
    }

    @Test
    void oidcAgentWithAPublicClientWhenDeviceFlowApprovedThenRefreshTokensServeItsTokens() throws Exception {
        // RFC 8628 is made for public clients: registered with token_endpoint_auth_method none, as CLIs are
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        TesseraHttp.Response registered = http.sendJson("POST", "/register", "{\"client_name\":\"oidc-agent "
                + "public\",\"token_endpoint_auth_method\":\"none\",\"grant_types\":[\"urn:ietf:params:oauth:"
                + "grant-type:device_code\",\"refresh_token\"],\"scope\":\"openid offline_access wlcg.groups "
                + "storage.read:/escape\"}");
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        assertThat(registered.json()).doesNotContainKey("client_secret");
        AgentRun run = runAgent("public-device-flow.sh", properties.issuer(),
                (String) registered.json().get("client_id"));
        JWTClaimsSet claims = TokenVerifier.verify(http, run.tokens().get("TOKEN")).getJWTClaimsSet();
        assertThat(claims.getStringClaim("client_id")).isEqualTo(registered.json().get("client_id"));
        assertThat(claims.getStringListClaim("wlcg.groups")).containsExactly("/escape", "/escape/cms");
        assertThat(claims.getStringClaim("scope")).contains("offline_access");
        // a narrower token from the agent: a refresh grant by the public client
        JWTClaimsSet narrow = TokenVerifier.verify(http, run.tokens().get("NARROW_TOKEN")).getJWTClaimsSet();
        assertThat(narrow.getStringClaim("scope")).as(run.log()).isEqualTo("storage.read:/escape/cms");
    }

    @Test
    void oidcAgentWhenDeviceFlowApprovedThenAgentServesRefreshedTokens() throws Exception {
        AgentRun run = runAgent("device-flow.sh", properties.issuer());
        String token = run.tokens().get("TOKEN");
        String audienceToken = run.tokens().get("AUD_TOKEN");
        String narrowToken = run.tokens().get("NARROW_TOKEN");
        assertThat(token).as(run.log()).contains(".");
        assertThat(audienceToken).as(run.log()).contains(".");
        assertThat(narrowToken).as(run.log()).contains(".");
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        JWTClaimsSet claims = TokenVerifier.verify(http, token).getJWTClaimsSet();
        assertThat(claims.getStringListClaim("wlcg.groups")).containsExactly("/escape", "/escape/cms");
        assertThat(claims.getStringClaim("scope")).contains("storage.read:/escape").contains("offline_access");
        assertThat(claims.getAudience()).containsExactly("https://wlcg.cern.ch/jwt/v1/any");
        JWTClaimsSet withAudience = TokenVerifier.verify(http, audienceToken).getJWTClaimsSet();
        assertThat(withAudience.getAudience()).containsExactly("https://se.example.org");
        JWTClaimsSet narrow = TokenVerifier.verify(http, narrowToken).getJWTClaimsSet();
        assertThat(narrow.getStringClaim("scope")).isEqualTo("storage.read:/escape/cms");
    }
}
