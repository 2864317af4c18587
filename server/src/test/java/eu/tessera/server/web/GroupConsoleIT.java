package eu.tessera.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.BrowserFlows;
import eu.tessera.server.testsupport.TestAccounts;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The group tree, a group's page (members paged and searched, added with an end date, end dates changed, removed
 * after confirming; managers; subgroups; settings with the subtree following a move; requests decided on the page),
 * the one requests inbox (filters, bulk approval of registrations and group requests together) and the dashboard,
 * as admins, group managers and readers use them. Outcomes are rows and audit entries.
 */
@TesseraIntegrationTest
class GroupConsoleIT {

    private static final String PASSWORD = "group-console-password";

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PasswordEncoder encoder;

    private final List<String> accounts = new ArrayList<>();
    private String prefix;
    private String top;
    private TesseraHttp admin;

    @BeforeEach
    void setUp() {
        prefix = "gc" + UUID.randomUUID().toString().substring(0, 6);
        top = group(prefix, null);
        admin = TestAccounts.signedIn(properties.issuer(), "admin", TestAccounts.ADMIN_PASSWORD);
    }

    @AfterEach
    void cleanUp() {
        accounts.forEach(id -> jdbc.update("delete from account where id = ?", id));
        jdbc.update("delete from registration_request where username like ?", prefix + "%");
        // children before parents
        jdbc.update("delete from vo_group where path like ? and path <> ? and parent_id <> ?", "/" + prefix + "/%",
                "/" + prefix, top);
        jdbc.update("delete from vo_group where parent_id = ?", top);
        jdbc.update("delete from vo_group where id = ?", top);
    }

    private String group(String name, String parent) {
        String id = UUID.randomUUID().toString();
        String path = parent == null ? "/" + name : jdbc.queryForObject("select path from vo_group where id = ?",
                String.class, parent) + "/" + name;
        jdbc.update("insert into vo_group (id, name, path, parent_id, optional, created_at) values (?, ?, ?, ?, false, "
                + "?)", id, name, path, parent, Timestamp.from(Instant.now()));
        return id;
    }

    private String person(String name) {
        String id = TestAccounts.insert(jdbc, encoder, name, PASSWORD);
        accounts.add(id);
        return id;
    }

    private String username(String id) {
        return TestAccounts.username(jdbc, id);
    }

    private void member(String account, String group) {
        jdbc.update("insert into membership (account_id, group_id, optional, created_at) values (?, ?, false, ?)",
                account, group, Timestamp.from(Instant.now()));
    }

    private TesseraHttp.Response post(TesseraHttp who, String path, String... fields) {
        return BrowserFlows.post(who, who.get("/").body(), path, fields);
    }

