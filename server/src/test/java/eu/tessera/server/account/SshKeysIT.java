package eu.tessera.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import eu.tessera.server.config.TesseraProperties;
import eu.tessera.server.testsupport.BrowserFlows;
import eu.tessera.server.testsupport.SshKeyGen;
import eu.tessera.server.testsupport.TestAccounts;
import eu.tessera.server.testsupport.TestClients;
import eu.tessera.server.testsupport.TesseraHttp;
import eu.tessera.server.testsupport.TesseraIntegrationTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * SSH keys (keys made by the real ssh-keygen): a member adds and removes theirs on /account and sees the fingerprint
 * ssh-keygen prints; a bad key or another account's key is refused on the page with the reason; SCIM serves them in
 * INDIGO IAM's shape ({@code sshKeys} of the IndigoUser extension) and takes IAM's PATCH operations; an admin removes
 * one from the account page after confirming; every change is audited.
 */
@TesseraIntegrationTest
class SshKeysIT {

    private static final String PASSWORD = "ssh-keys-it-password";

    @Autowired
    TesseraProperties properties;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PasswordEncoder encoder;

    private String member;
    private String other;
    private TesseraHttp browser;

    @BeforeEach
    void setUp() {
        member = TestAccounts.insert(jdbc, encoder, "sshk", PASSWORD);
        other = TestAccounts.insert(jdbc, encoder, "sshk", PASSWORD);
        browser = TestAccounts.signedIn(properties.issuer(), TestAccounts.username(jdbc, member), PASSWORD);
    }

    @AfterEach
    void cleanUp() {
        jdbc.update("delete from account where id in (?, ?)", member, other);
    }

    private TesseraHttp.Response add(String label, String key) {
        return BrowserFlows.post(browser, browser.get("/account").body(), "/account/ssh-keys", "label", label, "key",
                key);
    }

