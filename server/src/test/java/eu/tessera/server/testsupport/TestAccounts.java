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

    private TestAccounts() {
    }
}
