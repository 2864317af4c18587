package eu.tessera.server.migration;

import static eu.tessera.server.sync.SyncSource.within;
import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.account.AccountLifecycle;
import eu.tessera.server.sync.SyncSource;
import eu.tessera.server.testsupport.EmbeddedPostgresServer;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import eu.tessera.sync.rucio.OwnerMarker;
import eu.tessera.sync.testing.RucioStandIn;
import eu.tessera.voms.pki.DistinguishedNames;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The switch day of a VO that ran INDIGO IAM with a Rucio sync script: Tessera takes over IAM's issuer URL (with the
 * trailing slash IAM always puts in {@code iss}), imports the VO from the IAM STAND-IN ({@link IamStandIn}, IAM
 * cannot run here) and its own account sync then sends the RUCIO STAND-IN ({@link RucioStandIn}, Rucio cannot run
 * here; it enforces Rucio's own validation) exactly the identities the IAM-era script had created: nothing added,
 * nothing taken away, except from the accounts that are suspended or expired at the source.
 *
 * <p>The IAM-era state is what the sync scripts VOs run against IAM write (ESCAPE-WP2 and CTAO
 * {@code sync_iam_rucio.py}): one Rucio USER account per member named by the IAM username, the OIDC identity
 * {@code SUB=<IAM id>, ISS=<IAM issuer>} and each certificate's subject in the slash (grid-map) form.</p>
 */
@TesseraIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IamMoveSyncIT {

    private static final String TOKEN = "iam-move-token-" + UUID.randomUUID();

    private final String tag = "mz" + UUID.randomUUID().toString().substring(0, 4);
    private IamDataset data;
    private IamStandIn iam;
    private RucioStandIn rucio;
    private SyncSource tessera;
    /** Per Rucio account, the identities the IAM-era script had created. */
    private final Map<String, Set<List<String>>> before = new HashMap<>();

    @BeforeAll
    void start() throws Exception {
        data = IamDataset.generate(120, tag);
        iam = new IamStandIn(data, TOKEN);
        SyncSource[] holder = new SyncSource[1];
        rucio = new RucioStandIn(token -> holder[0] == null ? null : holder[0].rucioTokenClaims(token));
        // the README's switch-day configuration: IAM's issuer exactly, the Rucio target adopting the accounts the
        // old script created (USER accounts without Tessera's marker), DNs in the form that script wrote
        tessera = new SyncSource(EmbeddedPostgresServer.newDatabase("tessera_move"), List.of(
                "--spring.datasource.username=postgres", "--spring.datasource.password=",
                "--tessera.sync.max-attempts=20", "--tessera.sync.batch=50",
                "--tessera.sync.targets[0].name=rucio", "--tessera.sync.targets[0].type=RUCIO",
                "--tessera.sync.targets[0].url=" + rucio.url(), "--tessera.sync.targets[0].groups=/" + tag,
                "--tessera.sync.targets[0].client-id=" + SyncSource.ADMIN_ID,
                "--tessera.sync.targets[0].client-secret=" + SyncSource.ADMIN_SECRET,
                "--tessera.sync.targets[0].audience=rucio",
                "--tessera.sync.targets[0].dn-format=SLASH",
                "--tessera.sync.targets[0].adopt-existing-accounts=true"), true);
        holder[0] = tessera;
        for (IamDataset.User user : data.users) {
            if (!user.username().matches("[a-z0-9-_]{1,25}")) {
                continue;   // a name Rucio refuses: the old script could not have created it
            }
            rucio.createDirectly(user.username(), "USER", user.email);
            Set<List<String>> identities = new LinkedHashSet<>();
            identities.add(List.of("OIDC", "SUB=" + user.id() + ", ISS=" + tessera.issuer()));
            for (IamDataset.Certificate certificate : user.certificates) {
                try {
                    identities.add(List.of("X509", DistinguishedNames.canonical(certificate.subject())));
                } catch (IllegalArgumentException notADn) {
                    // the broken row: no grid-map line either
                }
            }
            identities.forEach(i -> rucio.addIdentityDirectly(user.username(), i.get(0), i.get(1)));
            before.put(user.username(), identities);
        }
        tessera.start();
        // the README's TOKEN mode: a client for the sync with the scopes Rucio expects, mapped to root in Rucio
        Map<String, Object> client = tessera.http().sendJson("POST", "/register", "{\"client_name\":\"rucio-sync\","
                + "\"grant_types\":[\"client_credentials\"],\"scope\":\"openid profile\"}", "Authorization",
                "Bearer " + tessera.adminToken()).json();
        rucio.addIdentityDirectly("root", "OIDC", "SUB=" + client.get("client_id") + ", ISS=" + tessera.issuer());
        tessera.close();
        tessera.configure(List.of("--tessera.sync.targets[0].client-id=" + client.get("client_id"),
                "--tessera.sync.targets[0].client-secret=" + client.get("client_secret")));
        tessera.start();
    }

    @AfterAll
    void stop() {
        tessera.close();
        rucio.close();
        iam.close();
    }

    @Test
    void relyingPartiesSeeIamsIssuerAndTheSyncSendsRucioTheIdentitiesIamsScriptHadCreated() throws Exception {
        // a relying party (openid-client, jose) finds and trusts the same issuer string, trailing slash included
        Map<String, Object> rp = relyingParty();
        assertThat(rp).containsEntry("issuer", tessera.issuer()).containsEntry("iss", tessera.issuer())
                .containsEntry("token_endpoint", tessera.baseUrl() + "/token")
                .containsEntry("jwks_uri", tessera.baseUrl() + "/jwk");

        ImportReport report = tessera.bean(Importer.class).run(iam.url(), new IamSource(iam.url(), TOKEN).read(),
                false);
        assertThat(report.count("accounts", "created")).isEqualTo(118);   // the duplicate email, the bad username
        tessera.bean(AccountLifecycle.class).run();   // the expired ones start their grace period now
        assertThat(within(60_000, () -> tessera.jdbc().queryForObject("select count(*) from sync_event",
                Integer.class) == 0 && tessera.jdbc().queryForObject("select count(*) from sync_pending where "
                + "status <> 'PARKED'", Integer.class) == 0)).isTrue();
        assertThat(tessera.jdbc().queryForList("select username || ': ' || last_error from sync_pending",
                String.class)).isEmpty();

        Instant now = Instant.now();
        int same = 0;
        int emptied = 0;
        for (IamDataset.User user : data.users) {
            Set<List<String>> old = before.get(user.username());
            if (old == null) {
                continue;
            }
            RucioStandIn.Account account = rucio.account(user.username());
            boolean imported = tessera.jdbc().queryForObject("select count(*) from account where id = ?",
                    Integer.class, user.id()) == 1;
            if (!imported) {   // refused by the import: Tessera leaves the old account alone
                assertThat(account.identities).as(user.username()).isEqualTo(old);
                assertThat(account.attributes).as(user.username()).doesNotContainKey("tessera_id");
                continue;
            }
            assertThat(account.attributes).as(user.username()).containsEntry("tessera_id", OwnerMarker.of(user.id()));
            assertThat(account.status).isEqualTo("ACTIVE");
            boolean valid = user.active && (user.endTime == null || user.endTime.isAfter(now));
            if (valid) {
                assertThat(account.identities).as(user.username()).isEqualTo(old);
                same++;
            } else {   // suspended or expired at the source: no way in through Rucio, the account kept
                assertThat(account.identities).as(user.username()).isEmpty();
                emptied++;
            }
        }
        assertThat(same).isGreaterThan(100);
        assertThat(emptied).isGreaterThanOrEqualTo(3);   // suspended 0049, expired 0001 and 0061 (0099 may be refused)
        // Rucio refused nothing Tessera sent (a lookup of an account Rucio does not have is an answer, not a refusal)
        assertThat(rucio.refusals()).allMatch(r -> r.startsWith("404 AccountNotFound"));
    }

    private Map<String, Object> relyingParty() throws Exception {
        Path script = Path.of("src/test/node/issuer-slash.mjs").toAbsolutePath();
        assertThat(Files.isDirectory(script.getParent().resolve("node_modules/openid-client")))
                .as("npm packages installed by the test command (bin/test)").isTrue();
        ProcessBuilder builder = new ProcessBuilder("node", script.toString()).redirectErrorStream(true);
        builder.environment().putAll(Map.of("ISSUER", tessera.issuer(), "CLIENT_ID", SyncSource.ADMIN_ID,
                "CLIENT_SECRET", SyncSource.ADMIN_SECRET));
        Process node = builder.start();
        List<String> output = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(),
                StandardCharsets.UTF_8))) {
            out.lines().forEach(output::add);
        }
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).as(String.join("\n", output)).isZero();
        return JsonMapper.builder().build().readValue(output.get(output.size() - 1),
                new TypeReference<Map<String, Object>>() { });
    }
}
