package eu.tessera.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** A body that is not a JSON object gets the API's own error format: problem+json, or a SCIM error for SCIM. */
@TesseraIntegrationTest
class ApiErrorsIT {

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void malformedBodiesThenProblemJsonOrScimErrorAndNothingChanged() {
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        String token = "Bearer " + http.token(TestClients.ADMIN_ID, TestClients.ADMIN_SECRET, "grant_type",
                "client_credentials", "scope", "iam:admin.write scim:write").json().get("access_token");
        String alice = jdbc.queryForObject("select id from account where username = 'alice'", String.class);
        long groups = jdbc.queryForObject("select count(*) from vo_group", Long.class);
        for (String path : List.of("/iam/scope_policies", "/iam/api/exchange/policies", "/iam/group", "/iam/aup",
                "/iam/account/" + alice + "/certificates")) {
            TesseraHttp.Response response = http.sendJson("POST", path, "{not json", "Authorization", token);
            assertThat(response.status()).as(path).isEqualTo(400);
            assertThat(response.header("Content-Type")).as(path).contains("application/problem+json");
            assertThat(response.body()).as(path).contains("the body must be a JSON object");
        }
        TesseraHttp.Response hinted = http.sendJson("PUT", "/iam/account/" + alice + "/attributes", "[1]",
                "Authorization", token);
        assertThat(hinted.status()).isEqualTo(400);
        assertThat(hinted.body()).contains("{\\\"name\\\":..,\\\"value\\\":..}");
        TesseraHttp.Response scim = http.sendJson("POST", "/scim/Users", "{not json", "Authorization", token);
        assertThat(scim.status()).isEqualTo(400);
        assertThat(scim.body()).contains("\"scimType\":\"invalidSyntax\"", "the body must be a JSON object");
        TesseraHttp.Response longExternalId = http.sendJson("POST", "/scim/Users", "{\"userName\":\"api-errors-x\","
                + "\"externalId\":\"" + "x".repeat(300) + "\"}", "Authorization", token);
        assertThat(longExternalId.status()).isEqualTo(400);
        assertThat(longExternalId.body()).contains("externalId: at most 255 characters");
        assertThat(jdbc.queryForObject("select count(*) from account where username = 'api-errors-x'", Long.class))
                .isZero();
        assertThat(jdbc.queryForObject("select count(*) from vo_group", Long.class)).isEqualTo(groups);
    }
}
