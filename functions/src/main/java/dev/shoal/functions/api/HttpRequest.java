package dev.shoal.functions.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP request as the handlers see it, whatever carried it (an API Gateway event or the
 * local server): header names lower-case (as API Gateway v2 gives them, repeated headers
 * joined with commas), the body already decoded to bytes.
 *
 * @param method   upper-case method, for example {@code POST}
 * @param path     the raw path, for example {@code /v1/queues/orders}
 * @param rawQuery the query string without '?', or empty
 * @param headers  lower-case names to values
 * @param body     the body, empty when there is none
 */
public record HttpRequest(String method, String path, String rawQuery, Map<String, String> headers, byte[] body) {

    public HttpRequest {
        method = method.toUpperCase(Locale.ROOT);
        rawQuery = rawQuery == null ? "" : rawQuery;
        Map<String, String> lower = new LinkedHashMap<>();
        if (headers != null) {
            headers.forEach((k, v) -> lower.merge(k.toLowerCase(Locale.ROOT), v, (a, b) -> a + "," + b));
        }
        headers = Map.copyOf(lower);
        body = body == null ? new byte[0] : body;
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** Query parameters, decoded; the last value wins when a name repeats. */
    public Map<String, String> queryParameters() {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return params;
    }

    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
