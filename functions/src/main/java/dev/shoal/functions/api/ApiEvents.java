package dev.shoal.functions.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/** Translates between API Gateway v2 (HTTP API, payload 2.0) events and {@link HttpRequest}/{@link HttpResponse}. */
public final class ApiEvents {

    private ApiEvents() {
    }

    public static HttpRequest toRequest(APIGatewayV2HTTPEvent event) {
        String method = event.getRequestContext() != null && event.getRequestContext().getHttp() != null
                ? event.getRequestContext().getHttp().getMethod() : "GET";
        String path = event.getRawPath() != null ? event.getRawPath() : "/";
        String body = event.getBody();
        byte[] bytes = body == null ? new byte[0]
                : event.getIsBase64Encoded() ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = event.getHeaders() == null ? Map.of() : event.getHeaders();
        return new HttpRequest(method, path, event.getRawQueryString(), headers, bytes);
    }

    public static APIGatewayV2HTTPResponse toEvent(HttpResponse response) {
        String type = response.headers().getOrDefault("content-type", "");
        boolean text = isText(type) || response.body().length == 0;
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(response.headers())
                .withBody(text ? response.bodyAsString() : Base64.getEncoder().encodeToString(response.body()))
                .withIsBase64Encoded(!text)
                .build();
    }

    /** JSON and text bodies travel as text; anything else as base64, as API Gateway expects. */
    public static boolean isText(String contentType) {
        String t = contentType.toLowerCase(Locale.ROOT);
        return t.startsWith("text/") || t.contains("json") || t.contains("xml") || t.contains("x-www-form-urlencoded");
    }
}
