package eu.tessera.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.BrowserFlows;
import eu.tessera.server.testsupport.TestAccounts;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Group labels and attributes on the group page: admins set and remove them; managers only see them. */
@TesseraIntegrationTest
class GroupPropertiesPageIT {

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void adminSetsAndRemovesLabelsAndAttributesEscapedAndManagersCannot() {
        String atlas = jdbc.queryForObject("select id from vo_group where path = '/escape/atlas'", String.class);
        TesseraHttp admin = TesseraHttp.browser(properties.issuer());
        BrowserFlows.login(admin, "admin", TestAccounts.ADMIN_PASSWORD);
        String page = admin.get("/manage/groups/" + atlas).body();
        assertThat(page).contains("Labels and attributes");
        assertThat(admin.postForm("/manage/groups/" + atlas, TesseraHttp.form("action", "property-set", "kind",
                "ATTRIBUTE", "name", "experiment", "value", "<b>atlas</b>", "_csrf", BrowserFlows.csrf(page)))
                .location()).endsWith("?changed");
        assertThat(admin.postForm("/manage/groups/" + atlas, TesseraHttp.form("action", "property-set", "kind",
                "LABEL", "name", "visible", "value", "yes", "_csrf", BrowserFlows.csrf(page))).location())
                .endsWith("?changed");
        assertThat(jdbc.queryForObject("select prop_value from group_property where group_id = ? and kind = "
                + "'ATTRIBUTE' and name = 'experiment'", String.class, atlas)).isEqualTo("<b>atlas</b>");
        String shown = admin.get("/manage/groups/" + atlas).body();
        assertThat(shown).contains("&lt;b&gt;atlas&lt;/b&gt;").doesNotContain("<b>atlas</b>");
        TesseraHttp.Response bad = admin.postForm("/manage/groups/" + atlas, TesseraHttp.form("action",
                "property-set", "kind", "LABEL", "name", "bad name!", "value", "x", "_csrf", BrowserFlows.csrf(page)));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("name: 1 to 64 letters");
        assertThat(admin.postForm("/manage/groups/" + atlas, TesseraHttp.form("action", "property-remove", "kind",
                "LABEL", "name", "visible", "_csrf", BrowserFlows.csrf(page))).location()).endsWith("?changed");
        assertThat(jdbc.queryForObject("select count(*) from group_property where group_id = ? and kind = 'LABEL'",
                Long.class, atlas)).isZero();

        // a manager of the group sees them but cannot change them
        String aliceId = jdbc.queryForObject("select id from account where username = 'alice'", String.class);
        jdbc.update("insert into group_manager (group_id, account_id, created_at) values (?, ?, now())", atlas,
                aliceId);
        try {
            TesseraHttp alice = TesseraHttp.browser(properties.issuer());
            BrowserFlows.login(alice, TestAccounts.ALICE, TestAccounts.ALICE_PASSWORD);
            String managerPage = alice.get("/manage/groups/" + atlas).body();
            assertThat(managerPage).contains("experiment").doesNotContain("property-set");
            TesseraHttp.Response refused = alice.postForm("/manage/groups/" + atlas, TesseraHttp.form("action",
                    "property-remove", "kind", "ATTRIBUTE", "name", "experiment", "_csrf",
                    BrowserFlows.csrf(managerPage)));
            assertThat(refused.status()).isEqualTo(403);
            assertThat(jdbc.queryForObject("select count(*) from group_property where group_id = ?", Long.class,
                    atlas)).isEqualTo(1);
        } finally {
            jdbc.update("delete from group_manager where group_id = ? and account_id = ?", atlas, aliceId);
            jdbc.update("delete from group_property where group_id = ?", atlas);
        }
    }
}
