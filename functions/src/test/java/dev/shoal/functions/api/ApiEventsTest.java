package dev.shoal.functions.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiEventsTest {

    private static APIGatewayV2HTTPEvent event(String method, String body, boolean base64) {
        return APIGatewayV2HTTPEvent.builder()
                .withRawPath("/v1/queues")
                .withRawQueryString("prefix=a%20b")
                .withHeaders(Map.of("Content-Type", "application/json", "X-Amz-Target", "t"))
                .withBody(body)
                .withIsBase64Encoded(base64)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).build()).build())
                .build();
    }

    @Test
    void base64BodiesAreDecodedAndHeaderNamesLowerCased() {
        byte[] bytes = {0, 1, (byte) 0xff};
        HttpRequest r = ApiEvents.toRequest(event("post", Base64.getEncoder().encodeToString(bytes), true));
        assertEquals("POST", r.method());
        assertArrayEquals(bytes, r.body());
        assertEquals("t", r.header("x-amz-target").orElseThrow());
        assertEquals("a b", r.queryParameters().get("prefix"));
    }

    @Test
    void textBodiesAreTakenAsUtf8() {
        assertEquals("{\"a\":\"ü\"}", ApiEvents.toRequest(event("PUT", "{\"a\":\"ü\"}", false)).bodyAsString());
    }

    @Test
    void jsonResponsesTravelAsTextOthersAsBase64() {
        APIGatewayV2HTTPResponse json = ApiEvents.toEvent(HttpResponse.json(200, "{\"ok\":true}"));
        assertFalse(json.getIsBase64Encoded());
        assertEquals("{\"ok\":true}", json.getBody());
        APIGatewayV2HTTPResponse binary = ApiEvents.toEvent(new HttpResponse(200, Map.of("content-type", "application/octet-stream"),
                "xyz".getBytes(StandardCharsets.UTF_8)));
        assertTrue(binary.getIsBase64Encoded());
        assertEquals("eHl6", binary.getBody());
    }
}
