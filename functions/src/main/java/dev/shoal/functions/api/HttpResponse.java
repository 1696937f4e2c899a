package dev.shoal.functions.api;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP response from the handlers: status, headers and a body (possibly empty). */
public record HttpResponse(int status, Map<String, String> headers, byte[] body) {

    public static final String JSON = "application/json";

    public HttpResponse {
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    public static HttpResponse json(int status, String json) {
        return new HttpResponse(status, Map.of("content-type", JSON), json.getBytes(StandardCharsets.UTF_8));
    }

    public static HttpResponse json(int status, byte[] json, String contentType) {
        return new HttpResponse(status, Map.of("content-type", contentType), json);
    }

    public static HttpResponse noContent() {
        return new HttpResponse(204, Map.of(), new byte[0]);
    }

    public HttpResponse withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new HttpResponse(status, h, body);
    }

    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
