package eu.tessera.server.admin;

import eu.tessera.server.account.Account;
import eu.tessera.server.account.AccountRepository;
import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.group.Membership;
import eu.tessera.server.group.MembershipRepository;
import eu.tessera.server.group.VoGroup;
import eu.tessera.server.group.VoGroupRepository;
import eu.tessera.server.keys.SigningKeyService;
import eu.tessera.server.oauth2.client.ClientSecrets;
import eu.tessera.server.oauth2.client.ClientService;
import eu.tessera.server.oauth2.client.ClientSpec;
import eu.tessera.server.oauth2.client.TokenProfile;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * First start: the {@code admin} account, the signing keys, the admin API client (when configured) and,
 * optionally, the demo VO. Idempotent: what exists is left alone.
 */
@Service
public class BootstrapService implements SmartLifecycle {

    /**
     * Before the web server starts (Spring Boot starts it in phase {@code Integer.MAX_VALUE - 1024}) and before
     * the background workers: no request can see an issuer without keys, admin account or admin client, and the
     * readiness probe turns UP only after it (ApplicationReadyEvent follows the lifecycle start).
     */
    static final int PHASE = Integer.MIN_VALUE + 1000;

    private volatile boolean running;

    private static final Logger log = LoggerFactory.getLogger(BootstrapService.class);
    static final Set<String> ADMIN_SCOPES = Set.of("iam:admin.read", "iam:admin.write", "scim:read", "scim:write");

    private final AccountRepository accounts;
    private final VoGroupRepository groups;
    private final MembershipRepository memberships;
    private final ClientService clients;
    private final SigningKeyService keys;
    private final PasswordEncoder encoder;
    private final TesseraProperties properties;
    private final Clock clock;

    public BootstrapService(AccountRepository accounts, VoGroupRepository groups, MembershipRepository memberships,
            ClientService clients, SigningKeyService keys, PasswordEncoder encoder, TesseraProperties properties,
            Clock clock) {
        this.accounts = accounts;
        this.groups = groups;
        this.memberships = memberships;
        this.clients = clients;
        this.keys = keys;
        this.encoder = encoder;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public void start() {
        keys.ensureKeys();
        bootstrap();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    @Transactional
    public void bootstrap() {
        if (accounts.findByUsername("admin").isEmpty()) {
            String password = properties.admin().password();
            boolean generated = password == null || password.isBlank();
            if (generated) {
                password = ClientSecrets.generate().substring(0, 20);
            }
            Account admin = new Account("admin", null, "Tessera", "Administrator", clock.instant());
            admin.setAdmin(true);
            admin.setPasswordHash(encoder.encode(password), clock.instant());
            accounts.save(admin);
            if (generated) {
                // printed once, at creation; set TESSERA_ADMIN_PASSWORD to choose it instead
                log.warn("created account 'admin' with generated password: {}", password);
            } else {
                log.info("created account 'admin' with the password from tessera.admin.password");
            }
        }
        TesseraProperties.Admin admin = properties.admin();
        if (admin.email() != null && !admin.email().isBlank()) {
            accounts.findByUsername("admin").filter(a -> a.getEmail() == null).ifPresent(account -> {
                account.setEmail(admin.email().strip(), clock.instant());
                accounts.save(account);
                log.info("account 'admin' now has the email from tessera.admin.email");
            });
        }
        if (admin.clientId() != null && !admin.clientId().isBlank() && admin.clientSecret() != null
                && !admin.clientSecret().isBlank() && clients.findByClientId(admin.clientId()).isEmpty()) {
            clients.create(new ClientSpec(admin.clientId(), admin.clientSecret(), "Tessera admin API client", false,
                    Set.of("client_secret_basic", "client_secret_post"), Set.of("client_credentials"), Set.of(),
                    Set.of(), ADMIN_SCOPES, TokenProfile.WLCG, false, false));
            log.info("created admin API client '{}'", admin.clientId());
        }
        if (properties.demo().enabled()) {
            loadDemo();
        }
    }

    private void loadDemo() {
        VoGroup escape = group("/escape", null, false);
        VoGroup cms = group("/escape/cms", escape, false);
        group("/escape/atlas", escape, false);
        VoGroup dataManager = group("/escape/data-manager", escape, true);
        if (accounts.findByUsername("alice").isEmpty()) {
            Account alice = new Account("alice", "alice@example.org", "Alice", "Example", clock.instant());
            alice.setPasswordHash(encoder.encode(properties.demo().memberPassword()), clock.instant());
            accounts.save(alice);
            for (VoGroup group : List.of(escape, cms)) {
                memberships.save(new Membership(alice.getId(), group.getId(), false, clock.instant()));
            }
            memberships.save(new Membership(alice.getId(), dataManager.getId(), true, clock.instant()));
            log.info("demo: created member 'alice' in /escape, /escape/cms and (optional) /escape/data-manager");
        }
        if (clients.findByClientId("demo-client").isEmpty()) {
            Set<String> scopes = new LinkedHashSet<>(List.of("openid", "profile", "email", "offline_access",
                    "wlcg.groups", "wlcg.capabilityset", "storage.read:/escape", "storage.create:/escape",
                    "compute.read"));
            clients.create(new ClientSpec("demo-client", properties.demo().clientSecret(), "Tessera demo client", false,
                    Set.of("client_secret_basic", "client_secret_post"),
                    Set.of("authorization_code", "refresh_token", "client_credentials"),
                    Set.of("http://127.0.0.1:9876/callback", "http://localhost:9876/callback"), Set.of(), scopes,
                    TokenProfile.WLCG, true, false));
            log.info("demo: created client 'demo-client'");
        }
    }

    private VoGroup group(String path, VoGroup parent, boolean optional) {
        return groups.findByPath(path).orElseGet(() ->
                groups.save(new VoGroup(path, parent == null ? null : parent.getId(), optional, clock.instant())));
    }
}
