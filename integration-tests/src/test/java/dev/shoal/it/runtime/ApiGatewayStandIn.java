package dev.shoal.it.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * An HTTP API ($default stage, payload format 2.0) in front of a function: each HTTP request
 * becomes the event API Gateway would send, goes through the Runtime API to the function, and
 * its answer becomes the HTTP response. So real clients (the AWS SDK's SqsClient) can talk to
 * a function under the runtime client.
 */
final class ApiGatewayStandIn implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BiFunction<String, Duration, LambdaRuntimeApi.Answer> invoke;
    private final Duration timeout;
    private final LoopbackHttp http = new LoopbackHttp("/", this::handle);

    /** @param invoke sends an event to the function and waits for its answer */
    ApiGatewayStandIn(BiFunction<String, Duration, LambdaRuntimeApi.Answer> invoke, Duration timeout) {
        this.invoke = invoke;
        this.timeout = timeout;
    }

    URI endpoint() {
        return http.uri("");
    }

    /** The event API Gateway sends for a request (the fields the function and its libraries read). */
    static String event(String method, String path, String query, Map<String, String> headers, byte[] body) {
        ObjectNode e = JSON.createObjectNode()
                .put("version", "2.0")
                .put("routeKey", "$default")
                .put("rawPath", path)
                .put("rawQueryString", query == null ? "" : query);
        ObjectNode h = e.putObject("headers");
        headers.forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), v));
        ObjectNode context = e.putObject("requestContext")
                .put("accountId", SynthesizedDeployment.ACCOUNT)
                .put("apiId", "contract")
                .put("domainName", headers.getOrDefault("host", "contract.execute-api.us-east-1.amazonaws.com"))
                .put("requestId", UUID.randomUUID().toString())
                .put("routeKey", "$default")
                .put("stage", "$default")
                .put("time", "01/Jan/2026:00:00:00 +0000")
                .put("timeEpoch", 1767225600000L);
        context.putObject("http").put("method", method).put("path", path).put("protocol", "HTTP/1.1")
                .put("sourceIp", "127.0.0.1").put("userAgent", headers.getOrDefault("user-agent", ""));
        if (body.length > 0) {
            e.put("body", Base64.getEncoder().encodeToString(body)).put("isBase64Encoded", true);
        } else {
            e.put("isBase64Encoded", false);
        }
        return e.toString();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> headers = new java.util.TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            URI uri = exchange.getRequestURI();
            String event = event(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(), headers,
                    exchange.getRequestBody().readAllBytes());
            LambdaRuntimeApi.Answer answer = invoke.apply(event, timeout);
            if (answer.error()) {
                // what API Gateway answers when the integration fails
                LoopbackHttp.reply(exchange, 500, "application/json", "{\"message\":\"Internal Server Error\"}");
                return;
            }
            JsonNode response = JSON.readTree(answer.body());
            String body = response.path("body").asText("");
            byte[] bytes = response.path("isBase64Encoded").asBoolean(false)
                    ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
            response.path("headers").properties().forEach(h -> exchange.getResponseHeaders().add(h.getKey(), h.getValue().asText()));
            for (JsonNode cookie : response.path("cookies")) {
                exchange.getResponseHeaders().add("Set-Cookie", cookie.asText());
            }
            exchange.sendResponseHeaders(response.path("statusCode").asInt(200), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
