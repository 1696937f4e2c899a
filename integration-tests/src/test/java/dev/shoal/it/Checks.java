package dev.shoal.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.it.NativeClient.Response;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Small assertions the end-to-end tests share. */
final class Checks {

    private Checks() {
    }

    static void expectStatus(int status, Response r) {
        assertEquals(status, r.status(), () -> "unexpected response: " + r);
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }

    static List<String> bodies(List<JsonNode> messages) {
        return messages.stream().map(m -> m.path("body").asText()).toList();
    }
}
