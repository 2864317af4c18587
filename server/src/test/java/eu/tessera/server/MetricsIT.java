package eu.tessera.server;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.BrowserFlows;
import eu.tessera.server.testsupport.TestAccounts;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Prometheus metrics as an operator scrapes them ({@code /actuator/prometheus} with an {@code iam:admin.read}
 * token): tokens issued by grant and client, token errors by grant and RFC 6749 code (a client that fails to
 * authenticate included), logins by method and outcome, latency histograms per endpoint, the database pool, the mail
 * outbox; and the Grafana dashboard in deploy/grafana uses only metrics that exist.
 */
@TesseraIntegrationTest
class MetricsIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Autowired
    TesseraProperties properties;

    private String scrape() {
        TesseraHttp.Response response = TesseraHttp.to(properties.issuer()).get("/actuator/prometheus",
                "Authorization", "Bearer " + TestClients.adminToken(properties.issuer(), "iam:admin.read"));
        assertThat(response.status()).isEqualTo(200);
        return response.body();
    }

    /** The value of the series {@code name} whose labels include all of {@code labels}; 0 when there is none. */
    static double value(String scrape, String name, Map<String, String> labels) {
        double sum = 0;
        for (String line : scrape.split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            if (labels.entrySet().stream().allMatch(l -> line.contains(l.getKey() + "=\"" + l.getValue() + "\""))) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    @Test
    void tokensErrorsLoginsLatencyPoolAndMailWhenScrapedThenCountedWithTheirLabels() throws Exception {
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        String before = scrape();
        for (int i = 0; i < 3; i++) {
            assertThat(http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET, "grant_type", "client_credentials",
                    "scope", "compute.read").status()).isEqualTo(200);
        }
        TesseraHttp.Response badScope = http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET, "grant_type",
                "client_credentials", "scope", "no-such-scope");
        assertThat(badScope.json()).containsEntry("error", "invalid_scope");
        TesseraHttp.Response badSecret = http.token(TestClients.DEMO_ID, "wrong-secret", "grant_type",
                "client_credentials");
        assertThat(badSecret.status()).isEqualTo(401);
        TesseraHttp.Response badGrant = http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET, "grant_type",
                "refresh_token", "refresh_token", "not-a-refresh-token");
        assertThat(badGrant.json()).containsEntry("error", "invalid_grant");
        TesseraHttp browser = TesseraHttp.browser(properties.issuer());
        assertThat(BrowserFlows.login(browser, TestAccounts.ALICE, "wrong-password").location()).contains("error");
        // a request is counted once its response is written: wait for the last one
        String after = scrape();
        Map<String, String> tokenTag = Map.of("uri", "/token", "method", "POST", "status", "200");
        Map<String, String> clientTag = Map.of("grant", "client_credentials", "error", "invalid_client");
        for (int i = 0; i < 50 && (value(after, "http_server_requests_seconds_count", tokenTag)
                - value(before, "http_server_requests_seconds_count", tokenTag) < 3
                || value(after, "tessera_tokens_errors_total", clientTag)
                - value(before, "tessera_tokens_errors_total", clientTag) < 1); i++) {
            Thread.sleep(100);
            after = scrape();
        }

        Map<String, String> issued = Map.of("grant", "client_credentials", "client", TestClients.DEMO_ID);
        assertThat(value(after, "tessera_tokens_issued_total", issued)
                - value(before, "tessera_tokens_issued_total", issued)).isEqualTo(3.0);
        for (Map<String, String> error : List.of(Map.of("grant", "client_credentials", "error", "invalid_scope"),
                Map.of("grant", "client_credentials", "error", "invalid_client"),
                Map.of("grant", "refresh_token", "error", "invalid_grant"))) {
            assertThat(value(after, "tessera_tokens_errors_total", error)
                    - value(before, "tessera_tokens_errors_total", error)).as(error.toString()).isEqualTo(1.0);
        }
        Map<String, String> failedLogin = Map.of("method", "password", "outcome", "failure");
        assertThat(value(after, "tessera_logins_total", failedLogin)
                - value(before, "tessera_logins_total", failedLogin)).isEqualTo(1.0);

        // latency histogram of the token endpoint, with the configured buckets
        Map<String, String> token = Map.of("uri", "/token", "method", "POST", "status", "200");
        assertThat(value(after, "http_server_requests_seconds_bucket", Map.of("uri", "/token", "status", "200",
                "le", "0.005"))).isGreaterThanOrEqualTo(0);
        assertThat(after).containsPattern("http_server_requests_seconds_bucket\\{[^}]*uri=\"/token\"[^}]*le=\"0\\.25\"");
        assertThat(value(after, "http_server_requests_seconds_count", token)
                - value(before, "http_server_requests_seconds_count", token)).isGreaterThanOrEqualTo(3.0);
        assertThat(after).contains("hikaricp_connections_active{", "tessera_mail_pending ", "tessera_mail_failing ");
        // no secret or token in the labels
        assertThat(after).doesNotContain(TestClients.DEMO_SECRET, "wrong-secret", "not-a-refresh-token");
    }

    @Test
    void grafanaDashboardWhenReadThenEveryMetricItQueriesExists() throws Exception {
        String scrape = scrape();
        JsonNode dashboard = JsonMapper.builder().build().readTree(
                Files.readString(ROOT.resolve("deploy/grafana/tessera-dashboard.json")));
        assertThat(dashboard.get("panels").size()).isGreaterThanOrEqualTo(10);
        Set<String> used = new TreeSet<>();
        Pattern metric = Pattern.compile("\\b(tessera_[a-z_]+|http_server_requests_seconds_[a-z]+|hikaricp_[a-z_]+"
                + "|jvm_[a-z_]+|process_[a-z_]+)\\b");
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                Matcher m = metric.matcher(target.get("expr").asText());
                while (m.find()) {
                    used.add(m.group(1));
                }
            }
        }
        assertThat(used).contains("tessera_tokens_issued_total", "tessera_tokens_errors_total", "tessera_logins_total",
                "http_server_requests_seconds_bucket", "hikaricp_connections_active", "tessera_mail_pending");
        String sync = Files.readString(ROOT.resolve("server/src/main/java/eu/tessera/server/sync/SyncService.java"));
        for (String name : used) {
            if (name.startsWith("tessera_sync_")) {
                // registered only when sync targets are configured (AccountSyncIT scrapes them): the Micrometer name
                String dotted = name.replaceFirst("_seconds$", "").replaceFirst("^tessera_sync_", "tessera.sync.")
                        .replace('_', '.');
                assertThat(sync.replace("_", ".")).as(name).contains("\"" + dotted);
            } else {
                assertThat(scrape).as(name).containsPattern("(?m)^" + name + "[{ ]");
            }
        }
    }
}
