package eu.tessera.sync.testing;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.sync.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Rucio stand-in answers as Rucio 41 does (rules cited in {@link RucioStandIn}): a test of the test partner, so
 * that a sync that passes against it does not fail against a real Rucio for a rule the stand-in forgot.
 */
class RucioStandInTest {

    private static final long EXP = System.currentTimeMillis() / 1000 + 3600;
    private static final String ISS = "https://tessera.example.org";
    private final HttpClient client = HttpClient.newHttpClient();
    private RucioStandIn rucio;
    private String root;

    @BeforeEach
    void start() throws Exception {
        rucio = new RucioStandIn(token -> switch (token) {
            case "jwt-ok", "jwt-later" -> Map.of("sub", "sync-client", "iss", ISS, "aud", List.of("rucio"), "scope",
                    "openid profile", "exp", EXP);
            case "jwt-no-profile" -> Map.of("sub", "sync-client", "iss", ISS, "aud", "rucio", "scope", "openid",
                    "exp", EXP);
            case "jwt-other-aud" -> Map.of("sub", "sync-client", "iss", ISS, "aud", "fts", "scope",
                    "openid profile", "exp", EXP);
            case "jwt-unmapped" -> Map.of("sub", "stranger", "iss", ISS, "aud", "rucio", "scope", "openid profile",
                    "exp", EXP);
            default -> null;
        });
        rucio.addUserpass("root", "ddmadmin", "secret");
        root = client.send(HttpRequest.newBuilder(rucio.url().resolve("/auth/userpass"))
                .header("X-Rucio-Account", "root").header("X-Rucio-Username", "ddmadmin")
                .header("X-Rucio-Password", "secret").GET().build(), HttpResponse.BodyHandlers.ofString())
                .headers().firstValue("X-Rucio-Auth-Token").orElseThrow();
        assertThat(call(root, "POST", "/accounts/jdoe", "{\"type\":\"USER\",\"email\":\"j@example.org\"}").statusCode())
                .isEqualTo(201);
    }

    @AfterEach
    void stop() {
        rucio.close();
    }

