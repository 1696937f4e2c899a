package dev.shoal.client.internal.http;

import dev.shoal.storage.api.CommitStateUnknownException;
import dev.shoal.storage.api.RetryableException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One signed request and its response. Failures to reach the API become the storage layer's
 * kinds: a connection never made is retryable (nothing was sent); a connection lost after a
 * produce was sent leaves its outcome unknown.
 */
final class HttpExchange {

    private static final String USER_AGENT = "shoal-java-sdk/0.1";

    private final String base;
    private final HttpClient client;
    private final RequestSigner signer;
    private final Duration requestTimeout;

    HttpExchange(URI endpoint, HttpClient client, RequestSigner signer, Duration requestTimeout) {
        String b = endpoint.toString();
        this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b; // keeps a stage path such as /prod
        this.client = client;
        this.signer = signer;
        this.requestTimeout = requestTimeout;
    }

    record Response(int status, byte[] body, Optional<String> requestId, boolean produce) {

        <T> T expect(Class<T> type) {
            expectSuccess();
            T value = WireJson.readOrNull(body, type);
            if (value == null) {
                throw new IllegalStateException("the API answered " + status + " with a body this client cannot read as "
                        + type.getSimpleName() + requestId.map(id -> " [request " + id + "]").orElse(""));
            }
            return value;
        }

        void expectNoContent() {
            expectSuccess();
        }

        void expectSuccess() {
            if (status < 200 || status >= 300) {
                throw HttpErrors.fromResponse(status, body, requestId, produce);
            }
        }
    }

    Response get(String path, String query) {
        return send("GET", path, query, null, Duration.ZERO, false);
    }

    /**
     * @param extraTimeout added to the request timeout (a long poll's wait time)
     * @param produce      whether a lost answer leaves a write's outcome unknown
     */
    Response send(String method, String path, String query, Object body, Duration extraTimeout, boolean produce) {
        return send(method, path, query, body, extraTimeout, produce, Map.of());
    }

    /** As above, with extra (signed) headers, such as a PUT's {@code If-None-Match: *}. */
    Response send(String method, String path, String query, Object body, Duration extraTimeout, boolean produce,
                  Map<String, String> extraHeaders) {
        URI uri = URI.create(base + path + (query.isEmpty() ? "" : "?" + query));
        byte[] bytes = body == null ? new byte[0] : WireJson.write(body);
        Map<String, String> headers = new LinkedHashMap<>(extraHeaders);
        headers.put("accept", "application/json");
        headers.put("user-agent", USER_AGENT);
        if (body != null) {
            headers.put("content-type", "application/json");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout.plus(extraTimeout))
                .method(method, bytes.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes));
        signer.sign(method, uri, headers, bytes).forEach((name, values) -> values.forEach(v -> request.header(name, v)));
        HttpResponse<byte[]> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException | HttpConnectTimeoutException | UnresolvedAddressException e) {
            throw new RetryableException("could not connect to " + base + ": " + e, e);
        } catch (IOException e) {
            if (produce) {
                throw new CommitStateUnknownException("the connection to " + base + " failed after the produce was sent ("
                        + e + "); it may or may not have been committed", e);
            }
            throw new RetryableException(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryableException("interrupted while waiting for " + method + " " + path, e);
        }
        return new Response(response.statusCode(), response.body(), response.headers().firstValue("apigw-requestid"), produce);
    }
}
