package dev.shoal.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A plain HTTP client for the native API, as curl would use it: method, path, JSON text. */
final class NativeClient {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI endpoint;

    NativeClient(URI endpoint) {
        this.endpoint = endpoint;
    }

    /** A response: status, the body as JSON (MissingNode when empty), its text. */
    record Response(int status, JsonNode json, String text) {
        String code() {
            return json.path("code").asText();
        }

        String message() {
            return json.path("message").asText();
        }

        String field() {
            return json.path("field").asText(null);
        }

        @Override
        public String toString() {
            return status + " " + text;
        }
    }

    Response get(String path) {
        return send("GET", path, (byte[]) null);
    }

    Response put(String path, String json) {
        return send("PUT", path, json);
    }

    Response post(String path, String json) {
        return send("POST", path, json);
    }

    Response delete(String path) {
        return send("DELETE", path, (byte[]) null);
    }

    Response send(String method, String path, String body) {
        return send(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    /** A PUT with one extra header, such as {@code If-None-Match: *}. */
    Response put(String path, String json, String header, String value) {
        return send("PUT", path, json.getBytes(StandardCharsets.UTF_8), header, value);
    }

    Response send(String method, String path, byte[] body) {
        return send(method, path, body, null, null);
    }

    private Response send(String method, String path, byte[] body, String header, String value) {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) b.header("content-type", "application/json");
        if (header != null) b.header(header, value);
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = r.body().isEmpty() ? MissingNode.getInstance() : JSON.readTree(r.body());
            return new Response(r.statusCode(), json, r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
