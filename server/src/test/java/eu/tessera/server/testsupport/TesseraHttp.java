package eu.tessera.server.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client for integration tests; redirects are not followed, so tests see every hop. */
public final class TesseraHttp {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** An HTTP response. */
    public record Response(int status, HttpHeaders headers, String body) {

        public Map<String, Object> json() {
            return JSON.readValue(body, new TypeReference<LinkedHashMap<String, Object>>() { });
        }

        public java.util.List<Object> jsonList() {
            return JSON.readValue(body, new TypeReference<java.util.ArrayList<Object>>() { });
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public String location() {
            return header("Location");
        }
    }

    private final String base;
    private final HttpClient client;
    private final boolean browser;

    private TesseraHttp(String base, boolean cookies) {
        this.base = base;
        this.browser = cookies;
        HttpClient.Builder builder = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10));
        if (cookies) {
            builder.cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL));
        }
        this.client = builder.build();
    }

    /** A client without cookies (a service). */
    public static TesseraHttp to(String base) {
        return new TesseraHttp(base, false);
    }

    /** A client with a cookie jar (a browser). */
    public static TesseraHttp browser(String base) {
        return new TesseraHttp(base, true);
    }

    public String base() {
        return base;
    }

    public static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** Form-encodes name/value pairs given in order (names may repeat). */
    public static String form(String... pairs) {
        StringJoiner joiner = new StringJoiner("&");
        for (int i = 0; i < pairs.length; i += 2) {
            joiner.add(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return joiner.toString();
    }

    public Response get(String pathOrUrl, String... headers) {
        return send(request(pathOrUrl, headers).GET().build());
    }

    public Response postForm(String path, String formBody, String... headers) {
        return send(request(path, headers).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formBody)).build());
    }

    public Response sendJson(String method, String path, String json, String... headers) {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json);
        HttpRequest.Builder builder = request(path, headers).method(method, body);
        if (json != null) {
            builder.header("Content-Type", "application/json");
        }
        return send(builder.build());
    }

    /** POSTs to the token endpoint with client_secret_basic. */
    public Response token(String clientId, String secret, String... pairs) {
        return postForm("/token", form(pairs), "Authorization", basic(clientId, secret));
    }

    private HttpRequest.Builder request(String pathOrUrl, String... headers) {
        String url = pathOrUrl.startsWith("http") ? pathOrUrl : base + pathOrUrl;
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        boolean accept = false;
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
            accept |= headers[i].equalsIgnoreCase("Accept");
        }
        if (browser && !accept) {
            builder.header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
        }
        return builder;
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The value of a query parameter of a URL, decoded. */
    public static Optional<String> queryParameter(String url, String name) {
        String query = URI.create(url).getRawQuery();
        if (query == null) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                return Optional.of(java.net.URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1),
                        StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    /**
     * A raw HTTP/1.1 request to {@code base} from a chosen loopback address (tests use 127.0.0.2 as a trusted
     * TLS-terminating proxy); returns the whole response text.
     */
    public static String raw(String base, String from, String method, String path, String... headers) {
        URI target = URI.create(base);
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.bind(new java.net.InetSocketAddress(from, 0));
            socket.connect(new java.net.InetSocketAddress(target.getHost(), target.getPort()), 5000);
            socket.setSoTimeout(20_000);
            StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: "
                    + target.getAuthority() + "\r\nConnection: close\r\n");
            for (String header : headers) {
                request.append(header).append("\r\n");
            }
            if (!"GET".equals(method)) {
                request.append("Content-Length: 0\r\n");
            }
            java.io.OutputStream out = socket.getOutputStream();
            out.write(request.append("\r\n").toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