    private static int count(String page, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(page);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void theTreeNestsGroupsWithCountsAndOpensTheBranchesToWhatWasFound() {
        String child = group("analysis", top);
        String grandchild = group("deep" + prefix, child);
        member(person(prefix), child);
        String tree = admin.get("/admin/groups").body();
        // the child's <li> sits inside the top group's <details>, with its member count
        int topAt = tree.indexOf("data-path=\"/" + prefix + "\"");
        int childAt = tree.indexOf("data-path=\"/" + prefix + "/analysis\"");
        assertThat(topAt).isPositive();
        assertThat(childAt).isGreaterThan(topAt);
        assertThat(tree.substring(topAt, childAt)).contains("<details open=\"open\">", "0</span> members", "1</span> subgroups");
        assertThat(tree.substring(childAt)).startsWith("data-path=\"/" + prefix + "/analysis\">\n    <details>");
        assertThat(tree.substring(childAt, childAt + 600)).contains("1</span> members");
        // a search opens the branches down to the match and highlights it
        String found = admin.get("/admin/groups?q=deep" + prefix).body();
        assertThat(found).contains("1</span> matching");
        int foundChild = found.indexOf("data-path=\"/" + prefix + "/analysis\"");
        assertThat(found.substring(foundChild, foundChild + 200)).contains("<details open=\"open\">");
        assertThat(found).containsPattern("href=\"/manage/groups/" + grandchild + "\"[^>]*class=\"match\"");
        assertThat(admin.get("/manage/groups/" + grandchild).body()).contains(">analysis</a>", ">" + prefix + "</a>");
    }

    @Test
    void membersArePagedAndSearchedAndAddedWithAnEndDate() {
        for (int i = 0; i < 55; i++) {
            member(person(prefix + "m"), top);
        }
        String first = admin.get("/manage/groups/" + top).body();
        assertThat(count(first, "class=\"member\"")).isEqualTo(GroupPageController.PAGE);
        assertThat(first).contains("55</span> ", "page <span>1</span> of <span>2</span>", "rel=\"next\"");
        assertThat(count(admin.get("/manage/groups/" + top + "?page=2").body(), "class=\"member\"")).isEqualTo(5);
        String one = accounts.get(7);
        String email = username(one) + "@example.org";
        String searched = admin.get("/manage/groups/" + top + "?q=" + email.toUpperCase()).body();
        assertThat(count(searched, "class=\"member\"")).isOne();
        assertThat(searched).contains(email);
        assertThat(count(admin.get("/manage/groups/" + top + "?q=%25_").body(), "class=\"member\"")).isZero();

        String newcomer = person(prefix + "n");
        assertThat(post(admin, "/manage/groups/" + top, "action", "add", "username", username(newcomer), "until",
                "2031-05-31").location()).endsWith("/manage/groups/" + top + "?changed");
        assertThat(jdbc.queryForObject("select end_time from membership where account_id = ? and group_id = ?",
                Timestamp.class, newcomer, top).toInstant()).isEqualTo(Instant.parse("2031-06-01T00:00:00Z"));
        assertThat(admin.get("/manage/groups/" + top + "?q=" + username(newcomer)).body()).contains(">2031-05-31<");
        // the end date changed, then cleared
        post(admin, "/manage/groups/" + top, "action", "until", "account", newcomer, "until", "2030-01-15");
        assertThat(jdbc.queryForObject("select end_time from membership where account_id = ? and group_id = ?",
                Timestamp.class, newcomer, top).toInstant()).isEqualTo(Instant.parse("2030-01-16T00:00:00Z"));
        assertThat(jdbc.queryForObject("select count(*) from audit_event where event_type = "
                + "'group.member_end_time_changed' and target = ? and actor = (select id from account where username = "
                + "'admin')", Integer.class, top)).isOne();
        post(admin, "/manage/groups/" + top, "action", "until", "account", newcomer, "until", "");
        assertThat(jdbc.queryForObject("select end_time from membership where account_id = ? and group_id = ?",
                Timestamp.class, newcomer, top)).isNull();
        // bad input: a page with the reason, nothing changed
        TesseraHttp.Response bad = post(admin, "/manage/groups/" + top, "action", "add", "username",
                username(accounts.get(0)), "until", "31/05/2031");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("YYYY-MM-DD");
        assertThat(post(admin, "/manage/groups/" + top, "action", "until", "account", UUID.randomUUID().toString(),
                "until", "2030-01-01").status()).isEqualTo(404);
    }

    @Test
    void managersHandleMembersAndRequestsButNotTheGroupAndReadersChangeNothing() {
        String manager = person(prefix + "mg");
        String requester = person(prefix + "rq");
        String reader = person(prefix + "rd");
        jdbc.update("update account set reader = true where id = ?", reader);
        assertThat(post(admin, "/manage/groups/" + top, "action", "manager", "username", username(manager))
                .location()).endsWith("?changed");
        String requestId = UUID.randomUUID().toString();
        jdbc.update("insert into group_request (id, account_id, group_id, reason, status, created_at) values (?, ?, ?, "
                + "'detector work', 'PENDING', ?)", requestId, requester, top, Timestamp.from(Instant.now()));

        TesseraHttp managerBrowser = TestAccounts.signedIn(properties.issuer(), username(manager), PASSWORD);
        // the manager's home lists the groups they manage
        String home = managerBrowser.get("/").body();
        assertThat(home.substring(home.indexOf("id=\"managed-groups\""))).contains("/manage/groups/" + top,
                ">/" + prefix + "<");
        String page = managerBrowser.get("/manage/groups/" + top).body();
        assertThat(page).contains("detector work", "id=\"approve-" + username(requester) + "\"", "id=\"add-member\"")
                .doesNotContain("id=\"settings\"", "Appoint a manager");
        // approving on the group page comes back to it
        assertThat(post(managerBrowser, "/manage/requests/" + requestId, "decision", "approve", "back", top)
                .location()).endsWith("/manage/groups/" + top + "?decided");
        assertThat(jdbc.queryForObject("select count(*) from membership where account_id = ? and group_id = ?",
                Integer.class, requester, top)).isOne();
        // the group itself is the admins'
        assertThat(post(managerBrowser, "/manage/groups/" + top, "action", "subgroup", "name", "nope").status())
                .isEqualTo(403);
        assertThat(post(managerBrowser, "/manage/groups/" + top, "action", "delete", "confirmed", "yes").status())
                .isEqualTo(403);
        assertThat(jdbc.queryForObject("select count(*) from vo_group where parent_id = ?", Integer.class, top))
                .isZero();

        TesseraHttp readerBrowser = TestAccounts.signedIn(properties.issuer(), username(reader), PASSWORD);
        String seen = readerBrowser.get("/manage/groups/" + top).body();
        assertThat(seen).contains(username(requester), username(manager)).doesNotContain("id=\"add-member\"",
                "action\" value=\"remove\"");
        assertThat(post(readerBrowser, "/manage/groups/" + top, "action", "remove", "account", requester,
                "confirmed", "yes").status()).isEqualTo(403);
        assertThat(jdbc.queryForObject("select count(*) from membership where account_id = ? and group_id = ?",
                Integer.class, requester, top)).isOne();

        // stopping a manager asks first
        assertThat(post(admin, "/manage/groups/" + top, "action", "unmanage", "account", manager).body())
                .contains("Stop " + username(manager) + " managing /" + prefix + "?");
        assertThat(jdbc.queryForObject("select count(*) from group_manager where group_id = ?", Integer.class, top))
                .isOne();
        post(admin, "/manage/groups/" + top, "action", "unmanage", "account", manager, "confirmed", "yes");
        assertThat(jdbc.queryForObject("select count(*) from group_manager where group_id = ?", Integer.class, top))
                .isZero();
        assertThat(managerBrowser.get("/manage/groups/" + top).status()).isEqualTo(403);
    }

    @Test
    void subgroupsSettingsAndDeletion() {
        TesseraHttp.Response made = post(admin, "/manage/groups/" + top, "action", "subgroup", "name", "prod");
        String prod = jdbc.queryForObject("select id from vo_group where path = ?", String.class, "/" + prefix + "/prod");
        assertThat(made.location()).endsWith("/manage/groups/" + prod + "?created");
        post(admin, "/manage/groups/" + prod, "action", "subgroup", "name", "disk", "optional", "true");
        assertThat(jdbc.queryForObject("select optional from vo_group where path = ?", Boolean.class,
                "/" + prefix + "/prod/disk")).isTrue();
        String other = group(prefix + "x", top);
        // rename and move: the subtree follows
        assertThat(post(admin, "/manage/groups/" + prod, "action", "settings", "name", "production", "parent",
                "/" + prefix + "/" + prefix + "x").location()).endsWith("?changed");
        assertThat(jdbc.queryForObject("select count(*) from vo_group where path = ?", Integer.class,
                "/" + prefix + "/" + prefix + "x/production/disk")).isOne();
        assertThat(jdbc.queryForObject("select parent_id from vo_group where id = ?", String.class, prod))
                .isEqualTo(other);
        // a group cannot move under itself: said, nothing moved
        TesseraHttp.Response loop = post(admin, "/manage/groups/" + other, "action", "settings", "name", prefix + "x",
                "parent", "/" + prefix + "/" + prefix + "x/production");
        assertThat(loop.status()).isEqualTo(400);
        assertThat(loop.body()).contains("cannot move under itself");
        // deleting asks first; a group with subgroups is refused
        assertThat(post(admin, "/manage/groups/" + other, "action", "delete", "confirmed", "yes").status())
                .isEqualTo(409);
        String disk = jdbc.queryForObject("select id from vo_group where name = 'disk' and parent_id = ?",
                String.class, prod);
        assertThat(post(admin, "/manage/groups/" + disk, "action", "delete").body()).contains("It has no members.");
        assertThat(post(admin, "/manage/groups/" + disk, "action", "delete", "confirmed", "yes").location())
                .endsWith("/admin/groups?deleted");
        assertThat(jdbc.queryForObject("select count(*) from vo_group where id = ?", Integer.class, disk)).isZero();
        assertThat(admin.get("/manage/groups/" + disk).status()).isEqualTo(404);
    }

    @Test
    void oneInboxFiltersAndApprovesRegistrationsAndGroupRequestsTogether() {
        String requester = person(prefix + "rq");
        String requestId = UUID.randomUUID().toString();
        jdbc.update("insert into group_request (id, account_id, group_id, reason, status, created_at) values (?, ?, ?, "
                + "'please', 'PENDING', ?)", requestId, requester, top, Timestamp.from(Instant.now()));
        String registration = UUID.randomUUID().toString();
        String registrant = prefix + "reg";
        jdbc.update("insert into registration_request (id, username, email, given_name, family_name, status, "
                + "created_at, confirmed_at) values (?, ?, ?, 'Reg', 'Istrant', 'CONFIRMED', ?, ?)", registration,
                registrant, registrant + "@example.org", Timestamp.from(Instant.now()), Timestamp.from(Instant.now()));
        String inbox = admin.get("/manage/requests").body();
        assertThat(inbox).contains("id=\"select-" + registrant + "\"", "id=\"approve-selected\"",
                username(requester) + "</span> asks for", "Reason given by");
        String shown = "data-username=\"" + registrant + "\"";
        assertThat(admin.get("/manage/requests?kind=groups").body()).doesNotContain(shown)
                .contains(username(requester));
        assertThat(admin.get("/manage/requests?kind=registrations").body()).contains(shown)
                .doesNotContain(username(requester) + "</span> asks for");
        assertThat(admin.get("/manage/requests?group=" + prefix).body()).contains(username(requester))
                .doesNotContain(shown);
        assertThat(admin.get("/manage/requests?q=" + registrant).body()).contains(shown)
                .doesNotContain(username(requester) + "</span> asks for");
        String dashboard = admin.get("/").body();
        assertThat(dashboard).contains("id=\"tile-registrations\"", "id=\"tile-group-requests\"", "id=\"recent-events\"");

        // a manager cannot approve registrations in bulk
        String manager = person(prefix + "mg");
        jdbc.update("insert into group_manager (group_id, account_id, created_at) values (?, ?, ?)", top, manager,
                Timestamp.from(Instant.now()));
        TesseraHttp managerBrowser = TestAccounts.signedIn(properties.issuer(), username(manager), PASSWORD);
        assertThat(managerBrowser.get("/manage/requests").body()).contains(username(requester))
                .doesNotContain(registrant);
        assertThat(post(managerBrowser, "/manage/requests/bulk", "id", registration, "request", requestId).status())
                .isEqualTo(403);
        assertThat(jdbc.queryForObject("select status from registration_request where id = ?", String.class,
                registration)).isEqualTo("CONFIRMED");

        assertThat(post(admin, "/manage/requests/bulk", "id", registration, "request", requestId).location())
                .endsWith("/manage/requests?approved=2");
        assertThat(jdbc.queryForObject("select status from registration_request where id = ?", String.class,
                registration)).isEqualTo("APPROVED");
        assertThat(jdbc.queryForObject("select status from group_request where id = ?", String.class, requestId))
                .isEqualTo("APPROVED");
        assertThat(jdbc.queryForObject("select count(*) from membership where account_id = ? and group_id = ?",
                Integer.class, requester, top)).isOne();
        accounts.add(jdbc.queryForObject("select id from account where username = ?", String.class, registrant));
        // the dashboard names who did it and on what
        String after = admin.get("/admin").body();
        int recent = after.indexOf("id=\"recent-events\"");
        assertThat(after.substring(recent)).contains(">admin</span>", "group_request");
        // approving again: each refusal said, nothing else undone
        TesseraHttp.Response again = post(admin, "/manage/requests/bulk", "request", requestId);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body()).contains("0 approved");
        assertThat(post(admin, "/manage/requests/bulk").status()).isEqualTo(400);
    }

