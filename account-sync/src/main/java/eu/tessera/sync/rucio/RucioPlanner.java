package eu.tessera.sync.rucio;

import eu.tessera.sync.AccountState;
import eu.tessera.sync.SyncException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The difference between what Tessera says about an account and what Rucio holds, as the calls that repair it.
 * Pure: the same inputs give the same plan, and a plan applied once more is empty.
 *
 * <p>Tessera manages, on the Rucio accounts it owns (marked by the owner attribute): the email, the OIDC identity
 * with its own issuer, every X.509 identity, and the attributes named in the rules. Other identity types
 * (USERPASS, SSH, GSS), other attributes, quotas and rules are left alone.</p>
 */
public final class RucioPlanner {

    static final int MAX_EMAIL = 255;

    private final RucioSettings settings;

    public RucioPlanner(RucioSettings settings) {
        this.settings = settings;
    }

    /**
     * Plans the calls for {@code desired} against {@code actual}.
     *
     * @param createdForDesired Tessera tried to create this Rucio account for this account (the creation ledger)
     * @throws SyncException (permanent) when the Rucio account of that name is not Tessera's to manage
     */
    public List<RucioChange> plan(AccountState desired, RucioAccount actual, boolean createdForDesired)
            throws SyncException {
        String name = actual.name();
        boolean inScope = settings.inScope(desired);
        if (!actual.exists()) {
            return inScope ? create(desired, name) : List.of();
        }
        if (!actual.active()) {
            return inactive(desired, actual, inScope, createdForDesired);
        }
        String owner = actual.attributes().get(settings.ownerAttribute());
        if (owner != null && !OwnerMarker.names(owner, desired.id())) {
            throw new SyncException("Rucio account '" + name + "' belongs to another Tessera account ("
                    + OwnerMarker.accountId(owner) + ")", true);
        }
        List<RucioChange> changes = new ArrayList<>();
        if (owner == null) {
            if (!inScope && !(settings.adoptExisting() && carriesOwnIdentity(desired, actual))) {
                return List.of();   // not ours, and nothing to provision
            }
            if (!createdForDesired && (!settings.adoptExisting() || !"USER".equalsIgnoreCase(actual.type()))) {
                throw new SyncException("Rucio account '" + name + "' exists and was not created by Tessera (set "
                        + "adopt-existing-accounts to take over USER accounts)", true);
            }
            changes.add(new RucioChange.AddAttribute(name, settings.ownerAttribute(), marker(desired)));
        } else if (!OwnerMarker.current(owner)) {
            // a marker of the previous form (the bare UUID): rewrite it in the form Rucio validates
            changes.add(new RucioChange.RemoveAttribute(name, settings.ownerAttribute()));
            changes.add(new RucioChange.AddAttribute(name, settings.ownerAttribute(), marker(desired)));
        }
        if (inScope) {
            if (desired.email() != null && !desired.email().equalsIgnoreCase(nullToEmpty(actual.email()))) {
                changes.add(new RucioChange.SetEmail(name, email(desired)));
            }
            identities(desired, actual, changes, wantedIdentities(desired));
            attributes(actual, changes, wantedAttributes(desired));
        } else {
            identities(desired, actual, changes, Set.of());
            attributes(actual, changes, Map.of());
            boolean gone = desired.status() == AccountState.Status.REMOVED
                    || desired.status() == AccountState.Status.ACTIVE;   // removed, or left the groups
            if (settings.deleteAccounts() && gone) {
                changes.add(new RucioChange.DeleteAccount(name));
            }
        }
        return changes;
    }

    /**
     * A DELETED or SUSPENDED Rucio account: Rucio lists identities and attributes of ACTIVE accounts only
     * ({@code core/account.py list_account_attributes}, {@code list_identities}: AccountNotFound otherwise), so
     * its owner cannot be read. Tessera reactivates a DELETED account only when its ledger says Tessera created
     * (or adopted) it for this account; the rest is planned once it is active again.
     */
    private List<RucioChange> inactive(AccountState desired, RucioAccount actual, boolean inScope,
            boolean createdForDesired) throws SyncException {
        if (!inScope) {
            return List.of();   // nothing to take away that Rucio would let us change
        }
        String name = actual.name();
        if ("SUSPENDED".equalsIgnoreCase(actual.status())) {
            throw new SyncException("Rucio account '" + name + "' is suspended in Rucio; Tessera leaves a suspension "
                    + "made there alone: lift it in Rucio, then retry", true);
        }
        if (!createdForDesired) {
            throw new SyncException("Rucio account '" + name + "' is " + actual.status() + " and Tessera has no "
                    + "record of creating it for this account (Rucio shows no attributes of inactive accounts); "
                    + "reactivate it in Rucio if it is this member's, then retry", true);
        }
        return List.of(new RucioChange.ReactivateAccount(name));
    }

