package eu.tessera.server.sync;

import static eu.tessera.server.sync.SyncSource.within;
import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.testsupport.EmbeddedPostgresServer;
import eu.tessera.sync.testing.RucioStandIn;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Account sync per VO (issue 18): two VOs in one Tessera, each with its own Rucio instance (two stand-ins enforcing
 * what Rucio enforces, see {@link RucioStandIn}), each target configured with its VO's group as the README says
 * ({@code tessera.sync.targets[N].groups}). Each Rucio receives only its VO's members; a member of both is in both;
 * suspension from one VO takes the member's identities out of that VO's Rucio only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PerVoSyncIT {

    private SyncSource source;
    private RucioStandIn cmsRucio;
    private RucioStandIn lofarRucio;
    private String cms;
    private String lofar;

    @BeforeAll
    void start() {
        SyncSource[] holder = new SyncSource[1];
        cmsRucio = new RucioStandIn(token -> holder[0] == null ? null : holder[0].rucioTokenClaims(token));
        lofarRucio = new RucioStandIn(token -> holder[0] == null ? null : holder[0].rucioTokenClaims(token));
        source = new SyncSource(EmbeddedPostgresServer.newDatabase("tessera_vo_sync"), List.of(
                "--spring.datasource.username=postgres", "--spring.datasource.password=",
                "--tessera.sync.targets[0].name=rucio-cms", "--tessera.sync.targets[0].type=RUCIO",
                "--tessera.sync.targets[0].url=" + cmsRucio.url(), "--tessera.sync.targets[0].groups=/cms",
                "--tessera.sync.targets[0].client-id=" + SyncSource.ADMIN_ID,
                "--tessera.sync.targets[0].client-secret=" + SyncSource.ADMIN_SECRET,
                "--tessera.sync.targets[0].audience=rucio",
                "--tessera.sync.targets[1].name=rucio-lofar", "--tessera.sync.targets[1].type=RUCIO",
                "--tessera.sync.targets[1].url=" + lofarRucio.url(), "--tessera.sync.targets[1].groups=/lofar",
                "--tessera.sync.targets[1].client-id=" + SyncSource.ADMIN_ID,
                "--tessera.sync.targets[1].client-secret=" + SyncSource.ADMIN_SECRET,
                "--tessera.sync.targets[1].audience=rucio"));
        holder[0] = source;
        source.start();
        // the README's TOKEN mode: a client for the sync with the scopes Rucio expects (openid profile), its identity
        // mapped to root in each VO's Rucio (Rucio's generic policy: only root creates and deletes accounts)
        Map<String, Object> client = source.http().sendJson("POST", "/register", "{\"client_name\":\"rucio-sync\","
                + "\"grant_types\":[\"client_credentials\"],\"scope\":\"openid profile\"}", "Authorization",
                bearer()).json();
        for (RucioStandIn rucio : List.of(cmsRucio, lofarRucio)) {
            rucio.addIdentityDirectly("root", "OIDC", "SUB=" + client.get("client_id") + ", ISS=" + source.issuer());
        }
        source.close();
        source.configure(List.of("--tessera.sync.targets[0].client-id=" + client.get("client_id"),
                "--tessera.sync.targets[0].client-secret=" + client.get("client_secret"),
                "--tessera.sync.targets[1].client-id=" + client.get("client_id"),
                "--tessera.sync.targets[1].client-secret=" + client.get("client_secret")));
        source.start();
        cms = group("cms");
        lofar = group("lofar");
    }

    @AfterAll
    void stop() {
        source.close();
        cmsRucio.close();
        lofarRucio.close();
    }

    private String bearer() {
        return "Bearer " + source.adminToken();
    }

    private String group(String name) {
        return (String) source.http().sendJson("POST", "/iam/group", "{\"name\":\"" + name + "\"}", "Authorization",
                bearer()).json().get("id");
    }


    private boolean synced(RucioStandIn rucio, String username, String id) {
        RucioStandIn.Account account = rucio.account(username);
        return account != null && account.identities.contains(List.of("OIDC", "SUB=" + id + ", ISS="
                + source.issuer()));
    }

    @Test
    void eachVosRucioReceivesOnlyItsMembers() throws Exception {
        String cmsOnly = source.createUser("vs-cms");
        String lofarOnly = source.createUser("vs-lofar");
        String both = source.createUser("vs-both");
        source.join(cms, cmsOnly);
        source.join(lofar, lofarOnly);
        source.join(cms, both);
        source.join(lofar, both);
        assertThat(within(15_000, () -> synced(cmsRucio, "vs-cms", cmsOnly) && synced(cmsRucio, "vs-both", both)
                && synced(lofarRucio, "vs-lofar", lofarOnly) && synced(lofarRucio, "vs-both", both)))
                .as("%s %s", cmsRucio.refusals(), source.jdbc().queryForList("select last_error from sync_pending"))
                .isTrue();
        // give the outbox time to (wrongly) deliver the others, then check nobody crossed over
        Thread.sleep(1_500);
        assertThat(cmsRucio.account("vs-lofar")).isNull();
        assertThat(lofarRucio.account("vs-cms")).isNull();

        // suspended from LOFAR: out of LOFAR's Rucio (identities removed, account kept), still in CMS's
        assertThat(source.http().sendJson("DELETE", "/iam/group/" + lofar + "/members/" + both, null,
                "Authorization", bearer()).status()).isLessThan(300);
        assertThat(within(15_000, () -> lofarRucio.account("vs-both").identities.isEmpty())).isTrue();
        assertThat(synced(cmsRucio, "vs-both", both)).isTrue();
        Map<String, String> attributes = cmsRucio.account("vs-both").attributes;
        assertThat(attributes).containsKey("tessera_id");
    }
}
