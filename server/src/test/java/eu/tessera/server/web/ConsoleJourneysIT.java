package eu.tessera.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.ChromiumBrowser;
import eu.tessera.server.testsupport.TestAccounts;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import eu.tessera.server.testsupport.VomsTestPki;
import eu.tessera.server.voms.VomsAccountLookup;
import eu.tessera.voms.pki.DistinguishedNames;
import eu.tessera.voms.testpki.TestPki;
import java.nio.file.Path;
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
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The administration console's journeys in Debian's chromium (Selenium), each asserting what changed (rows, tokens,
 * audit entries): a second admin appointed from the account page acts under their own name; a reader sees but
 * cannot change; a client created, edited, rotated, disabled and enabled as /token sees it; an account found by
 * certificate subject after linking the certificate, as the VOMS lookup finds it; a member added with an end date
 * from the group page; two registrations approved in bulk; the audit filtered by actor. The last test walks the
 * main pages at 1280 and 390 px: labelled fields, no sideways scrolling on a phone, a visible focus ring, and a
 * screenshot of each into target/screenshots (the README's docs/screenshots are copies of them).
 */
@TesseraIntegrationTest
class ConsoleJourneysIT {

    private static final String PASSWORD = "console-journeys-password";
    private static final Pattern SECRET = Pattern.compile("client-secret\">([^<]+)<");

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PasswordEncoder encoder;
    @Autowired
    VomsAccountLookup voms;

    private final List<String> accounts = new ArrayList<>();
    private ChromiumBrowser browser;
    private String prefix;

    @BeforeEach
    void setUp() {
        browser = new ChromiumBrowser(properties.issuer());
        prefix = "cj" + UUID.randomUUID().toString().substring(0, 6);
    }

    @AfterEach
    void tearDown() {
        browser.close();
        accounts.forEach(id -> jdbc.update("delete from account where id = ?", id));
        jdbc.update("delete from registration_request where username like ?", prefix + "%");
        jdbc.update("delete from vo_group where name like ?", prefix + "%");
    }

    private String person(String name) {
        String id = TestAccounts.insert(jdbc, encoder, prefix + name, PASSWORD);
        accounts.add(id);
        return id;
    }

    private String username(String id) {
        return TestAccounts.username(jdbc, id);
    }

    @Test
    void aSecondAdminAppointedOnTheAccountPageActsUnderTheirOwnName() {
        String second = person("adm");
        browser.signIn("admin", TestAccounts.ADMIN_PASSWORD);
        browser.open("/admin/accounts");
        browser.type("q", username(second));
        browser.clickButton("Search");
        browser.await(username(second));
        browser.click(By.linkText(username(second)));
        browser.await("Roles");
        browser.clickButton("Make admin");
        browser.await("Roles saved");
        assertThat(jdbc.queryForObject("select admin from account where id = ?", Boolean.class, second)).isTrue();

        browser.signIn(username(second), PASSWORD);
        browser.open("/");
        assertThat(browser.await("Waiting for a decision")).contains("Latest changes by admins");
        browser.open("/admin/groups");
        browser.type("new-name", prefix + "grp");
        browser.clickButton("Create");
        browser.await("Saved");
        String group = jdbc.queryForObject("select id from vo_group where name = ?", String.class, prefix + "grp");
        assertThat(jdbc.queryForObject("select actor from audit_event where event_type = 'group.created' and target = ?",
                String.class, group)).isEqualTo(second);
        // and the first admin's dashboard names them
        browser.signIn("admin", TestAccounts.ADMIN_PASSWORD);
        browser.open("/admin");
        assertThat(browser.find(By.id("recent-events")).getText()).contains(username(second) + " group.created");
    }

    @Test
    void aReaderSeesEverythingButChangesNothing() {
        String reader = person("rdr");
        String clientId = jdbc.queryForObject("select client_id from oauth_client where client_id = 'demo-client'",
                String.class);
        browser.signIn("admin", TestAccounts.ADMIN_PASSWORD);
        browser.open("/admin/accounts/" + reader);
        browser.clickButton("Make reader (read-only admin)");
        browser.await("Roles saved");

        browser.signIn(username(reader), PASSWORD);
        browser.open("/");
        assertThat(browser.text()).contains("read-only view", "Waiting for a decision").doesNotContain("Scope policies");
        browser.open("/admin/accounts/" + reader);
        assertThat(browser.text()).contains("ROLE_READER").doesNotContain("Make admin", "Send a password reset link");
        browser.open("/admin/groups");
        assertThat(browser.all(By.id("new-name"))).isEmpty();
        // a form the page still shows (the client's) is refused on the server, nothing changes
        browser.open("/admin/clients/" + clientId);
        browser.clickButton("Disable");
        assertThat(browser.await("Not allowed")).isNotEmpty();
        assertThat(jdbc.queryForObject("select active from oauth_client where client_id = ?", Boolean.class, clientId))
                .isTrue();
    }

    @Test
    void aClientCreatedEditedRotatedDisabledAndEnabledAsTokenSeesIt() {
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        browser.signIn("admin", TestAccounts.ADMIN_PASSWORD);
        browser.open("/admin/clients");
        browser.click(By.id("new-client"));
        browser.await("Grant types");
        browser.type("name", prefix + " transfers");
        browser.click(By.cssSelector("input[name=grant][value=authorization_code]"));   // untick the defaults
        browser.click(By.cssSelector("input[name=grant][value=refresh_token]"));
        browser.click(By.cssSelector("input[name=grant][value=client_credentials]"));
        browser.type("scope", "compute.read");
        browser.clickButton("Create");
        browser.await("shown only this once");
        String id = browser.find(By.id("client-id")).getText();
        String secret = browser.find(By.id("client-secret")).getText();
        assertThat(http.token(id, secret, "grant_type", "client_credentials").status()).isEqualTo(200);

        browser.click(By.linkText("The client's page"));
        browser.type("scope", "compute.read compute.create");
        browser.clickButton("Save");
        browser.await("Saved");
        assertThat(http.token(id, secret, "grant_type", "client_credentials", "scope", "compute.create").status())
                .isEqualTo(200);

        browser.clickButton("New secret (the old one stops working)");
        browser.await("stops working at once");
        browser.clickButton("New secret");
        String rotated = browser.await("shown only this once");
        Matcher m = SECRET.matcher(browser.driver().getPageSource());
        assertThat(m.find()).as(rotated).isTrue();
        String newSecret = m.group(1);
        assertThat(http.token(id, secret, "grant_type", "client_credentials").status()).isEqualTo(401);
        assertThat(http.token(id, newSecret, "grant_type", "client_credentials").status()).isEqualTo(200);

        browser.click(By.linkText("The client's page"));
        browser.clickButton("Disable");
        browser.await("Disabled: it gets no tokens");
        assertThat(http.token(id, newSecret, "grant_type", "client_credentials").status()).isEqualTo(401);
        browser.clickButton("Enable");
        browser.await("Enabled.");
        assertThat(http.token(id, newSecret, "grant_type", "client_credentials").status()).isEqualTo(200);
        assertThat(jdbc.queryForList("select event_type from audit_event where target = ? and event_type like "
                + "'client.%' order by id", String.class, id)).containsExactly("client.created", "client.updated",
                // the old secret refused after the rotation, the client refused while disabled
                "client.secret_rotated", "client.authentication_failure", "client.disabled",
                "client.authentication_failure", "client.enabled");
        jdbc.update("delete from oauth_client where client_id = ?", id);
    }

    @Test
    void aCertificateLinkedOnTheAccountPageFindsTheAccountInSearchAndInVoms() {
        String member = person("crt");
        VomsTestPki pki = VomsTestPki.get();
        TestPki.Credential user = TestPki.endEntity(pki.ca, "C=IT,O=Tessera Test,OU=Users,CN=Journey " + prefix,
                false);
        String subject = DistinguishedNames.canonical(user.certificate().getSubjectX500Principal());
        String issuer = DistinguishedNames.canonical(user.certificate().getIssuerX500Principal());
        browser.signIn("admin", TestAccounts.ADMIN_PASSWORD);
        browser.open("/admin/accounts/" + member);
        browser.type("cert-pem", TestPki.pem(user.certificate()));
        browser.type("cert-label", "grid cert");
        browser.clickButton("Link certificate");
        browser.await("Certificates saved");
        assertThat(voms.find(subject, issuer).orElseThrow().id()).isEqualTo(member);

        // found by the subject in the OpenSSL form voms-proxy-info prints
        browser.open("/admin/accounts");
        browser.type("q", "/C=IT/O=Tessera Test/OU=Users/CN=Journey " + prefix);
        browser.clickButton("Search");
        browser.await(username(member));
        browser.click(By.linkText(username(member)));
        assertThat(browser.await("Certificates, linked identities and SSH keys")).contains("CN=Journey " + prefix);
    }

    @Test
    void aMemberAddedWithAnEndDateFromTheGroupPage() {
        String member = person("mbr");
        String groupId = UUID.randomUUID().toString();
        jdbc.update("insert into vo_group (id, name, path, optional, created_at) values (?, ?, ?, false, ?)", groupId,
                prefix + "g", "/" + prefix + "g", Timestamp.from(Instant.now()));
        browser.signIn("admin", TestAccounts.ADMIN_PASSWORD);
        browser.open("/admin/groups?q=" + prefix);
        browser.click(By.linkText(prefix + "g"));
        browser.await("Members");
        browser.type("add-username", username(member));
        browser.date("add-until", "2031-05-31");
        browser.click(By.id("add-member"));
        browser.await("Saved");
        assertThat(jdbc.queryForObject("select end_time from membership where account_id = ? and group_id = ?",
                Timestamp.class, member, groupId).toInstant()).isEqualTo(Instant.parse("2031-06-01T00:00:00Z"));
        assertThat(browser.find(By.cssSelector("tr.member")).getText()).contains(username(member), "2031-05-31");
        assertThat(jdbc.queryForObject("select actor from audit_event where event_type = 'group.member_added' and "
                + "target = ?", String.class, groupId)).isEqualTo(jdbc.queryForObject("select id from account where "
                + "username = 'admin'", String.class));
    }

    @Test
    void twoRegistrationsApprovedInBulk() {
        List<String> names = List.of(prefix + "ra", prefix + "rb");
        for (String name : names) {
            jdbc.update("insert into registration_request (id, username, email, given_name, family_name, status, "
                    + "created_at, confirmed_at) values (?, ?, ?, 'Bulk', 'Journey', 'CONFIRMED', ?, ?)",
                    UUID.randomUUID().toString(), name, name + "@example.org", Timestamp.from(Instant.now()),
                    Timestamp.from(Instant.now()));
        }
        browser.signIn("admin", TestAccounts.ADMIN_PASSWORD);
        browser.open("/");
        browser.click(By.id("tile-registrations"));
        browser.await("Registrations");
        for (String name : names) {
            browser.click(By.id("select-" + name));
        }
        browser.click(By.id("approve-selected"));
        browser.await("2 approved");
        for (String name : names) {
            assertThat(jdbc.queryForObject("select status from registration_request where username = ?", String.class,
                    name)).isEqualTo("APPROVED");
            accounts.add(jdbc.queryForObject("select id from account where username = ?", String.class, name));
        }
    }

    @Test
    void theAuditFilteredByActor() {
        String member = person("aud");
        TesseraHttp memberBrowser = TestAccounts.signedIn(properties.issuer(), username(member), PASSWORD);
        assertThat(memberBrowser.get("/account").status()).isEqualTo(200);
        browser.signIn("admin", TestAccounts.ADMIN_PASSWORD);
        browser.open("/admin/audit");
        browser.type("actor", username(member));
        browser.clickButton("Filter");
        browser.await("login.success");
        List<String> actors = browser.all(By.cssSelector("tbody tr td:nth-child(3)")).stream()
                .map(e -> e.getText()).distinct().toList();
        assertThat(actors).containsExactly(username(member));
        assertThat(browser.find(By.cssSelector("tbody tr td:nth-child(3) span")).getAttribute("title"))
                .isEqualTo(member);
    }

    @Test
    void theMainPagesAtDesktopAndPhoneWidths() throws Exception {
        String member = person("shot");
        String atlas = jdbc.queryForObject("select id from vo_group where path = '/escape/atlas'", String.class);
        browser.signIn("admin", TestAccounts.ADMIN_PASSWORD);
        Path out = Path.of("target", "screenshots");
        List<String[]> pages = List.of(new String[] {"dashboard", "/"}, new String[] {"accounts", "/admin/accounts"},
                new String[] {"account", "/admin/accounts/" + member}, new String[] {"groups", "/admin/groups"},
                new String[] {"group", "/manage/groups/" + atlas}, new String[] {"requests", "/manage/requests"},
                new String[] {"clients", "/admin/clients"}, new String[] {"client", "/admin/clients/demo-client"},
                new String[] {"audit", "/admin/audit"});
        for (int width : new int[] {1280, 390}) {
            browser.width(width);
            for (String[] page : pages) {
                browser.open(page[1]);
                assertThat(browser.accessibilityProblems()).as(page[0] + " at " + width + " px").isEmpty();
                browser.screenshot(out, page[0] + "-" + width);
            }
        }
        browser.open("/admin/accounts");
        assertThat(browser.focusOutlineAfterTab()).as("focus ring").isNotIn("none", "body");
        browser.signIn(username(member), PASSWORD);
        for (int width : new int[] {1280, 390}) {
            browser.width(width);
            browser.open("/account");
            assertThat(browser.accessibilityProblems()).as("member page at " + width + " px").isEmpty();
            browser.screenshot(out, "member-" + width);
        }
    }
}
