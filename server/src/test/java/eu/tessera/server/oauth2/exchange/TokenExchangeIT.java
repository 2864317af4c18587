package eu.tessera.server.oauth2.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import eu.tessera.server.testsupport.TokenVerifier;
import eu.tessera.server.testsupport.UserTokens;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

@TesseraIntegrationTest
class TokenExchangeIT {

    static final String GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String ACCESS = "urn:ietf:params:oauth:token-type:access_token";

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;
    TesseraHttp http;
    String ftsId;
    String ftsSecret;
    String userToken;

    @BeforeEach
    void setUp() {
        http = TesseraHttp.to(properties.issuer());
        String admin = (String) http.token(TestClients.ADMIN_ID, TestClients.ADMIN_SECRET, "grant_type",
                "client_credentials", "scope", "iam:admin.write").json().get("access_token");
        Map<String, Object> fts = http.sendJson("POST", "/register", """
                {"client_name":"fts","grant_types":["urn:ietf:params:oauth:grant-type:token-exchange","refresh_token"],
                 "scope":"openid offline_access wlcg.groups storage.read:/escape"}""",
                "Authorization", "Bearer " + admin).json();
        ftsId = (String) fts.get("client_id");
        ftsSecret = (String) fts.get("client_secret");
        userToken = (String) UserTokens.alice(properties.issuer(),
                "openid offline_access wlcg.groups storage.read:/escape").get("access_token");
    }

    private TesseraHttp.Response exchange(String... extra) {
        String[] pairs = new String[4 + extra.length];
        pairs[0] = "grant_type";
        pairs[1] = GRANT;
        pairs[2] = "subject_token_type";
        pairs[3] = ACCESS;
        System.arraycopy(extra, 0, pairs, 4, extra.length);
        return http.token(ftsId, ftsSecret, pairs);
    }

    private String alice() {
        return jdbc.queryForObject("select id from account where username = 'alice'", String.class);
    }

