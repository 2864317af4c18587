package eu.tessera.sync.rucio;

import eu.tessera.sync.AccountState;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * One Rucio target.
 *
 * @param name            target name (unique)
 * @param url             the Rucio server, e.g. {@code https://rucio.example.org}
 * @param issuer          Tessera's issuer, for OIDC identities {@code SUB=<sub>, ISS=<issuer>}
 * @param groups          members of these groups (or below) get a Rucio account; empty: every account
 * @param attributeRules  account attributes given to members of a group
 * @param dnFormat        how X.509 subjects are written in Rucio identities
 * @param deleteAccounts  delete (disable) the Rucio account when its owner is removed or leaves the groups
 * @param adoptExisting   take over a Rucio USER account of the same name that Tessera did not create
 * @param vo              multi-VO Rucio: the {@code X-Rucio-VO} header; null for none
 * @param ownerAttribute  the account attribute recording which Tessera account owns a Rucio account
 */
public record RucioSettings(String name, URI url, String issuer, List<String> groups,
        List<AttributeRule> attributeRules, DnFormat dnFormat, boolean deleteAccounts, boolean adoptExisting,
        String vo, String ownerAttribute) {

    /** Rucio account names: lower-case letters, digits, '-' and '_', at most 25 characters. */
    static final java.util.regex.Pattern ACCOUNT = java.util.regex.Pattern.compile("^[a-z0-9_-]{1,25}$");

    /** How DNs are written: RFC 2253 ({@code CN=Jane,O=Example,C=IT}, current Rucio) or the legacy slash form. */
    public enum DnFormat { RFC2253, SLASH }

    /**
     * Members of {@code group} (exactly that group) get attribute {@code key} with {@code value}.
     */
    public record AttributeRule(String group, String key, String value) {
        public AttributeRule {
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            if (!OwnerMarker.RUCIO_ATTRIBUTE.matcher(key).matches()
                    || !OwnerMarker.RUCIO_ATTRIBUTE.matcher(value).matches()) {
                throw new IllegalArgumentException("attribute rule " + group + ":" + key + "=" + value
                        + ": Rucio accepts attribute keys and values of 1 to 30 of a-z A-Z 0-9 - _ / . only");
            }
        }

        /**
         * Parses {@code /escape/data-manager:admin=True}.
         *
         * @throws IllegalArgumentException naming the expected form
         */
        public static AttributeRule parse(String text) {
            int colon = text.indexOf(':');
            int equals = text.indexOf('=', colon + 1);
            if (colon <= 0 || equals <= colon + 1 || !text.startsWith("/")) {
                throw new IllegalArgumentException("attribute rule '" + text
                        + "' is not of the form /group/path:key=value");
            }
            return new AttributeRule(text.substring(0, colon).strip(), text.substring(colon + 1, equals).strip(),
                    text.substring(equals + 1).strip());
        }
    }

    public RucioSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(issuer, "issuer");
        groups = groups == null ? List.of() : List.copyOf(groups);
        attributeRules = attributeRules == null ? List.of() : List.copyOf(attributeRules);
        dnFormat = dnFormat == null ? DnFormat.RFC2253 : dnFormat;
        ownerAttribute = ownerAttribute == null || ownerAttribute.isBlank() ? "tessera_id" : ownerAttribute;
        if (!OwnerMarker.RUCIO_ATTRIBUTE.matcher(ownerAttribute).matches()) {
            throw new IllegalArgumentException("owner attribute '" + ownerAttribute + "' is not a key Rucio accepts");
        }
    }

    /** Whether the account should have a working Rucio account. */
    boolean inScope(AccountState account) {
        return account.status() == AccountState.Status.ACTIVE && !account.serviceAccount()
                && account.inAnyGroup(groups);
    }

    /**
     * The Rucio account name for a username: lower-cased, characters Rucio refuses replaced by '_'.
     *
     * @throws IllegalArgumentException when no valid name results (longer than 25 characters)
     */
    public static String accountName(String username) {
        String name = username.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_-]", "_");
        if (!ACCOUNT.matcher(name).matches()) {
            throw new IllegalArgumentException("username '" + username + "' gives no valid Rucio account name "
                    + "(at most 25 of a-z 0-9 - _)");
        }
        return name;
    }

    /** The OIDC identity Rucio matches tokens against. */
    String oidcIdentity(String subject) {
        return "SUB=" + subject + ", ISS=" + issuer;
    }

    String dn(AccountState.Certificate certificate) {
        return dnFormat == DnFormat.RFC2253 ? certificate.rfc2253() : certificate.slash();
    }
}
