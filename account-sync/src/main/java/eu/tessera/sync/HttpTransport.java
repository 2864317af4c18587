package eu.tessera.sync;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The HTTP calls of the catalogue adapters (java.net.http), with one timeout per request. Connection failures and
 * timeouts become retryable {@link SyncException}s; status codes are left to the adapter.
 */
public final class HttpTransport {

    /** A response: status, body and headers. */
    public record Response(int status, String body, java.net.http.HttpHeaders headers) {
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final HttpClient client;
    private final Duration timeout;

    public HttpTransport(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * Sends a request.
     *
     * @param body    JSON body text, or null for none
     * @param headers header names and values
     */
    public Response send(String method, URI uri, String body, Map<String, String> headers) throws SyncException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response.headers());
        } catch (java.net.http.HttpTimeoutException e) {
            throw new SyncException(method + " " + path(uri) + ": no answer within " + timeout.toMillis() + " ms",
                    false, e);
        } catch (IOException e) {
            throw new SyncException(method + " " + path(uri) + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() != null ? " " + e.getMessage() : ""), false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncException("interrupted", false, e);
        }
    }

    /** The path of a URI, for messages (never the query, which could carry data). */
    public static String path(URI uri) {
        return uri.getRawPath();
    }

    /** A retryable or permanent failure for an unexpected status, with the server's short message if any. */
    public static SyncException unexpected(String what, Response response) {
        int status = response.status();
        boolean retryable = status >= 500 || status == 408 || status == 429 || status == 401 || status == 403;
        String body = response.body() == null ? "" : response.body().strip();
        if (body.length() > 300) {
            body = body.substring(0, 300) + "...";
        }
        return new SyncException(what + ": HTTP " + status + (body.isEmpty() ? "" : " " + body), !retryable);
    }
}
