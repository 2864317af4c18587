package eu.tessera.server.testsupport;

/** Accounts of the integration-test VO (the demo VO plus the admin). */
public final class TestAccounts {

    public static final String ADMIN_PASSWORD = "admin-it-password";
    /** Member of /escape and /escape/cms, optional member of /escape/data-manager; not of /escape/atlas. */
    public static final String ALICE = "alice";
    public static final String ALICE_PASSWORD = "alice-it-password";
    public static final String ALICE_EMAIL = "alice@example.org";
    /** Where notifications for VO admins go (tessera.enrollment.admin-emails). */
    public static final String VO_ADMINS_MAIL = "vo-admins@example.org";
    /** Members of this group (which no fixture creates) must use a second factor (tessera.mfa.required-groups). */
    public static final String MFA_REQUIRED_GROUP = "/escape/mfa-required";

    private TestAccounts() {
    }

    /**
     * Inserts an active account named {@code prefix} plus six characters of its id, with an email at example.org and
     * the given password; returns its id (the caller deletes it).
     */
    public static String insert(org.springframework.jdbc.core.JdbcTemplate jdbc,
            org.springframework.security.crypto.password.PasswordEncoder encoder, String prefix, String password) {
        String id = java.util.UUID.randomUUID().toString();
        String username = prefix + id.substring(0, 6);
        jdbc.update("insert into account (id, username, email, password_hash, active, created_at, updated_at) values "
                + "(?, ?, ?, ?, true, current_timestamp, current_timestamp)", id, username, username + "@example.org",
                encoder.encode(password));
        return id;
    }

    /** The username of an account. */
    public static String username(org.springframework.jdbc.core.JdbcTemplate jdbc, String id) {
        return jdbc.queryForObject("select username from account where id = ?", String.class, id);
    }

    /** A browser session logged in on /login. */
    public static TesseraHttp signedIn(String issuer, String username, String password) {
        TesseraHttp browser = TesseraHttp.browser(issuer);
        org.assertj.core.api.Assertions.assertThat(BrowserFlows.login(browser, username, password).location())
                .doesNotContain("error");
        return browser;
    }
}
