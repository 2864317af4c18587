package eu.tessera.server.sync;

import static eu.tessera.server.sync.SyncSource.within;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.sync.testing.RucioStandIn;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The account sync on the embedded H2 database (its Java triggers) with Rucio userpass login, against the Rucio
 * STAND-IN (Rucio cannot run here; the stand-in follows its REST API). Also: invalid sync configuration stops
 * start-up naming the property.
 */
class AccountSyncH2IT {

    @TempDir
    Path dir;

    private String h2() {
        return "jdbc:h2:file:" + dir.resolve("tessera") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH";
    }

    @Test
    void changeOnH2ThenPushedToRucioLoggedInWithUserpass() throws Exception {
        try (RucioStandIn rucio = new RucioStandIn(token -> null)) {
            rucio.addUserpass("root", "tessera-sync", "rucio-password");
            SyncSource source = new SyncSource(h2(), List.of(
                    "--tessera.sync.targets[0].name=rucio", "--tessera.sync.targets[0].type=RUCIO",
                    "--tessera.sync.targets[0].url=" + rucio.url(), "--tessera.sync.targets[0].auth=USERPASS",
                    "--tessera.sync.targets[0].rucio-account=root", "--tessera.sync.targets[0].username=tessera-sync",
                    "--tessera.sync.targets[0].password=rucio-password",
                    "--tessera.sync.targets[0].dn-format=SLASH", "--tessera.sync.reconcile-interval=2s"));
            try (source) {
                source.start();
                TesseraHttp http = source.http();
                String id = (String) http.sendJson("POST", "/scim/Users", "{\"userName\":\"H2.User\",\"emails\":"
                        + "[{\"value\":\"h2@example.org\"}]}", "Authorization", "Bearer " + source.adminToken())
                        .json().get("id");
                http.sendJson("POST", "/iam/account/" + id + "/certificates", "{\"subjectDn\":\"CN=H2 User,O=Example,"
                        + "C=IT\",\"issuerDn\":\"CN=CA,O=Example,C=IT\"}", "Authorization",
                        "Bearer " + source.adminToken());
                assertThat(within(10_000, () -> rucio.account("h2_user") != null
                        && rucio.account("h2_user").identities.size() == 2)).isTrue();
                assertThat(rucio.account("h2_user").identities).contains(
                        List.of("OIDC", "SUB=" + id + ", ISS=" + source.issuer()),
                        List.of("X509", "/C=IT/O=Example/CN=H2 User"));
                // drift made in Rucio behind Tessera's back: the scheduled reconciliation repairs it
                rucio.removeIdentityDirectly("h2_user", "X509", "/C=IT/O=Example/CN=H2 User");
                assertThat(within(10_000, () -> rucio.account("h2_user").identities.size() == 2)).isTrue();
            }
        }
    }

    @Test
    void invalidSyncConfigurationThenStartUpStopsNamingTheProperty() {
        SyncSource noTargets = new SyncSource(h2(), List.of());
        assertThatThrownBy(noTargets::start).hasStackTraceContaining("tessera.sync.enabled needs at least one target");
        SyncSource badRule = new SyncSource(h2(), List.of("--tessera.sync.targets[0].name=rucio",
                "--tessera.sync.targets[0].type=RUCIO", "--tessera.sync.targets[0].url=http://127.0.0.1:9",
                "--tessera.sync.targets[0].auth=BEARER", "--tessera.sync.targets[0].bearer-token=x",
                "--tessera.sync.targets[0].attribute-rules[0]=admin=True"));
        assertThatThrownBy(badRule::start).hasStackTraceContaining("/group/path:key=value");
        SyncSource noSecret = new SyncSource(h2(), List.of("--tessera.sync.targets[0].name=scim",
                "--tessera.sync.targets[0].type=SCIM", "--tessera.sync.targets[0].url=http://127.0.0.1:9/scim"));
        assertThatThrownBy(noSecret::start).hasStackTraceContaining("tessera.sync.targets[0].auth=TOKEN needs");
    }
}