    @Test
    void exchangeWhenNarrowerScopeAndAudienceThenImpersonationTokenForUser() throws Exception {
        TesseraHttp.Response response = exchange("subject_token", userToken, "scope",
                "storage.read:/escape/cms wlcg.groups", "audience", "https://fts.example.org");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json()).containsEntry("token_type", "Bearer").containsEntry("issued_token_type", ACCESS)
                .doesNotContainKey("refresh_token");
        JWTClaimsSet claims = TokenVerifier.verify(http, (String) response.json().get("access_token")).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo(alice());
        assertThat(claims.getStringClaim("client_id")).isEqualTo(ftsId);
        assertThat(claims.getAudience()).containsExactly("https://fts.example.org");
        assertThat(claims.getStringClaim("scope").split(" "))
                .containsExactlyInAnyOrder("storage.read:/escape/cms", "wlcg.groups");
        assertThat(claims.getStringListClaim("wlcg.groups")).containsExactly("/escape", "/escape/cms");
        assertThat(claims.getClaim("act")).as("impersonation").isNull();
    }

    @Test
    void exchangeWhenNoScopeThenSubjectScopesWithinClients() throws Exception {
        TesseraHttp.Response response = exchange("subject_token", userToken);
        JWTClaimsSet claims = TokenVerifier.verify(http, (String) response.json().get("access_token")).getJWTClaimsSet();
        assertThat(claims.getStringClaim("scope").split(" "))
                .containsExactlyInAnyOrder("openid", "offline_access", "wlcg.groups", "storage.read:/escape");
    }

    @Test
    void exchangeWhenScopeWidensOrIsNotTheClientsThenInvalidScope() {
        assertThat(exchange("subject_token", userToken, "scope", "storage.read:/").json())
                .containsEntry("error", "invalid_scope");
        String demoToken = (String) http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET, "grant_type",
                "client_credentials", "scope", "compute.read").json().get("access_token");
        assertThat(exchange("subject_token", demoToken, "scope", "compute.read").json())
                .containsEntry("error", "invalid_scope");
    }

    @Test
    void exchangeWhenActorTokenThenDelegationWithNestedActChain() throws Exception {
        String actor = (String) http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET, "grant_type",
                "client_credentials").json().get("access_token");
        TesseraHttp.Response first = exchange("subject_token", userToken, "actor_token", actor,
                "actor_token_type", ACCESS, "scope", "storage.read:/escape");
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        String delegated = (String) first.json().get("access_token");
        assertThat(TokenVerifier.verify(http, delegated).getJWTClaimsSet().getJSONObjectClaim("act"))
                .containsEntry("sub", TestClients.DEMO_ID);

        TesseraHttp.Response second = exchange("subject_token", delegated, "actor_token", actor,
                "actor_token_type", ACCESS, "scope", "storage.read:/escape/cms");
        Map<String, Object> act = TokenVerifier.verify(http, (String) second.json().get("access_token"))
                .getJWTClaimsSet().getJSONObjectClaim("act");
        assertThat(act).containsEntry("sub", TestClients.DEMO_ID);
        assertThat((Map<String, Object>) act.get("act")).containsEntry("sub", TestClients.DEMO_ID);
    }

    @Test
    void exchangeWhenOfflineAccessThenRefreshTokenBoundToExchangingClient() {
        TesseraHttp.Response response = exchange("subject_token", userToken, "scope", "offline_access storage.read:/escape");
        assertThat(response.json()).containsKey("refresh_token");
        TesseraHttp.Response refreshed = http.token(ftsId, ftsSecret, "grant_type", "refresh_token",
                "refresh_token", (String) response.json().get("refresh_token"));
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        TesseraHttp.Response otherClient = http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET, "grant_type",
                "refresh_token", "refresh_token", (String) refreshed.json().get("refresh_token"));
        assertThat(otherClient.json()).containsEntry("error", "invalid_grant");
    }

    @Test
    @SuppressWarnings("unchecked")
    void exchangedFamilyWhenRefreshedThenTheTokensKeepActAndAudience() throws Exception {
        String actor = (String) http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET, "grant_type",
                "client_credentials").json().get("access_token");
        TesseraHttp.Response delegated = exchange("subject_token", userToken, "actor_token", actor,
                "actor_token_type", ACCESS, "scope", "offline_access storage.read:/escape", "audience",
                "https://fts.example.org");
        assertThat(delegated.status()).as(delegated.body()).isEqualTo(200);
        String refreshToken = (String) delegated.json().get("refresh_token");
        for (int round = 0; round < 2; round++) {   // the refreshed family keeps them on every rotation
            TesseraHttp.Response refreshed = http.token(ftsId, ftsSecret, "grant_type", "refresh_token",
                    "refresh_token", refreshToken);
            assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
            JWTClaimsSet claims = TokenVerifier.verify(http, (String) refreshed.json().get("access_token"))
                    .getJWTClaimsSet();
            assertThat(claims.getAudience()).containsExactly("https://fts.example.org");
            assertThat(claims.getJSONObjectClaim("act")).containsEntry("sub", TestClients.DEMO_ID);
            assertThat(claims.getSubject()).isEqualTo(alice());
            refreshToken = (String) refreshed.json().get("refresh_token");
        }
    }

    @Test
    void exchangePoliciesWhenDenyForThisClientThenUnauthorizedClientUntilDeleted() {
        String admin = "Bearer " + http.token(TestClients.ADMIN_ID, TestClients.ADMIN_SECRET, "grant_type",
                "client_credentials", "scope", "iam:admin.read iam:admin.write").json().get("access_token");
        TesseraHttp.Response list = http.get("/iam/api/exchange/policies", "Authorization", admin);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).contains("Allow all exchanges");

        TesseraHttp.Response invalid = http.sendJson("POST", "/iam/api/exchange/policies",
                "{\"rule\":\"DENY\",\"originClient\":{\"type\":\"BY_ID\"},\"destinationClient\":{\"type\":\"ANY\"}}",
                "Authorization", admin);
        assertThat(invalid.status()).isEqualTo(400);
        assertThat((String) invalid.json().get("detail")).startsWith("originClient");

        TesseraHttp.Response deny = http.sendJson("POST", "/iam/api/exchange/policies",
                "{\"description\":\"no fts\",\"rule\":\"DENY\",\"originClient\":{\"type\":\"ANY\"},"
                        + "\"destinationClient\":{\"type\":\"BY_ID\",\"matchParam\":\"" + ftsId + "\"}}",
                "Authorization", admin);
        assertThat(deny.status()).as(deny.body()).isEqualTo(201);
        TesseraHttp.Response refused = exchange("subject_token", userToken, "scope", "storage.read:/escape");
        assertThat(refused.json()).containsEntry("error", "unauthorized_client");

        assertThat(http.sendJson("DELETE", "/iam/api/exchange/policies/" + deny.json().get("id"), null,
                "Authorization", admin).status()).isEqualTo(204);
        assertThat(exchange("subject_token", userToken, "scope", "storage.read:/escape").status()).isEqualTo(200);
    }

    @Autowired
    eu.tessera.server.group.GroupAdmin groups;
    @Autowired
    eu.tessera.server.group.VoAdmins vos;
    @Autowired
    org.springframework.security.crypto.password.PasswordEncoder encoder;

    /**
     * Exchange policies of a VO (issue 18): they govern exchanges of the VO's members' tokens only. A VO DENY refuses
     * a member's exchange the global policies allow; with the exchange globally denied, the VO's admin may PERMIT it
     * (with their own token) only once a global admin allowed the VO that destination client; another VO's admin
     * can neither see nor delete it.
     */
    @Test
    void exchangePoliciesOfAVoWhenMemberTokensThenTheVoNarrowsOrAddsWithinItsClients() {
        String admin = "Bearer " + http.token(TestClients.ADMIN_ID, TestClients.ADMIN_SECRET, "grant_type",
                "client_credentials", "scope", "iam:admin.read iam:admin.write").json().get("access_token");
        String suffix = java.util.UUID.randomUUID().toString().substring(0, 6);
        String vo = groups.create("exvo-" + suffix, null, false).id();
        String other = groups.create("exother-" + suffix, null, false).id();
        vos.mark(vo, "test");
        vos.mark(other, "test");
        String voAdmin = eu.tessera.server.testsupport.TestAccounts.insert(jdbc, encoder, "exadm", "exchange-it-pw");
        String otherAdmin = eu.tessera.server.testsupport.TestAccounts.insert(jdbc, encoder, "exoth", "exchange-it-pw");
        vos.addAdmin(vo, voAdmin, "test");
        vos.addAdmin(other, otherAdmin, "test");
        String voBearer = "Bearer " + eu.tessera.server.testsupport.UserTokens.of(properties.issuer(),
                eu.tessera.server.testsupport.TestAccounts.username(jdbc, voAdmin), "exchange-it-pw", "openid")
                .get("access_token");
        String otherBearer = "Bearer " + eu.tessera.server.testsupport.UserTokens.of(properties.issuer(),
                eu.tessera.server.testsupport.TestAccounts.username(jdbc, otherAdmin), "exchange-it-pw", "openid")
                .get("access_token");
        String denyFts = "{\"rule\":\"DENY\",\"originClient\":{\"type\":\"ANY\"},\"destinationClient\":"
                + "{\"type\":\"BY_ID\",\"matchParam\":\"" + ftsId + "\"},\"vo\":{\"uuid\":\"" + vo + "\"}}";
        String globalDeny = null;
        try {
            // a VO DENY: refuses the exchange of a member's token only
            TesseraHttp.Response voDeny = http.sendJson("POST", "/iam/api/exchange/policies", denyFts,
                    "Authorization", voBearer);
            assertThat(voDeny.status()).as(voDeny.body()).isEqualTo(201);
            assertThat(exchange("subject_token", userToken, "scope", "storage.read:/escape").status()).isEqualTo(200);
            groups.addMember(vo, alice(), null, null, "test");
            TesseraHttp.Response refused = exchange("subject_token", userToken, "scope", "storage.read:/escape");
            assertThat(refused.json()).containsEntry("error", "unauthorized_client");
            // the other VO's admin neither lists nor deletes it
            assertThat(http.get("/iam/api/exchange/policies", "Authorization", otherBearer).body())
                    .doesNotContain(ftsId);
            assertThat(http.sendJson("DELETE", "/iam/api/exchange/policies/" + voDeny.json().get("id"), null,
                    "Authorization", otherBearer).status()).isEqualTo(403);
            assertThat(http.sendJson("POST", "/iam/api/exchange/policies", denyFts.replace(vo, other), "Authorization",
                    voBearer).status()).isEqualTo(403);
            assertThat(http.sendJson("DELETE", "/iam/api/exchange/policies/" + voDeny.json().get("id"), null,
                    "Authorization", voBearer).status()).isEqualTo(204);
            assertThat(exchange("subject_token", userToken, "scope", "storage.read:/escape").status()).isEqualTo(200);

            // globally denied: the VO may permit it for its members once fts is one of the VO's clients
            TesseraHttp.Response deny = http.sendJson("POST", "/iam/api/exchange/policies", denyFts.replace(
                    ",\"vo\":{\"uuid\":\"" + vo + "\"}", ""), "Authorization", admin);
            assertThat(deny.status()).isEqualTo(201);
            globalDeny = String.valueOf(deny.json().get("id"));
            assertThat(exchange("subject_token", userToken, "scope", "storage.read:/escape").json())
                    .containsEntry("error", "unauthorized_client");
            String permitFts = denyFts.replace("\"DENY\"", "\"PERMIT\"");
            TesseraHttp.Response beyond = http.sendJson("POST", "/iam/api/exchange/policies", permitFts,
                    "Authorization", voBearer);
            assertThat(beyond.status()).isEqualTo(403);
            assertThat(beyond.body()).contains("no clients are allowed to the VO");
            TesseraHttp global = eu.tessera.server.testsupport.TestAccounts.signedIn(properties.issuer(), "admin",
                    eu.tessera.server.testsupport.TestAccounts.ADMIN_PASSWORD);
            assertThat(eu.tessera.server.testsupport.BrowserFlows.post(global, global.get("/account").body(),
                    "/manage/groups/" + vo + "/exchange-policies", "action", "limits", "clients", ftsId).status())
                    .isEqualTo(302);
            assertThat(http.sendJson("POST", "/iam/api/exchange/policies", permitFts, "Authorization", voBearer)
                    .status()).isEqualTo(201);
            assertThat(exchange("subject_token", userToken, "scope", "storage.read:/escape").status()).isEqualTo(200);
            // the page shows the VO's admin the policy
            TesseraHttp voBrowser = eu.tessera.server.testsupport.TestAccounts.signedIn(properties.issuer(),
                    eu.tessera.server.testsupport.TestAccounts.username(jdbc, voAdmin), "exchange-it-pw");
            assertThat(voBrowser.get("/manage/groups/" + vo).body()).contains("Token exchange policies of the VO",
                    ftsId);
        } finally {
            if (globalDeny != null) {
                http.sendJson("DELETE", "/iam/api/exchange/policies/" + globalDeny, null, "Authorization", admin);
            }
            jdbc.update("delete from vo_group where id in (?, ?)", vo, other);
            jdbc.update("delete from account where id in (?, ?)", voAdmin, otherAdmin);
            exchangePolicies.reload();
        }
    }

    @Autowired
    ExchangePolicyService exchangePolicies;

    @Autowired
    eu.tessera.server.keys.SigningKeyService keys;

    /** A token as this issuer would sign it, with a may_act claim (RFC 8693 section 4.4). */
    private String tokenWithMayAct(String allowedActor) throws Exception {
        com.nimbusds.jwt.JWTClaimsSet original = com.nimbusds.jwt.SignedJWT.parse(userToken).getJWTClaimsSet();
        com.nimbusds.jwt.JWTClaimsSet claims = new com.nimbusds.jwt.JWTClaimsSet.Builder(original)
                .jwtID(java.util.UUID.randomUUID().toString())
                .claim("may_act", Map.of("sub", allowedActor)).build();
        com.nimbusds.jose.jwk.RSAKey key = keys.keySet().active().toRSAKey();
        com.nimbusds.jwt.SignedJWT jwt = new com.nimbusds.jwt.SignedJWT(new com.nimbusds.jose.JWSHeader.Builder(
                com.nimbusds.jose.JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(new com.nimbusds.jose.JOSEObjectType("at+jwt")).build(), claims);
        jwt.sign(new com.nimbusds.jose.crypto.RSASSASigner(key));
        return jwt.serialize();
    }

    @Test
    void exchangeWhenSubjectMayActNamesAnotherActorThenInvalidRequest() throws Exception {
        assertThat(exchange("subject_token", tokenWithMayAct("someone-else")).json())
                .containsEntry("error", "invalid_request");
        assertThat(exchange("subject_token", tokenWithMayAct(ftsId), "scope", "storage.read:/escape").status())
                .isEqualTo(200);
    }

    @Test
    void exchangeWhenRefreshTokenRequestedThenRefreshTokenForExchangingClient() {
        TesseraHttp.Response response = exchange("subject_token", userToken, "scope",
                "offline_access storage.read:/escape", "requested_token_type",
                "urn:ietf:params:oauth:token-type:refresh_token");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json()).containsEntry("issued_token_type",
                "urn:ietf:params:oauth:token-type:refresh_token");
        TesseraHttp.Response refreshed = http.token(ftsId, ftsSecret, "grant_type", "refresh_token",
                "refresh_token", (String) response.json().get("access_token"), "scope", "storage.read:/escape/cms");
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        assertThat(refreshed.json()).containsEntry("scope", "storage.read:/escape/cms");
        TesseraHttp.Response withoutOffline = exchange("subject_token", userToken, "scope", "storage.read:/escape",
                "requested_token_type", "urn:ietf:params:oauth:token-type:refresh_token");
        assertThat(withoutOffline.json()).containsEntry("error", "invalid_request");
    }

    @Test
    void exchangeWhenSubjectInvalidRevokedOrRequestWrongThenRfc8693Errors() {
        assertThat(exchange("subject_token", "not-a-token").json()).containsEntry("error", "invalid_request");
        assertThat(exchange("subject_token", userToken, "resource", "not/absolute").json())
                .containsEntry("error", "invalid_target");
        http.postForm("/revoke", TesseraHttp.form("token", userToken),
                "Authorization", TesseraHttp.basic(TestClients.DEMO_ID, TestClients.DEMO_SECRET));
        assertThat(exchange("subject_token", userToken).json()).containsEntry("error", "invalid_request");

        String fresh = (String) UserTokens.alice(properties.issuer(), "openid storage.read:/escape").get("access_token");
        assertThat(exchange("subject_token", fresh, "requested_token_type",
                "urn:ietf:params:oauth:token-type:id_token").json()).containsEntry("error", "invalid_request");
        assertThat(exchange("subject_token", fresh, "subject_token", fresh).json())
                .containsEntry("error", "invalid_request");
        TesseraHttp.Response notAllowed = http.token(TestClients.DEMO_ID, TestClients.DEMO_SECRET, "grant_type", GRANT,
                "subject_token", fresh, "subject_token_type", ACCESS);
        assertThat(notAllowed.json()).containsEntry("error", "unauthorized_client");
    }
}
