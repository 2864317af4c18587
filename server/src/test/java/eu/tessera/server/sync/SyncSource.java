package eu.tessera.server.sync;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import eu.tessera.server.TesseraApplication;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.sync.testing.RucioStandIn;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A second Tessera instance for the sync tests: the source of changes, with its own database, restartable, pushing
 * to the Rucio stand-in and to a SCIM target. Rucio accepts the source's own tokens (signature checked against its
 * JWKS, audience {@code rucio}), as a real Rucio configured to trust this issuer would.
 */
public final class SyncSource implements AutoCloseable {

    public static final String ADMIN_ID = "sync-admin";
    public static final String ADMIN_SECRET = "sync-admin-secret";

    private final int port = freePort();
    private final String issuerSuffix;
    private final List<String> arguments = new ArrayList<>();
    private volatile JWKSet keys;
    private ConfigurableApplicationContext context;

    SyncSource(String datasourceUrl, List<String> extra) {
        this(datasourceUrl, extra, false);
    }

    /**
     * @param issuerWithSlash the issuer ends with a slash, as INDIGO IAM's always does ({@code https://iam.example/}):
     *                        a VO that moved from IAM keeps that exact {@code iss}
     */
    public SyncSource(String datasourceUrl, List<String> extra, boolean issuerWithSlash) {
        this.issuerSuffix = issuerWithSlash ? "/" : "";
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + port, "--server.address=127.0.0.1", "--tessera.issuer=" + issuer(),
                "--spring.datasource.url=" + datasourceUrl,
                "--tessera.keys.encryption-secret=sync-source-secret",
                "--tessera.admin.password=sync-admin-password",
                "--tessera.admin.client-id=" + ADMIN_ID, "--tessera.admin.client-secret=" + ADMIN_SECRET,
                "--tessera.sync.enabled=true", "--tessera.sync.poll-interval=200ms",
                "--tessera.sync.retry-base=100ms", "--tessera.sync.retry-max=1s", "--tessera.sync.lease=3s",
                "--tessera.sync.timeout=1s", "--tessera.sync.reconcile-interval=0s",
                "--logging.level.eu.tessera.sync=warn"));
        arguments.addAll(args);
        configure(extra);
    }

    /** Adds arguments (an argument replaces one of the same name); they apply from the next {@link #start()}. */
    public void configure(List<String> extra) {
        for (String argument : extra) {
            String name = argument.substring(0, argument.indexOf('=') + 1);
            arguments.removeIf(existing -> existing.startsWith(name));
            arguments.add(argument);
        }
    }

    /** The issuer exactly as configured and put in {@code iss}. */
    public String issuer() {
        return baseUrl() + issuerSuffix;
    }

    /** Where the pages and endpoints are: the issuer without a trailing slash. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public void start() {
        if (context != null) {
            return;
        }
        context = new SpringApplicationBuilder(TesseraApplication.class).run(arguments.toArray(String[]::new));
    }

    @Override
    public void close() {
        if (context != null) {
            context.close();
            context = null;
        }
    }

    public JdbcTemplate jdbc() {
        return context.getBean(JdbcTemplate.class);
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public TesseraHttp http() {
        return TesseraHttp.to(baseUrl());
    }

    public String adminToken() {
        return (String) http().token(ADMIN_ID, ADMIN_SECRET, "grant_type", "client_credentials", "scope",
                "iam:admin.read iam:admin.write scim:read scim:write").json().get("access_token");
    }

    /**
     * What a Rucio configured to trust this issuer checks first ({@code core/oidc.py validate_jwt}): the signature
     * against this instance's JWKS. The claims go back to the stand-in, which applies Rucio's expiry, scope, audience
     * and identity rules to them.
     */
    public Map<String, Object> rucioTokenClaims(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (keys == null || keys.getKeyByKeyId(jwt.getHeader().getKeyID()) == null) {
                keys = JWKSet.parse(http().get("/jwk").body());
            }
            com.nimbusds.jose.jwk.JWK key = keys.getKeyByKeyId(jwt.getHeader().getKeyID());
            if (key == null || !jwt.verify(new com.nimbusds.jose.crypto.RSASSAVerifier(key.toRSAKey()))
                    || !issuer().equals(jwt.getJWTClaimsSet().getIssuer())) {
                return null;
            }
            Map<String, Object> claims = new java.util.LinkedHashMap<>(jwt.getJWTClaimsSet().toJSONObject());
            claims.put("exp", jwt.getJWTClaimsSet().getExpirationTime().getTime() / 1000);
            return claims;
        } catch (Exception e) {
            return null;
        }
    }

    /** Creates an account through SCIM with the admin client (mail {@code <username>@example.org}); its id. */
    public String createUser(String username) {
        return (String) http().sendJson("POST", "/scim/Users", "{\"userName\":\"" + username
                + "\",\"name\":{\"givenName\":\"Sync\",\"familyName\":\"User\"},\"emails\":[{\"value\":\"" + username
                + "@example.org\",\"primary\":true}]}", "Authorization", "Bearer " + adminToken(), "Content-Type",
                "application/scim+json").json().get("id");
    }

    /** Adds the account to the group through the API with the admin client. */
    public void join(String group, String account) {
        org.assertj.core.api.Assertions.assertThat(http().sendJson("POST", "/iam/group/" + group + "/members/"
                + account, "{}", "Authorization", "Bearer " + adminToken()).status()).isLessThan(300);
    }

    public static boolean within(long millis, BooleanSupplier condition) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }

    static RucioStandIn.Account account(RucioStandIn rucio, String name) {
        return rucio.account(name);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
