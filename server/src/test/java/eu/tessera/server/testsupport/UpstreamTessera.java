package eu.tessera.server.testsupport;

import eu.tessera.server.TesseraApplication;
import eu.tessera.server.account.Account;
import eu.tessera.server.account.AccountRepository;
import eu.tessera.server.oauth2.client.ClientService;
import eu.tessera.server.oauth2.client.ClientSpec;
import eu.tessera.server.oauth2.client.TokenProfile;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * A second, real Tessera instance acting as an external OpenID Connect provider for the shared integration-test
 * server (its own PostgreSQL database, its own session cookie name so one browser can hold both sessions). Its port
 * is fixed when the shared server is configured; it starts at first use. The shared server knows it as providers
 * {@code upstream} (moderated), {@code upstream-jit} (trusted: accounts created just in time) and
 * {@code upstream-strict} (requires a claim nobody has); {@code offline} is a provider that cannot be reached.
 */
public final class UpstreamTessera {

    public static final String SECRET = "upstream-client-secret";
    public static final String[] PROVIDERS = {"upstream", "upstream-jit", "upstream-strict"};
    private static UpstreamTessera instance;

    public final int port = PostgresAndPortInitializer.freePort();
    private ConfigurableApplicationContext context;

    public static synchronized UpstreamTessera get() {
        if (instance == null) {
            instance = new UpstreamTessera();
        }
        return instance;
    }

    public String issuer() {
        return "http://127.0.0.1:" + port;
    }

    /** The shared server's provider settings. */
    public Map<String, Object> properties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (int i = 0; i < PROVIDERS.length; i++) {
            String prefix = "tessera.oidc.providers[" + i + "].";
            properties.put(prefix + "name", PROVIDERS[i]);
            properties.put(prefix + "display-name", "Upstream VO (" + PROVIDERS[i] + ")");
            properties.put(prefix + "issuer", issuer());
            properties.put(prefix + "client-id", PROVIDERS[i] + "-client");
            properties.put(prefix + "client-secret", SECRET);
        }
        properties.put("tessera.oidc.providers[1].trusted", "true");
        properties.put("tessera.oidc.providers[2].required-claims", "eduperson_entitlement=urn:example:vo:member");
        // a provider that cannot be reached (nothing listens on port 9)
        properties.put("tessera.oidc.providers[3].name", "offline");
        properties.put("tessera.oidc.providers[3].issuer", "http://127.0.0.1:9");
        properties.put("tessera.oidc.providers[3].client-id", "offline-client");
        properties.put("tessera.oidc.providers[3].client-secret", SECRET);
        return properties;
    }

    /** Starts the upstream (once) with a client per provider redirecting to {@code downstreamIssuer}. */
    public synchronized void start(String downstreamIssuer) {
        if (context != null) {
            return;
        }
        context = new SpringApplicationBuilder(TesseraApplication.class).run(
                "--server.port=" + port, "--server.address=127.0.0.1", "--tessera.issuer=" + issuer(),
                "--spring.datasource.url=" + EmbeddedPostgresServer.newDatabase("tessera_upstream"),
                "--spring.datasource.username=postgres", "--spring.datasource.password=",
                "--server.servlet.session.cookie.name=UPSTREAMSESSION",
                "--tessera.keys.encryption-secret=upstream-secret", "--tessera.admin.password=upstream-admin",
                "--logging.level.root=warn");
        ClientService clients = context.getBean(ClientService.class);
        for (String provider : PROVIDERS) {
            clients.create(new ClientSpec(provider + "-client", SECRET, "Tessera downstream " + provider, false,
                    Set.of("client_secret_basic"), Set.of("authorization_code", "refresh_token"),
                    Set.of(downstreamIssuer + "/login/oauth2/code/" + provider), Set.of(),
                    Set.of("openid", "profile", "email"), TokenProfile.WLCG, false, false));
        }
    }

    /** Creates a user with a password at the upstream; returns its id (the subject the downstream sees). */
    public String user(String username, String email, String password) {
        AccountRepository accounts = context.getBean(AccountRepository.class);
        Account account = new Account(username, email, "Up", username, Instant.now());
        account.setPasswordHash(context.getBean(PasswordEncoder.class).encode(password), Instant.now());
        return accounts.saveAndFlush(account).getId();
    }
}