    private HttpResponse<String> call(String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(rucio.url() + path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("X-Rucio-Auth-Token", token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void refused(HttpResponse<String> response, int status, String exceptionClass, String message) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("ExceptionClass")).contains(exceptionClass);
        Map<String, Object> body = Json.parseObject(response.body());
        assertThat(body.get("ExceptionClass")).isEqualTo(exceptionClass);
        assertThat((String) body.get("ExceptionMessage")).contains(message);
    }

    @Test
    void attributeKeyOrValueOutsideRucioPatternThenHttp500InvalidObject() throws Exception {
        refused(call(root, "POST", "/accounts/jdoe/attr/tessera_id",
                "{\"value\":\"0f8fad5b-d9cb-469f-a165-70867728950e\"}"), 500, "InvalidObject",
                "Problem validating account_attribute: '0f8fad5b-d9cb-469f-a165-70867728950e' does not match");
        refused(call(root, "POST", "/accounts/jdoe/attr/bad%20key", "{\"value\":\"x\"}"), 500, "InvalidObject",
                "does not match");
        refused(call(root, "POST", "/accounts/jdoe/attr/admin", "{\"value\":true}"), 500, "InvalidObject",
                "is not of type 'string'");
        refused(call(root, "POST", "/accounts/jdoe/attr/admin", "{}"), 400, "KeyError", "'value' not defined");
        assertThat(call(root, "POST", "/accounts/jdoe/attr/tessera_id", "{\"value\":\"D4-tW9nLRp-hZXCGdyiVDg\"}")
                .statusCode()).isEqualTo(201);
        assertThat(call(root, "POST", "/accounts/jdoe/attr/path.like/this_one", "{\"value\":\"a-b_c/d.e\"}")
                .statusCode()).isEqualTo(404);   // a '/' in the key is a path segment in Rucio's route as well
        assertThat(call(root, "POST", "/accounts/jdoe/attr/admin", "{\"value\":\"True\"}").statusCode()).isEqualTo(201);
        assertThat(call(root, "GET", "/accounts/jdoe/attr/", null).body()).contains("\"value\":true");
    }

    @Test
    void accountNameTypeAndEmailValidatedLikeRucio() throws Exception {
        refused(call(root, "POST", "/accounts/" + "a".repeat(26), "{\"type\":\"USER\",\"email\":\"x@example.org\"}"),
                400, "InvalidObject", "Problem validating account");
        refused(call(root, "POST", "/accounts/Upper", "{\"type\":\"USER\",\"email\":\"x@example.org\"}"), 400,
                "InvalidObject", "does not match");
        refused(call(root, "POST", "/accounts/robot", "{\"type\":\"ROBOT\",\"email\":\"x@example.org\"}"), 400,
                "InvalidAccountType", "ROBOT is an invalid account type");
        refused(call(root, "POST", "/accounts/robot", "{\"type\":\"USER\"}"), 400, "KeyError", "'email' not defined");
        refused(call(root, "POST", "/accounts/robot", "not json"), 400, "ValueError", "cannot decode json");
        refused(call(root, "POST", "/accounts/jdoe", "{\"type\":\"USER\",\"email\":\"x@example.org\"}"), 409,
                "Duplicate", "already exists");
        HttpResponse<String> longMail = call(root, "POST", "/accounts/long", "{\"type\":\"USER\",\"email\":\""
                + "a".repeat(250) + "@example.org\"}");
        assertThat(longMail.statusCode()).isEqualTo(500);
        assertThat(rucio.account("long")).isNull();
    }

    @Test
    void identityTypesAndInactiveAccountsLikeRucio() throws Exception {
        HttpResponse<String> unknownType = call(root, "POST", "/accounts/jdoe/identities",
                "{\"identity\":\"x\",\"authtype\":\"KERBEROS\",\"email\":\"j@example.org\"}");
        assertThat(unknownType.statusCode()).isEqualTo(500);   // IdentityType[...] KeyError, not a RucioException
        assertThat(unknownType.body()).isEqualTo("'KERBEROS'");
        refused(call(root, "POST", "/accounts/jdoe/identities", "{\"identity\":\"jdoe\",\"authtype\":\"USERPASS\","
                + "\"email\":\"j@example.org\"}"), 400, "IdentityError", "You must provide a password");
        assertThat(call(root, "POST", "/accounts/jdoe/identities", "{\"identity\":\"SUB=1, ISS=" + ISS
                + "\",\"authtype\":\"oidc\",\"email\":\"j@example.org\"}").statusCode()).isEqualTo(201);
        assertThat(rucio.account("jdoe").identities).contains(List.of("OIDC", "SUB=1, ISS=" + ISS));

        assertThat(call(root, "DELETE", "/accounts/jdoe", null).statusCode()).isEqualTo(200);
        assertThat(call(root, "GET", "/accounts/jdoe", null).body()).contains("\"status\":\"DELETED\"");
        refused(call(root, "GET", "/accounts/jdoe/identities", null), 404, "AccountNotFound", "cannot be found");
        refused(call(root, "GET", "/accounts/jdoe/attr/", null), 404, "AccountNotFound", "cannot be found");
        refused(call(root, "POST", "/accounts/jdoe/attr/admin", "{\"value\":\"True\"}"), 404, "AccountNotFound", "");
        refused(call(root, "DELETE", "/accounts/jdoe", null), 404, "AccountNotFound", "");
        assertThat(call(root, "GET", "/accounts/", null).body()).doesNotContain("jdoe");
        assertThat(call(root, "PUT", "/accounts/jdoe", "{\"status\":\"ACTIVE\"}").statusCode()).isEqualTo(200);
        assertThat(call(root, "GET", "/accounts/jdoe/identities", null).statusCode()).isEqualTo(200);
    }

    @Test
    void tokensNeedScopeAudienceAndAMappedIdentityAndOnlyRootCreatesAccounts() throws Exception {
        refused(call("jwt-ok", "GET", "/accounts/jdoe", null), 401, "CannotAuthenticate", "Cannot authenticate");
        rucio.createDirectly("tessera-sync", "SERVICE", "ops@example.org");
        rucio.addIdentityDirectly("tessera-sync", "OIDC", "SUB=sync-client, ISS=" + ISS);
        assertThat(call("jwt-ok", "GET", "/accounts/jdoe", null).statusCode()).isEqualTo(200);
        for (String token : List.of("jwt-no-profile", "jwt-other-aud", "jwt-unmapped", "forged")) {
            refused(call(token, "GET", "/accounts/jdoe", null), 401, "CannotAuthenticate", "");
        }
        refused(call(null, "GET", "/accounts/jdoe", null), 400, "ValueError", "Token must be set");
        // the generic policy: identities and attributes need root or an admin attribute, accounts need root
        refused(call("jwt-ok", "POST", "/accounts/jdoe/attr/x", "{\"value\":\"y\"}"), 401, "AccessDenied",
                "can not add attribute");
        rucio.setAttributeDirectly("tessera-sync", "admin", "True");
        assertThat(call("jwt-ok", "POST", "/accounts/jdoe/attr/x", "{\"value\":\"y\"}").statusCode()).isEqualTo(201);
        refused(call("jwt-ok", "POST", "/accounts/new", "{\"type\":\"USER\",\"email\":\"n@example.org\"}"), 401,
                "AccessDenied", "can not add account");
        rucio.addIdentityDirectly("root", "OIDC", "SUB=sync-client, ISS=" + ISS);
        rucio.removeDirectly("tessera-sync");
        // Rucio keeps a validated token bound to the account it was first mapped to: a new token maps to root
        assertThat(call("jwt-later", "POST", "/accounts/new", "{\"type\":\"USER\",\"email\":\"n@example.org\"}")
                .statusCode()).isEqualTo(201);
    }
}
