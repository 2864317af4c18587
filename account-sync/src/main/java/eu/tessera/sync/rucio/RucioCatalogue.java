package eu.tessera.sync.rucio;

import eu.tessera.sync.AccountState;
import eu.tessera.sync.Catalogue;
import eu.tessera.sync.CreationLedger;
import eu.tessera.sync.Credentials;
import eu.tessera.sync.HttpTransport;
import eu.tessera.sync.Json;
import eu.tessera.sync.Operation;
import eu.tessera.sync.SyncException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rucio REST API target: reads an account ({@code GET /accounts/{a}}, {@code /identities}, {@code /attr/}), plans
 * with {@link RucioPlanner} and applies the calls. Repeats are harmless: 409 Duplicate on a create and 404 on a
 * delete count as done. The token is renewed once when Rucio answers 401.
 */
public final class RucioCatalogue implements Catalogue {

    private final RucioSettings settings;
    private final HttpTransport http;
    private final Credentials credentials;
    private final RucioPlanner planner;
    private final CreationLedger ledger;

    public RucioCatalogue(RucioSettings settings, HttpTransport http, Credentials credentials,
            CreationLedger ledger) {
        this.settings = settings;
        this.http = http;
        this.credentials = credentials;
        this.planner = new RucioPlanner(settings);
        this.ledger = ledger;
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public List<Operation> synchronize(AccountState desired, boolean dryRun) throws SyncException {
        if (desired.username() == null) {
            throw new SyncException("account " + desired.id() + " has no known username", true);
        }
        String account;
        try {
            account = RucioSettings.accountName(desired.username());
        } catch (IllegalArgumentException e) {
            if (!settings.inScope(desired)) {
                return List.of();   // could never have been provisioned
            }
            throw new SyncException(e.getMessage(), true);
        }
        boolean createdForDesired = ledger.intendedFor(name(), account).map(desired.id()::equals).orElse(false);
        List<Operation> operations = new ArrayList<>();
        List<RucioChange> changes = planner.plan(desired, read(account), createdForDesired);
        apply(desired, changes, operations, dryRun);
        if (!dryRun && changes.stream().anyMatch(RucioChange.ReactivateAccount.class::isInstance)) {
            // Rucio shows identities and attributes once the account is active again: plan the rest now
            apply(desired, planner.plan(desired, read(account), true), operations, false);
        }
        return operations;
    }

    private void apply(AccountState desired, List<RucioChange> changes, List<Operation> operations, boolean dryRun)
            throws SyncException {
        for (RucioChange change : changes) {
            if (!dryRun) {
                if (change instanceof RucioChange.CreateAccount || change instanceof RucioChange.AddAttribute add
                        && add.key().equals(settings.ownerAttribute())) {
                    ledger.intend(name(), change.account(), desired.id());
                }
                apply(change);
            }
            operations.add(change.describe());
        }
    }

    @Override
    public List<AccountState> orphans(Set<String> knownIds) throws SyncException {
        HttpTransport.Response response = call("GET", "accounts/", null, "application/x-json-stream");
        if (response.status() != 200) {
            throw RucioErrors.failure("list accounts", response);
        }
        List<AccountState> orphans = new ArrayList<>();
        for (Object line : parseLines(response)) {
            if (!(line instanceof Map<?, ?> entry) || !"USER".equals(String.valueOf(entry.get("type")))) {
                continue;
            }
            String account = String.valueOf(entry.get("account"));
            Map<String, String> attributes = attributes(account);
            String owner = attributes == null ? null : attributes.get(settings.ownerAttribute());
            if (owner != null && !knownIds.contains(OwnerMarker.accountId(owner))) {
                orphans.add(AccountState.removed(OwnerMarker.accountId(owner), account));
            }
        }
        return orphans;
    }

    /** What Rucio holds for the account name. */
    public RucioAccount read(String account) throws SyncException {
        HttpTransport.Response response = call("GET", "accounts/" + account, null, "application/json");
        if (response.status() == 404) {
            return RucioAccount.missing(account);
        }
        if (response.status() != 200) {
            throw RucioErrors.failure("get account " + account, response);
        }
        Map<String, Object> info = object(response, "get account " + account);
        String status = text(info.get("status"));
        if (status != null && !"ACTIVE".equalsIgnoreCase(status)) {
            // Rucio answers AccountNotFound for the identities and attributes of an inactive account
            return new RucioAccount(account, true, text(info.get("account_type")), status, text(info.get("email")),
                    List.of(), Map.of());
        }
        HttpTransport.Response listed = call("GET", "accounts/" + account + "/identities", null,
                "application/x-json-stream");
        if (listed.status() != 200) {
            throw RucioErrors.failure("list identities of " + account, listed);
        }
        List<RucioAccount.Identity> identities = new ArrayList<>();
        for (Object line : parseLines(listed)) {
            if (line instanceof Map<?, ?> identity) {
                identities.add(new RucioAccount.Identity(String.valueOf(identity.get("type")),
                        String.valueOf(identity.get("identity"))));
            }
        }
        Map<String, String> attributes = attributes(account);
        if (attributes == null) {
            throw new SyncException("get account " + account + ": deactivated in Rucio while it was read", false);
        }
        return new RucioAccount(account, true, text(info.get("account_type")), status, text(info.get("email")),
                identities, attributes);
    }

    /** The account's attributes, or null when Rucio no longer holds it as active (AccountNotFound). */
    private Map<String, String> attributes(String account) throws SyncException {
        HttpTransport.Response response = call("GET", "accounts/" + account + "/attr/", null, "application/json");
        if (response.status() == 404) {
            return null;
        }
        if (response.status() != 200) {
            throw RucioErrors.failure("list attributes of " + account, response);
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        Object parsed = parse(response, "list attributes of " + account);
        if (parsed instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> attribute && attribute.get("key") != null) {
                    attributes.put(String.valueOf(attribute.get("key")), String.valueOf(attribute.get("value")));
                }
            }
        }
        return attributes;
    }

