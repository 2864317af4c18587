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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A STAND-IN for a Rucio server, for tests only: Rucio is a Python service that cannot run here. It implements the
 * REST endpoints Tessera's Rucio target uses, following Rucio's published API (rucio/web/rest/flaskapi/v1:
 * accounts.py and authentication.py): {@code GET/POST/PUT/DELETE /accounts/{account}} (201 "Created", 409
 * Duplicate, 404 AccountNotFound, DELETE sets status DELETED), {@code GET /accounts/} and
 * {@code GET/POST/DELETE /accounts/{account}/identities} as {@code application/x-json-stream},
 * {@code GET /accounts/{account}/attr/} and {@code POST/DELETE /accounts/{account}/attr/{key}}, and
 * {@code GET /auth/userpass}. Errors carry Rucio's {@code ExceptionClass}/{@code ExceptionMessage} headers and
 * body. Every request needs {@code X-Rucio-Auth-Token}: one issued by userpass, or any token the configured
 * predicate accepts (a Tessera-issued JWT, checked by the test).
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

    private final Map<String, Account> accounts = new TreeMap<>();
    private final Map<String, String> userpass = new LinkedHashMap<>();   // "account/username" -> password
    private final Set<String> issued = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Predicate<String> acceptedToken;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger writes = new AtomicInteger();
    private final AtomicInteger duplicates = new AtomicInteger();
    private volatile double failureRate;
    private volatile double delayRate;
    private volatile long delayMillis;
    private int port;
    private HttpServer server;

    /** @param acceptedToken tokens accepted besides those issued by userpass (e.g. a JWT check) */
    public RucioStandIn(Predicate<String> acceptedToken) {
        this(acceptedToken, 0);
    }

    /** @param port a fixed port (0: any free one) */
    public RucioStandIn(Predicate<String> acceptedToken, int port) {
        this.acceptedToken = acceptedToken;
        this.port = port;
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

    public synchronized void addUserpass(String account, String username, String password) {
        userpass.put(account + "/" + username, password);
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

    public synchronized int accountCount() {
        return accounts.size();
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

    public synchronized void removeIdentityDirectly(String name, String type, String identity) {
        accounts.get(name).identities.remove(List.of(type, identity));
    }

    public synchronized void setAttributeDirectly(String name, String key, String value) {
        accounts.get(name).attributes.put(key, value);
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
                error(exchange, 500, "RucioException", "simulated internal error");
                return;
            }
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            if (path.equals("/auth/userpass") && method.equals("GET")) {
                userpassLogin(exchange);
                return;
            }
            String token = exchange.getRequestHeaders().getFirst("X-Rucio-Auth-Token");
            if (token == null || !issued.contains(token) && !acceptedToken.test(token)) {
                error(exchange, 401, "CannotAuthenticate", "Cannot authenticate with given credentials");
                return;
            }
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            route(exchange, method, path, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            error(exchange, 500, "RucioException", String.valueOf(e));
        }
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
            error(exchange, 401, "CannotAuthenticate", "Cannot authenticate to account " + account);
            return;
        }
        String token = account + "-" + UUID.randomUUID();
        issued.add(token);
        exchange.getResponseHeaders().add("X-Rucio-Auth-Token", token);
        exchange.getResponseHeaders().add("X-Rucio-Auth-Token-Expires",
                java.time.format.DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'UTC'", java.util.Locale.ENGLISH)
                        .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusHours(1)));
        send(exchange, 200, "text/plain", "");
    }

    private void route(HttpExchange exchange, String method, String path, String body) throws IOException {
        String[] parts = path.split("/", -1);   // "", "accounts", name, ...
        if (parts.length < 2 || !parts[1].equals("accounts")) {
            error(exchange, 404, "NotFound", "no such endpoint");
            return;
        }
        if (parts.length == 3 && parts[2].isEmpty() && method.equals("GET")) {
            listAccounts(exchange);
            return;
        }
        String name = URLDecoder.decode(parts[2], StandardCharsets.UTF_8);
        if (parts.length == 3) {
            account(exchange, method, name, body);
        } else if (parts.length == 4 && parts[3].equals("identities")) {
            identities(exchange, method, name, body);
        } else if (parts.length == 5 && parts[3].equals("attr")) {
            attributes(exchange, method, name, URLDecoder.decode(parts[4], StandardCharsets.UTF_8), body);
        } else {
            error(exchange, 404, "NotFound", "no such endpoint");
        }
    }

    private void listAccounts(HttpExchange exchange) throws IOException {
        StringBuilder out = new StringBuilder();
        synchronized (this) {
            for (Account account : accounts.values()) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("account", account.name);
                line.put("type", account.type);
                line.put("email", account.email);
                out.append(Json.write(line)).append('\n');
            }
        }
        send(exchange, 200, "application/x-json-stream", out.toString());
    }

    private void account(HttpExchange exchange, String method, String name, String body) throws IOException {
        synchronized (this) {
            Account account = accounts.get(name);
            switch (method) {
                case "GET" -> {
                    if (account == null) {
                        accountNotFound(exchange, name);
                        return;
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
                    Map<String, Object> parameters = Json.parseObject(body);
                    if (!name.matches("^[a-z0-9_-]{1,25}$")) {
                        error(exchange, 400, "InvalidObject", "Problem validating account " + name);
                        return;
                    }
                    if (account != null) {
                        duplicates.incrementAndGet();
                        error(exchange, 409, "Duplicate", "Account ID '" + name + "' already exists!");
                        return;
                    }
                    accounts.put(name, new Account(name, String.valueOf(parameters.get("type")),
                            String.valueOf(parameters.get("email"))));
                    writes.incrementAndGet();
                    send(exchange, 201, "text/html", "Created");
                }
                case "PUT" -> {
                    if (account == null) {
                        accountNotFound(exchange, name);
                        return;
                    }
                    for (Map.Entry<String, Object> entry : Json.parseObject(body).entrySet()) {
                        switch (entry.getKey()) {
                            case "status" -> account.status = String.valueOf(entry.getValue());
                            case "email" -> account.email = String.valueOf(entry.getValue());
                            default -> {
                                error(exchange, 400, "ValueError", "Unknown value " + entry.getValue());
                                return;
                            }
                        }
                    }
                    writes.incrementAndGet();
                    send(exchange, 200, "text/html", "");
                }
                case "DELETE" -> {
                    if (account == null) {
                        accountNotFound(exchange, name);
                        return;
                    }
                    account.status = "DELETED";
                    writes.incrementAndGet();
                    send(exchange, 200, "text/html", "");
                }
                default -> error(exchange, 405, "MethodNotAllowed", method);
            }
        }
    }

    private void identities(HttpExchange exchange, String method, String name, String body) throws IOException {
        synchronized (this) {
            Account account = accounts.get(name);
            if (account == null) {
                accountNotFound(exchange, name);
                return;
            }
            switch (method) {
                case "GET" -> {
                    StringBuilder out = new StringBuilder();
                    for (List<String> identity : account.identities) {
                        Map<String, Object> line = new LinkedHashMap<>();
                        line.put("type", identity.get(0));
                        line.put("identity", identity.get(1));
                        line.put("email", account.email);
                        out.append(Json.write(line)).append('\n');
                    }
                    send(exchange, 200, "application/x-json-stream", out.toString());
                }
                case "POST" -> {
                    Map<String, Object> parameters = Json.parseObject(body);
                    if (!(parameters.get("identity") instanceof String identity)
                            || !(parameters.get("authtype") instanceof String type)
                            || !(parameters.get("email") instanceof String)) {
                        error(exchange, 400, "KeyError", "identity, authtype and email are required");
                        return;
                    }
                    if (!account.identities.add(List.of(type, identity))) {
                        duplicates.incrementAndGet();
                        error(exchange, 409, "Duplicate", "Identity already exists");
                        return;
                    }
                    writes.incrementAndGet();
                    send(exchange, 201, "text/html", "Created");
                }
                case "DELETE" -> {
                    Map<String, Object> parameters = Json.parseObject(body);
                    if (!account.identities.remove(List.of(String.valueOf(parameters.get("authtype")),
                            String.valueOf(parameters.get("identity"))))) {
                        error(exchange, 404, "IdentityError", "Identity is not associated with the account");
                        return;
                    }
                    writes.incrementAndGet();
                    send(exchange, 200, "text/html", "");
                }
                default -> error(exchange, 405, "MethodNotAllowed", method);
            }
        }
    }

    private void attributes(HttpExchange exchange, String method, String name, String key, String body)
            throws IOException {
        synchronized (this) {
            Account account = accounts.get(name);
            if (account == null) {
                accountNotFound(exchange, name);
                return;
            }
            switch (method) {
                case "GET" -> {
                    List<Object> list = new ArrayList<>();
                    account.attributes.forEach((k, v) -> list.add(Map.of("key", k, "value",
                            v.equalsIgnoreCase("true") ? (Object) Boolean.TRUE : v)));
                    send(exchange, 200, "application/json", Json.write(list));
                }
                case "POST" -> {
                    Object value = Json.parseObject(body).get("value");
                    if (account.attributes.containsKey(key)) {
                        duplicates.incrementAndGet();
                        error(exchange, 409, "Duplicate", "Attribute already exists");
                        return;
                    }
                    account.attributes.put(key, String.valueOf(value));
                    writes.incrementAndGet();
                    send(exchange, 201, "text/html", "Created");
                }
                case "DELETE" -> {
                    account.attributes.remove(key);
                    writes.incrementAndGet();
                    send(exchange, 200, "text/html", "");
                }
                default -> error(exchange, 405, "MethodNotAllowed", method);
            }
        }
    }

    private static void accountNotFound(HttpExchange exchange, String name) throws IOException {
        error(exchange, 404, "AccountNotFound", "Account with ID '" + name + "' cannot be found");
    }

    private static void error(HttpExchange exchange, int status, String exceptionClass, String message)
            throws IOException {
        exchange.getResponseHeaders().add("ExceptionClass", exceptionClass);
        exchange.getResponseHeaders().add("ExceptionMessage", message);
        send(exchange, status, "application/octet-stream",
                Json.write(Map.of("ExceptionClass", exceptionClass, "ExceptionMessage", message)));
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