    @Test
    @SuppressWarnings("unchecked")
    void memberAddsAndRemovesKeysOnTheAccountPageAndScimServesThemAsIamDoes() {
        String ed = SshKeyGen.publicKey("ed25519", 0, "jane@laptop");
        String rsa = SshKeyGen.publicKey("rsa", 3072, "jane@cluster");
        assertThat(add("", ed).location()).endsWith("/account?sshKeyAdded#ssh-keys");
        assertThat(add("cluster key", rsa).location()).endsWith("/account?sshKeyAdded#ssh-keys");
        String page = browser.get("/account").body();
        assertThat(page).contains("jane@laptop", "cluster key", SshKeyGen.fingerprint(ed), SshKeyGen.fingerprint(rsa));

        // refused on the page, saying why, nothing stored
        TesseraHttp.Response weak = add("weak", SshKeyGen.publicKey("rsa", 1024, "old"));
        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.body()).contains("an RSA key of 1024 bits");
        TesseraHttp.Response privateKey = add("oops", "-----BEGIN OPENSSH PRIVATE KEY-----");
        assertThat(privateKey.status()).isEqualTo(400);
        assertThat(privateKey.body()).contains("never a private key");
        TesseraHttp.Response longLabel = add("x".repeat(37), SshKeyGen.publicKey("ed25519", 0, "c"));
        assertThat(longLabel.status()).isEqualTo(400);
        assertThat(longLabel.body()).contains("label: 1 to 36 characters");
        TesseraHttp otherBrowser = TestAccounts.signedIn(properties.issuer(), TestAccounts.username(jdbc, other),
                PASSWORD);
        TesseraHttp.Response taken = BrowserFlows.post(otherBrowser, otherBrowser.get("/account").body(),
                "/account/ssh-keys", "label", "mine", "key", ed);
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.body()).contains("belongs to another account");
        assertThat(jdbc.queryForObject("select count(*) from account_ssh_key where account_id = ?", Integer.class,
                other)).isZero();

        // SCIM: IAM's ScimSshKey (display, primary, value, fingerprint as standard Base64, created, lastModified)
        TesseraHttp http = TesseraHttp.to(properties.issuer());
        String scim = "Bearer " + TestClients.adminToken(properties.issuer(), "scim:read scim:write");
        Map<String, Object> user = http.get("/scim/Users/" + member, "Authorization", scim).json();
        List<Map<String, Object>> keys = (List<Map<String, Object>>) ((Map<String, Object>) user.get(
                "urn:indigo-dc:scim:schemas:IndigoUser")).get("sshKeys");
        assertThat(keys).extracting(k -> k.get("display")).containsExactly("jane@laptop", "cluster key");
        assertThat(keys.get(0)).containsEntry("value", ed).containsEntry("primary", true)
                .containsKeys("created", "lastModified");
        assertThat("SHA256:" + ((String) keys.get(0).get("fingerprint")).replace("=", ""))
                .isEqualTo(SshKeyGen.fingerprint(ed));

        // IAM's PATCH: remove by value, add another; a bad key is a SCIM 400, another account's a 409
        String patch = """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"operations":[
                 {"op":"remove","value":{"urn:indigo-dc:scim:schemas:IndigoUser":{"sshKeys":[{"value":"%s"}]}}},
                 {"op":"add","value":{"urn:indigo-dc:scim:schemas:IndigoUser":{"sshKeys":[
                   {"display":"from a script","value":"%s"}]}}}]}""".formatted(rsa,
                SshKeyGen.publicKey("ecdsa", 256, "script"));
        TesseraHttp.Response patched = http.sendJson("PATCH", "/scim/Users/" + member, patch, "Authorization", scim,
                "Content-Type", "application/scim+json");
        assertThat(patched.status()).isEqualTo(200);
        assertThat(jdbc.queryForList("select label from account_ssh_key where account_id = ? order by created_at",
                String.class, member)).containsExactly("jane@laptop", "from a script");
        TesseraHttp.Response bad = http.sendJson("PATCH", "/scim/Users/" + member, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","value":
                 {"urn:indigo-dc:scim:schemas:IndigoUser":{"sshKeys":[{"display":"x","value":"ssh-ed25519 AAAA"}]}}}]}""",
                "Authorization", scim, "Content-Type", "application/scim+json");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json()).containsEntry("scimType", "invalidValue");
        assertThat((String) bad.json().get("detail")).startsWith("sshKeys: key:");
        TesseraHttp.Response conflict = http.sendJson("PATCH", "/scim/Users/" + other, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":
                 "sshKeys","value":{"urn:indigo-dc:scim:schemas:IndigoUser":{"sshKeys":[{"display":"x","value":"%s"}]}}}]}"""
                .formatted(ed), "Authorization", scim, "Content-Type", "application/scim+json");
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.json()).containsEntry("scimType", "uniqueness");

        // the member removes one on the page
        String keyId = jdbc.queryForObject("select id from account_ssh_key where account_id = ? and label = "
                + "'jane@laptop'", String.class, member);
        assertThat(BrowserFlows.post(browser, browser.get("/account").body(), "/account/ssh-keys/" + keyId
                + "/remove").location()).endsWith("/account?sshKeyRemoved#ssh-keys");
        assertThat(browser.get("/account").body()).doesNotContain(SshKeyGen.fingerprint(ed));

        // an admin removes the other: asked first, then gone, audited with the admin as actor
        TesseraHttp admin = TestAccounts.signedIn(properties.issuer(), "admin", TestAccounts.ADMIN_PASSWORD);
        String adminPage = admin.get("/admin/accounts/" + member).body();
        assertThat(adminPage).contains("from a script");
        String scripted = jdbc.queryForObject("select id from account_ssh_key where account_id = ?", String.class,
                member);
        TesseraHttp.Response question = BrowserFlows.post(admin, adminPage, "/admin/accounts/" + member + "/ssh-keys",
                "key", scripted);
        assertThat(question.status()).isEqualTo(200);
        assertThat(question.body()).contains("Remove this SSH key?");
        assertThat(jdbc.queryForObject("select count(*) from account_ssh_key where account_id = ?", Integer.class,
                member)).isOne();
        assertThat(BrowserFlows.post(admin, adminPage, "/admin/accounts/" + member + "/ssh-keys", "key", scripted,
                "confirmed", "yes").location()).contains("sshKeyRemoved");
        assertThat(jdbc.queryForObject("select count(*) from account_ssh_key where account_id = ?", Integer.class,
                member)).isZero();
        assertThat(BrowserFlows.post(admin, adminPage, "/admin/accounts/" + member + "/ssh-keys", "key", scripted,
                "confirmed", "yes").status()).isEqualTo(404);
        String adminId = jdbc.queryForObject("select id from account where username = 'admin'", String.class);
        assertThat(jdbc.queryForList("select event_type || ' ' || actor from audit_event where target = ? and "
                + "event_type like 'ssh_key.%' order by id", String.class, member)).containsExactly(
                "ssh_key.added " + member, "ssh_key.added " + member, "ssh_key.removed " + TestClients.ADMIN_ID,
                "ssh_key.added " + TestClients.ADMIN_ID, "ssh_key.removed " + member, "ssh_key.removed " + adminId);
    }
}
