package eu.tessera.sync.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import eu.tessera.sync.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A STAND-IN for a Rucio server, for tests only: Rucio is a Python service that cannot run here. It answers the REST
 * endpoints Tessera's Rucio target uses and enforces what Rucio enforces on them, read from rucio/rucio at version
 * 41.0.0rc1 (the rules quoted are unchanged since 1.30):
 * <ul>
 * <li>Validation ({@code lib/rucio/common/schema/generic.py}, applied by {@code gateway/account.py} only to values
 * that are not empty): account names {@code ^[a-z0-9-_]+$} of at most 25 (InvalidObject, 400); account types USER,
 * GROUP, SERVICE (InvalidAccountType, 400); account attribute keys AND values {@code ^[a-zA-Z0-9-_\/\.]{1,30}$} and
 * of type string (InvalidObject, which the attribute view does not catch: HTTP 500); identity types X509, GSS,
 * USERPASS, SSH, SAML, OIDC ({@code IdentityType[...]} raises KeyError: HTTP 500 with the bare text); USERPASS
 * identities need a password (IdentityError, 400); emails and keys over the database column (String(255); identities
 * String(2048)) fail in the database (HTTP 500); missing parameters are {@code KeyError '<name>' not defined} (400),
 * a body that is not a JSON object ValueError/TypeError (400).</li>
 * <li>Account states ({@code core/account.py}, {@code core/identity.py}): listing identities or attributes, adding
 * identities or attributes and deleting an account need an ACTIVE account (AccountNotFound, 404);
 * {@code GET /accounts/} lists ACTIVE accounts only; {@code PUT status} sets ACTIVE or SUSPENDED, DELETE sets DELETED.</li>
 * <li>Permissions (the generic policy, {@code core/permission/generic.py}): only {@code root} adds or deletes accounts;
 * root or an account with an {@code admin} attribute updates accounts and adds or removes identities and attributes
 * (AccessDenied, 401). A fresh Rucio has the {@code root} account.</li>
 * <li>Authentication ({@code core/authentication.py}, {@code core/oidc.py validate_jwt}): {@code X-Rucio-Auth-Token}
 * from {@code GET /auth/userpass}, or a JWT whose signature the configured verifier accepts (Rucio: an issuer in its
 * identity-provider configuration), not expired, whose {@code scope} holds every scope of
 * {@code [oidc] expected_scope} (default {@code openid profile}) and whose {@code aud} holds
 * {@code expected_audience} (default {@code rucio}), and whose identity {@code SUB=<sub>, ISS=<iss>} is an OIDC
 * identity of an account; that account is the caller. Anything else: CannotAuthenticate, 401.</li>
 * <li>Answers: 201 {@code Created}; errors as JSON {@code {"ExceptionClass", "ExceptionMessage"}} with the same
 * headers ({@code web/rest/flaskapi/v1/common.py}); identities and account lists as
 * {@code application/x-json-stream}; attribute values that read as booleans come back as JSON booleans
 * ({@code BooleanString}).</li>
 * </ul>
 *
 * <p>Faults for tests: {@link #stop()} / {@link #start()} on the same port (connection refused meanwhile),
 * {@link #failRandomly(double)} (HTTP 500 for a share of requests), {@link #delayRandomly(double, long)} (answers
 * slower than the client's timeout).</p>
 */
public final class RucioStandIn implements AutoCloseable {

    static {
        // The JDK server writes headers and body separately; without TCP_NODELAY each answer waits for the
        // client's delayed ACK (about 40 ms).
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** Checks a JWT's signature against the issuers Rucio trusts: its claims, or null when it does not verify. */
    @FunctionalInterface
    public interface TokenVerifier {
        Map<String, Object> claims(String token);
    }

    /** {@code ACCOUNT} and {@code ACCOUNT_LENGTH} of generic.py. */
    static final Pattern ACCOUNT = Pattern.compile("^[a-z0-9-_]+$");
    static final int ACCOUNT_LENGTH = 25;
    /** {@code ACCOUNT_ATTRIBUTE} of generic.py: r'^[a-zA-Z0-9-_\\/\\.]{1,30}$'. */
    static final String ACCOUNT_ATTRIBUTE_TEXT = "^[a-zA-Z0-9-_\\\\/\\\\.]{1,30}$";
    static final Pattern ACCOUNT_ATTRIBUTE = Pattern.compile("^[a-zA-Z0-9\\-_\\\\/\\\\.]{1,30}$");
    static final Set<String> ACCOUNT_TYPES = Set.of("USER", "GROUP", "SERVICE");
    static final Set<String> IDENTITY_TYPES = Set.of("X509", "GSS", "USERPASS", "SSH", "SAML", "OIDC");
    static final Set<String> ACCOUNT_STATUSES = Set.of("ACTIVE", "SUSPENDED", "DELETED");

    /** One Rucio account as stored. */
    public static final class Account {
        public final String name;
        public final String type;
        public volatile String email;
        public volatile String status = "ACTIVE";
        public final Set<List<String>> identities = new LinkedHashSet<>();   // [type, identity]
        public final Map<String, String> attributes = new TreeMap<>();

        Account(String name, String type, String email) {
            this.name = name;
            this.type = type;
            this.email = email;
        }
    }

    /** A refusal as Rucio answers it. */
    private static final class Refusal extends Exception {
        final int status;
        final String exceptionClass;

        Refusal(int status, String exceptionClass, String message) {
            super(message, null, false, false);
            this.status = status;
            this.exceptionClass = exceptionClass;
        }
    }

    private final Map<String, Account> accounts = new TreeMap<>();
    private final Map<String, String> userpass = new LinkedHashMap<>();   // "account/username" -> password
    private final Map<String, String> issued = new java.util.concurrent.ConcurrentHashMap<>();   // token -> account
    private final TokenVerifier verifier;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger writes = new AtomicInteger();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final List<String> refusals = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile Set<String> expectedScope = Set.of("openid", "profile");
    private volatile String expectedAudience = "rucio";
    private volatile Pattern attributePattern = ACCOUNT_ATTRIBUTE;
    private volatile double failureRate;
    private volatile double delayRate;
    private volatile long delayMillis;
    private int port;
    private HttpServer server;

    /** @param verifier the JWT signature check for Rucio's configured issuers ({@code t -> null}: userpass only) */
    public RucioStandIn(TokenVerifier verifier) {
        this(verifier, 0);
    }

    /** @param port a fixed port (0: any free one) */
    public RucioStandIn(TokenVerifier verifier, int port) {
        this.verifier = verifier;
        this.port = port;
        accounts.put("root", new Account("root", "SERVICE", "root@localhost"));
        start();
    }

    /** Starts answering (on the same port after a {@link #stop()}); does nothing when running. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the Rucio stand-in on port " + port, e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
        port = server.getAddress().getPort();
    }

    /** Stops answering: connections are refused until {@link #start()}. */
    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** A userpass identity of an existing account, as {@code rucio-admin identity add --type USERPASS} makes. */
    public synchronized void addUserpass(String account, String username, String password) {
        userpass.put(account + "/" + username, password);
        accounts.get(account).identities.add(List.of("USERPASS", username));
    }

    /** Rucio's {@code [oidc] expected_scope} and {@code expected_audience}. */
    public void expectOidc(String scope, String audience) {
        this.expectedScope = Set.copyOf(Arrays.asList(scope.split(" ")));
        this.expectedAudience = audience;
    }

    /**
     * Narrows the account attribute schema, as a VO's own schema module or policy package may
     * ({@code common/schema/__init__.py} loads one per VO); the refusal is answered as for the generic one.
     */
    public void restrictAttributes(String pattern) {
        this.attributePattern = Pattern.compile(pattern);
    }

    public void failRandomly(double rate) {
        this.failureRate = rate;
    }

    public void delayRandomly(double rate, long millis) {
        this.delayRate = rate;
        this.delayMillis = millis;
    }

    /** A copy of an account, or null. */
    public synchronized Account account(String name) {
        Account account = accounts.get(name);
        if (account == null) {
            return null;
        }
        Account copy = new Account(account.name, account.type, account.email);
        copy.status = account.status;
        copy.identities.addAll(account.identities);
        copy.attributes.putAll(account.attributes);
        return copy;
    }

    /** Accounts held, root included. */
    public synchronized int accountCount() {
        return accounts.size();
    }

    /** The refusals answered so far, as {@code <status> <ExceptionClass>: <message>}. */
    public List<String> refusals() {
        synchronized (refusals) {
            return List.copyOf(refusals);
        }
    }

    /** Creates an account directly, as a Rucio admin would. */
    public synchronized Account createDirectly(String name, String type, String email) {
        Account account = new Account(name, type, email);
        accounts.put(name, account);
        return account;
    }

    /** Removes an account entirely, as a Rucio admin cleaning up would. */
    public synchronized void removeDirectly(String name) {
        accounts.remove(name);
    }

    public synchronized void addIdentityDirectly(String name, String type, String identity) {
        accounts.get(name).identities.add(List.of(type, identity));
    }

    public synchronized void removeIdentityDirectly(String name, String type, String identity) {
        accounts.get(name).identities.remove(List.of(type, identity));
    }

    public synchronized void setAttributeDirectly(String name, String key, String value) {
        accounts.get(name).attributes.put(key, value);
    }

    /** Sets an account's status, as {@code rucio-admin account update --key status} would. */
    public synchronized void setStatusDirectly(String name, String status) {
        accounts.get(name).status = status;
    }

    /** Requests answered (all kinds). */
    public int requests() {
        return requests.get();
    }

    /** Writes that changed something. */
    public int writes() {
        return writes.get();
    }

    /** Creates refused as Duplicate (a repeat that changed nothing). */
    public int duplicates() {
        return duplicates.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            if (delayRate > 0 && ThreadLocalRandom.current().nextDouble() < delayRate) {
                Thread.sleep(delayMillis);
            }
            if (failureRate > 0 && ThreadLocalRandom.current().nextDouble() < failureRate) {
                error(exchange, new Refusal(500, "RucioException", "simulated internal error"));
                return;
            }
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            if (path.equals("/auth/userpass") && method.equals("GET")) {
                userpassLogin(exchange);
                return;
            }
            String token = exchange.getRequestHeaders().getFirst("X-Rucio-Auth-Token");
            if (token == null) {
                error(exchange, new Refusal(400, "ValueError", "Token must be set."));
                return;
            }
            String caller = authenticate(token);
            if (caller == null) {
                error(exchange, new Refusal(401, "CannotAuthenticate", "Cannot authenticate with given credentials"));
                return;
            }
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            try {
                route(exchange, caller, method, path, body);
            } catch (Refusal refusal) {
                error(exchange, refusal);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            error(exchange, new Refusal(500, "RucioException", String.valueOf(e)));
        }
    }

    /** The account a token authenticates, or null (core/oidc.py validate_jwt, __get_rucio_jwt_dict). */
    private String authenticate(String token) {
        String account = issued.get(token);
        if (account != null) {
            return account;
        }
        Map<String, Object> claims = verifier.claims(token);
        if (claims == null || !(claims.get("exp") instanceof Number exp)
                || exp.longValue() * 1000 < System.currentTimeMillis()) {
            return null;
        }
        Set<String> scope = Set.copyOf(Arrays.asList(String.valueOf(claims.getOrDefault("scope", "")).split(" ")));
        Object aud = claims.get("aud");
        Collection<?> audience = aud instanceof Collection<?> list ? list : aud == null ? List.of() : List.of(aud);
        if (!scope.containsAll(expectedScope) || !audience.contains(expectedAudience)) {
            return null;   // all_oidc_req_claims_present
        }
        List<String> identity = List.of("OIDC", "SUB=" + claims.get("sub") + ", ISS=" + claims.get("iss"));
        synchronized (this) {
            for (Account candidate : accounts.values()) {
                if (candidate.identities.contains(identity)) {
                    issued.put(token, candidate.name);
                    return candidate.name;
                }
            }
        }
        return null;
    }

    private void userpassLogin(HttpExchange exchange) throws IOException {
        String account = exchange.getRequestHeaders().getFirst("X-Rucio-Account");
        String username = exchange.getRequestHeaders().getFirst("X-Rucio-Username");
        String password = exchange.getRequestHeaders().getFirst("X-Rucio-Password");
        String expected;
        synchronized (this) {
            expected = userpass.get(account + "/" + username);
        }
        if (expected == null || !expected.equals(password)) {
            error(exchange, new Refusal(401, "CannotAuthenticate", "Cannot authenticate to account " + account
                    + " with given credentials"));
            return;
        }
        String token = account + "-" + UUID.randomUUID();
        issued.put(token, account);
        exchange.getResponseHeaders().add("X-Rucio-Auth-Token", token);
        exchange.getResponseHeaders().add("X-Rucio-Auth-Token-Expires",
                java.time.format.DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'UTC'", Locale.ENGLISH)
                        .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusHours(1)));
        send(exchange, 200, "text/plain", "");
    }

    private void route(HttpExchange exchange, String caller, String method, String path, String body)
            throws IOException, Refusal {
        String[] parts = path.split("/", -1);   // "", "accounts", name, ...
        if (parts.length < 3 || !parts[1].equals("accounts")) {
            throw new Refusal(404, "NotFound", "no such endpoint");
        }
        if (parts.length == 3 && parts[2].isEmpty() && method.equals("GET")) {
            listAccounts(exchange);
            return;
        }
        String name = URLDecoder.decode(parts[2], StandardCharsets.UTF_8);
        synchronized (this) {
            if (parts.length == 3) {
                account(exchange, caller, method, name, body);
            } else if (parts.length == 4 && parts[3].equals("identities")) {
                identities(exchange, caller, method, name, body);
            } else if (parts.length == 5 && parts[3].equals("attr")) {
                attributes(exchange, caller, method, name, URLDecoder.decode(parts[4], StandardCharsets.UTF_8),
                        body);
            } else {
                throw new Refusal(404, "NotFound", "no such endpoint");
            }
        }
    }

    private void listAccounts(HttpExchange exchange) throws IOException {
        StringBuilder out = new StringBuilder();
        synchronized (this) {
            for (Account account : accounts.values()) {
                if (!account.status.equals("ACTIVE")) {
                    continue;   // list_accounts selects status == ACTIVE
                }
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("account", account.name);
                line.put("type", account.type);
                line.put("email", account.email);
                out.append(Json.write(line)).append('\n');
            }
        }
        send(exchange, 200, "application/x-json-stream", out.toString());
    }

    private void account(HttpExchange exchange, String caller, String method, String name, String body)
            throws IOException, Refusal {
        Account account = accounts.get(name);
        switch (method) {
            case "GET" -> {
                if (account == null) {
                    throw accountNotFound(name);
                }
                Map<String, Object> info = new LinkedHashMap<>();
                info.put("account", account.name);
                info.put("account_type", account.type);
                info.put("status", account.status);
                info.put("email", account.email);
                info.put("suspended_at", null);
                info.put("deleted_at", null);
                send(exchange, 200, "application/json", Json.write(info));
            }
            case "POST" -> {
                Map<String, Object> parameters = parameters(body);
                Object type = required(parameters, "type");
                Object email = required(parameters, "email");
                if (!name.isEmpty() && (name.length() > ACCOUNT_LENGTH || !ACCOUNT.matcher(name).matches())) {
                    throw new Refusal(400, "InvalidObject", "Problem validating account: '" + name
                            + "' does not match '^[a-z0-9-_]+$'" + (name.length() > ACCOUNT_LENGTH
                            ? " or is longer than " + ACCOUNT_LENGTH : ""));
                }
                if (!(type instanceof String text) || !ACCOUNT_TYPES.contains(text.toUpperCase(Locale.ROOT))) {
                    throw new Refusal(400, "InvalidAccountType", type + " is an invalid account type. Choose from "
                            + "['USER', 'GROUP', 'SERVICE']");
                }
                permit(caller, true, "add account");
                if (name.equals("super_root")) {
                    throw new Refusal(500, "UnsupportedAccountName", "The name \"super_root\" cannot be used.");
                }
                if (account != null) {
                    duplicates.incrementAndGet();
                    throw new Refusal(409, "Duplicate", "Account ID '" + name + "' already exists!");
                }
                if (email != null && String.valueOf(email).length() > 255) {
                    throw databaseFailure("account.email is String(255)");
                }
                accounts.put(name, new Account(name, text.toUpperCase(Locale.ROOT), email == null ? null
                        : String.valueOf(email)));
                writes.incrementAndGet();
                send(exchange, 201, "text/html", "Created");
            }
            case "PUT" -> {
                Map<String, Object> parameters = parameters(body);
                permit(caller, false, "update account");
                if (account == null) {
                    throw accountNotFound(name);
                }
                for (Map.Entry<String, Object> entry : parameters.entrySet()) {
                    switch (entry.getKey()) {
                        case "status" -> {
                            String status = String.valueOf(entry.getValue());
                            if (!ACCOUNT_STATUSES.contains(status)) {
                                throw new Refusal(500, null, "'" + status + "'");   // AccountStatus[value]: KeyError
                            }
                            if (!status.equals("DELETED")) {   // update_account sets ACTIVE or SUSPENDED only
                                account.status = status;
                            }
                        }
                        case "email" -> {
                            if (String.valueOf(entry.getValue()).length() > 255) {
                                throw databaseFailure("account.email is String(255)");
                            }
                            account.email = String.valueOf(entry.getValue());
                        }
                        default -> throw new Refusal(400, "ValueError", "Unknown value " + entry.getValue());
                    }
                }
                writes.incrementAndGet();
                send(exchange, 200, "text/html", "");
            }
            case "DELETE" -> {
                permit(caller, true, "delete account");
                if (account == null || !account.status.equals("ACTIVE")) {
                    throw accountNotFound(name);
                }
                account.status = "DELETED";
                writes.incrementAndGet();
                send(exchange, 200, "text/html", "");
            }
            default -> throw new Refusal(405, "MethodNotAllowed", method);
        }
    }

    private void identities(HttpExchange exchange, String caller, String method, String name, String body)
            throws IOException, Refusal {
        Account account = accounts.get(name);
        switch (method) {
            case "GET" -> {
                Account active = active(account, name);
                StringBuilder out = new StringBuilder();
                for (List<String> identity : active.identities) {
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("type", identity.get(0));
                    line.put("identity", identity.get(1));
                    line.put("email", active.email);
                    out.append(Json.write(line)).append('\n');
                }
                send(exchange, 200, "application/x-json-stream", out.toString());
            }
            case "POST" -> {
                Map<String, Object> parameters = parameters(body);
                Object identity = required(parameters, "identity");
                Object type = required(parameters, "authtype");
                Object email = required(parameters, "email");
                permit(caller, false, "add account identity");
                if (!IDENTITY_TYPES.contains(String.valueOf(type).toUpperCase(Locale.ROOT))) {
                    throw new Refusal(500, null, "'" + String.valueOf(type).toUpperCase(Locale.ROOT) + "'");
                }
                String kind = String.valueOf(type).toUpperCase(Locale.ROOT);
                Account active = active(account, name);
                if (kind.equals("USERPASS") && parameters.get("password") == null) {
                    throw new Refusal(400, "IdentityError", "You must provide a password!");
                }
                if (String.valueOf(identity).length() > 2048 || email != null
                        && String.valueOf(email).length() > 255) {
                    throw databaseFailure("identities.identity is String(2048), identities.email String(255)");
                }
                if (!active.identities.add(List.of(kind, String.valueOf(identity)))) {
                    duplicates.incrementAndGet();
                    throw new Refusal(409, "Duplicate", "Identity pair '" + identity + "','" + kind
                            + "' already exists!");
                }
                writes.incrementAndGet();
                send(exchange, 201, "text/html", "Created");
            }
            case "DELETE" -> {
                Map<String, Object> parameters = parameters(body);
                Object identity = required(parameters, "identity");
                Object type = required(parameters, "authtype");
                permit(caller, false, "delete account identity");
                if (account == null) {
                    throw accountNotFound(name);
                }
                if (!account.identities.remove(List.of(String.valueOf(type).toUpperCase(Locale.ROOT),
                        String.valueOf(identity)))) {
                    throw new Refusal(404, "IdentityError", "Identity ('" + identity + "','" + type
                            + "') does not exist!");
                }
                writes.incrementAndGet();
                send(exchange, 200, "text/html", "");
            }
            default -> throw new Refusal(405, "MethodNotAllowed", method);
        }
    }

    private void attributes(HttpExchange exchange, String caller, String method, String name, String key, String body)
            throws IOException, Refusal {
        Account account = accounts.get(name);
        switch (method) {
            case "GET" -> {
                List<Object> list = new ArrayList<>();
                active(account, name).attributes.forEach((k, v) -> list.add(Map.of("key", k, "value",
                        v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")
                                ? (Object) Boolean.valueOf(v.toLowerCase(Locale.ROOT)) : v)));
                send(exchange, 200, "application/json", Json.write(list));
            }
            case "POST" -> {
                Object value = required(parameters(body), "value");
                validateAttribute(key);   // gateway: key, then value, before the permission check
                validateAttribute(value);
                permit(caller, false, "add attribute");
                Account active = active(account, name);
                if (active.attributes.containsKey(key)) {
                    duplicates.incrementAndGet();
                    throw new Refusal(409, "Duplicate", "Key " + key + " already exist for account " + name + "!");
                }
                active.attributes.put(key, String.valueOf(value));
                writes.incrementAndGet();
                send(exchange, 201, "text/html", "Created");
            }
            case "DELETE" -> {
                permit(caller, false, "delete attribute");
                if (account == null || account.attributes.remove(key) == null) {
                    throw new Refusal(404, "AccountNotFound", "Attribute (" + key + ") does not exist for the account "
                            + name + "!");
                }
                writes.incrementAndGet();
                send(exchange, 200, "text/html", "");
            }
            default -> throw new Refusal(405, "MethodNotAllowed", method);
        }
    }

    /** validate_schema('account_attribute', obj): only a value that is not empty is checked; the view does not
     * catch InvalidObject, so the ErrorHandlingMethodView answers 500. */
    private void validateAttribute(Object value) throws Refusal {
        boolean empty = value == null || value instanceof String text && text.isEmpty()
                || Boolean.FALSE.equals(value) || value instanceof Number n && n.doubleValue() == 0;
        if (empty) {
            return;
        }
        if (!(value instanceof String text)) {
            throw new Refusal(500, "InvalidObject", "Problem validating account_attribute: " + value
                    + " is not of type 'string'");
        }
        if (!attributePattern.matcher(text).matches()) {
            throw new Refusal(500, "InvalidObject", "Problem validating account_attribute: '" + text
                    + "' does not match '" + (attributePattern == ACCOUNT_ATTRIBUTE ? ACCOUNT_ATTRIBUTE_TEXT
                    : attributePattern.pattern()) + "'");
        }
    }

    /** The generic permission policy: root only for adding and deleting accounts, else root or an admin attribute. */
    private void permit(String caller, boolean rootOnly, String action) throws Refusal {
        Account account = accounts.get(caller);
        boolean allowed = caller.equals("root")
                || !rootOnly && account != null && account.attributes.containsKey("admin");
        if (!allowed) {
            throw new Refusal(401, "AccessDenied", "Account " + caller + " can not " + action + ".");
        }
    }

    private static Account active(Account account, String name) throws Refusal {
        if (account == null || !account.status.equals("ACTIVE")) {
            throw accountNotFound(name);
        }
        return account;
    }

    private static Map<String, Object> parameters(String body) throws Refusal {
        Object parsed;
        try {
            parsed = Json.parse(body);
        } catch (IllegalArgumentException e) {
            throw new Refusal(400, "ValueError", "cannot decode json parameter dictionary");
        }
        if (!(parsed instanceof Map<?, ?>)) {
            throw new Refusal(400, "TypeError", "body must be a json dictionary");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) parsed;
        return map;
    }

    private static Object required(Map<String, Object> parameters, String name) throws Refusal {
        if (!parameters.containsKey(name)) {
            throw new Refusal(400, "KeyError", "'" + name + "' not defined");
        }
        return parameters.get(name);
    }

    private static Refusal accountNotFound(String name) {
        return new Refusal(404, "AccountNotFound", "Account with ID '" + name + "' cannot be found");
    }

    /** A value too long for its column: the database error surfaces as an uncaught exception, HTTP 500. */
    private static Refusal databaseFailure(String detail) {
        return new Refusal(500, null, "(psycopg2.errors.StringDataRightTruncation) value too long: " + detail);
    }

    private void error(HttpExchange exchange, Refusal refusal) throws IOException {
        refusals.add(refusal.status + " " + refusal.exceptionClass + ": " + refusal.getMessage());
        if (refusal.exceptionClass == null) {
            // ErrorHandlingMethodView: an exception that is no RucioException is answered as str(error), 500
            send(exchange, refusal.status, "text/html; charset=utf-8", refusal.getMessage());
            return;
        }
        exchange.getResponseHeaders().add("ExceptionClass", refusal.exceptionClass);
        String message = refusal.getMessage();
        exchange.getResponseHeaders().add("ExceptionMessage", message.length() > 125
                ? message.substring(0, 125) + "..." : message);
        send(exchange, refusal.status, "application/octet-stream",
                Json.write(Map.of("ExceptionClass", refusal.exceptionClass, "ExceptionMessage", message)));
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