    private List<RucioChange> create(AccountState desired, String name) throws SyncException {
        if (desired.email() == null || desired.email().isBlank()) {
            throw new SyncException("account '" + desired.username() + "' has no email, which Rucio requires", true);
        }
        List<RucioChange> changes = new ArrayList<>();
        changes.add(new RucioChange.CreateAccount(name, email(desired)));
        changes.add(new RucioChange.AddAttribute(name, settings.ownerAttribute(), marker(desired)));
        for (RucioAccount.Identity identity : wantedIdentities(desired)) {
            changes.add(new RucioChange.AddIdentity(name, identity.type(), identity.identity(), desired.email()));
        }
        wantedAttributes(desired).forEach((key, value) -> changes.add(new RucioChange.AddAttribute(name, key, value)));
        return changes;
    }

    /**
     * A USER account that holds this account's own OIDC identity ({@code SUB=<id>, ISS=<this issuer>}) was made
     * for this member, e.g. by the sync script a VO ran against INDIGO IAM before taking over its issuer: with
     * adopt-existing-accounts, Tessera takes it over even when the member is out of scope (suspended, expired, left
     * the groups), so the identities that would let them in are removed rather than left behind.
     */
    private boolean carriesOwnIdentity(AccountState desired, RucioAccount actual) {
        String own = settings.oidcIdentity(desired.id());
        return "USER".equalsIgnoreCase(actual.type()) && actual.identities().stream()
                .anyMatch(i -> i.type().equalsIgnoreCase("OIDC") && i.identity().equals(own));
    }

    private static String marker(AccountState desired) throws SyncException {
        try {
            return OwnerMarker.of(desired.id());
        } catch (IllegalArgumentException e) {
            throw new SyncException(e.getMessage(), true);
        }
    }

    /** Rucio keeps at most 255 characters of email (models.py: String(255)); longer fails in its database. */
    private static String email(AccountState desired) throws SyncException {
        if (desired.email().length() > MAX_EMAIL) {
            throw new SyncException("the email of '" + desired.username() + "' is longer than the " + MAX_EMAIL
                    + " characters Rucio stores", true);
        }
        return desired.email();
    }

    private Set<RucioAccount.Identity> wantedIdentities(AccountState desired) {
        Set<RucioAccount.Identity> wanted = new LinkedHashSet<>();
        wanted.add(new RucioAccount.Identity("OIDC", settings.oidcIdentity(desired.id())));
        for (AccountState.Certificate certificate : desired.certificates()) {
            wanted.add(new RucioAccount.Identity("X509", settings.dn(certificate)));
        }
        return wanted;
    }

    private Map<String, String> wantedAttributes(AccountState desired) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (RucioSettings.AttributeRule rule : settings.attributeRules()) {
            if (desired.groups().contains(rule.group())) {
                wanted.putIfAbsent(rule.key(), rule.value());
            }
        }
        return wanted;
    }

    private boolean managed(RucioAccount.Identity identity) {
        return identity.type().equalsIgnoreCase("X509") || identity.type().equalsIgnoreCase("OIDC")
                && identity.identity().endsWith(", ISS=" + settings.issuer());
    }

    private void identities(AccountState desired, RucioAccount actual, List<RucioChange> changes,
            Set<RucioAccount.Identity> wanted) {
        Set<RucioAccount.Identity> present = new LinkedHashSet<>();
        for (RucioAccount.Identity identity : actual.identities()) {
            present.add(new RucioAccount.Identity(identity.type().toUpperCase(Locale.ROOT), identity.identity()));
        }
        for (RucioAccount.Identity identity : present) {
            if (managed(identity) && !wanted.contains(identity)) {
                changes.add(new RucioChange.RemoveIdentity(actual.name(), identity.type(), identity.identity()));
            }
        }
        String email = desired.email() != null ? desired.email() : actual.email();
        for (RucioAccount.Identity identity : wanted) {
            if (!present.contains(identity)) {
                changes.add(new RucioChange.AddIdentity(actual.name(), identity.type(), identity.identity(), email));
            }
        }
    }

    private void attributes(RucioAccount actual, List<RucioChange> changes, Map<String, String> wanted) {
        Set<String> managedKeys = new LinkedHashSet<>();
        settings.attributeRules().forEach(rule -> managedKeys.add(rule.key()));
        for (String key : managedKeys) {
            String have = actual.attributes().get(key);
            String want = wanted.get(key);
            if (have != null && (want == null || !sameValue(have, want))) {
                changes.add(new RucioChange.RemoveAttribute(actual.name(), key));
                have = null;
            }
            if (want != null && have == null) {
                changes.add(new RucioChange.AddAttribute(actual.name(), key, want));
            }
        }
    }

    /** Rucio may answer a stored "True" as the JSON boolean true: compare booleans without case. */
    static boolean sameValue(String have, String want) {
        boolean booleans = have.equalsIgnoreCase("true") || have.equalsIgnoreCase("false");
        return booleans ? have.equalsIgnoreCase(want) : have.equals(want);
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