    @org.springframework.beans.factory.annotation.Autowired
    eu.tessera.server.group.GroupAdmin groupAdmin;

    @Test
    void aLargeGroupIsPagedAlongTheUsernameIndexWithTheSameResults() {
        int n = 2_050;   // above GroupAdmin.LARGE_GROUP
        List<Object[]> rows = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = UUID.randomUUID().toString();
            String name = prefix + "l" + String.format("%05d", (i * 7919) % n);   // inserted out of order
            accounts.add(id);
            names.add(name);
            rows.add(new Object[] {id, name, name + "@example.org", i % 10 == 0 ? "Tenth" : "Other"});
        }
        jdbc.batchUpdate("insert into account (id, username, email, given_name, active, created_at, updated_at) values "
                + "(?, ?, ?, ?, true, current_timestamp, current_timestamp)", rows);
        jdbc.batchUpdate("insert into membership (account_id, group_id, optional, created_at) values (?, ?, false, "
                + "current_timestamp)", rows.stream().map(r -> new Object[] {r[0], top}).toList());
        names.sort(null);
        assertThat(groupAdmin.countMembers(top, "")).isEqualTo(n);
        assertThat(groupAdmin.members(top, "", 0, 50)).extracting(m -> m.username())
                .containsExactlyElementsOf(names.subList(0, 50));
        assertThat(groupAdmin.members(top, "", n - 20, 50)).extracting(m -> m.username())
                .containsExactlyElementsOf(names.subList(n - 20, n));
        assertThat(groupAdmin.members(top, "tenth", 0, 500)).hasSize(n / 10).allMatch(m -> m.name().equals("Tenth"));
        assertThat(groupAdmin.countMembers(top, "tenth")).isEqualTo(n / 10);
        String page = admin.get("/manage/groups/" + top + "?page=41").body();
        assertThat(count(page, "class=\"member\"")).isEqualTo(50);
        assertThat(page).contains("page <span>41</span> of <span>41</span>", ">" + names.get(2_000) + "<");
    }
}