    private void apply(RucioChange change) throws SyncException {
        String account = change.account();
        HttpTransport.Response response;
        if (change instanceof RucioChange.CreateAccount c) {
            response = call("POST", "accounts/" + account, Json.write(Map.of("type", "USER", "email", c.email())),
                    null);
            expect(change, response, 201, 409);
        } else if (change instanceof RucioChange.ReactivateAccount) {
            response = call("PUT", "accounts/" + account, Json.write(Map.of("status", "ACTIVE")), null);
            expect(change, response, 200);
        } else if (change instanceof RucioChange.SetEmail s) {
            response = call("PUT", "accounts/" + account, Json.write(Map.of("email", s.email())), null);
            expect(change, response, 200);
        } else if (change instanceof RucioChange.AddIdentity a) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("identity", a.identity());
            body.put("authtype", a.type());
            body.put("email", a.email());
            body.put("default", false);
            response = call("POST", "accounts/" + account + "/identities", Json.write(body), null);
            expect(change, response, 201, 409);
        } else if (change instanceof RucioChange.RemoveIdentity r) {
            response = call("DELETE", "accounts/" + account + "/identities",
                    Json.write(Map.of("identity", r.identity(), "authtype", r.type())), null);
            expect(change, response, 200, 404);
        } else if (change instanceof RucioChange.AddAttribute a) {
            response = call("POST", "accounts/" + account + "/attr/" + encode(a.key()),
                    Json.write(Map.of("key", a.key(), "value", a.value())), null);
            expect(change, response, 201, 409);
        } else if (change instanceof RucioChange.RemoveAttribute r) {
            response = call("DELETE", "accounts/" + account + "/attr/" + encode(r.key()), null, null);
            expect(change, response, 200, 404);
        } else if (change instanceof RucioChange.DeleteAccount) {
            response = call("DELETE", "accounts/" + account, null, null);
            expect(change, response, 200, 404);
        } else {
            throw new IllegalStateException("unknown change " + change);
        }
    }

    private static void expect(RucioChange change, HttpTransport.Response response, int... accepted)
            throws SyncException {
        for (int status : accepted) {
            if (response.status() == status) {
                return;
            }
        }
        throw RucioErrors.failure(change.describe().toString(), response);
    }

    private HttpTransport.Response call(String method, String path, String body, String accept) throws SyncException {
        return credentials.send(token -> send(method, path, body, accept, token));
    }

    private HttpTransport.Response send(String method, String path, String body, String accept, String token)
            throws SyncException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Rucio-Auth-Token", token);
        if (settings.vo() != null) {
            headers.put("X-Rucio-VO", settings.vo());
        }
        if (accept != null) {
            headers.put("Accept", accept);
        }
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        return http.send(method, resolve(settings.url(), path), body, headers);
    }

    static URI resolve(URI base, String path) {
        String root = base.toString().endsWith("/") ? base.toString() : base + "/";
        return URI.create(root + path);
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String text(Object value) {
        return value == null ? null : String.valueOf(value);
    }

    private static Object parse(HttpTransport.Response response, String what) throws SyncException {
        try {
            return Json.parse(response.body());
        } catch (IllegalArgumentException e) {
            throw new SyncException(what + ": Rucio answered something that is not JSON", false);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(HttpTransport.Response response, String what) throws SyncException {
        Object parsed = parse(response, what);
        if (!(parsed instanceof Map<?, ?>)) {
            throw new SyncException(what + ": Rucio answered JSON that is not an object", false);
        }
        return (Map<String, Object>) parsed;
    }

    private static List<Object> parseLines(HttpTransport.Response response) throws SyncException {
        try {
            return Json.parseLines(response.body());
        } catch (IllegalArgumentException e) {
            throw new SyncException("Rucio answered a list that is not JSON lines", false);
        }
    }
}
