package dev.shoal.client.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.storage.api.MessageAttribute;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The event Shoal's dispatcher sends a push target (docs/triggers.md), in either format: Shoal's
 * ({@code {"source": "shoal", "messages": [...]}}) or SQS's ({@code {"Records": [...]}}, where
 * {@code source} is {@code aws:sqs}, {@code queue} comes from {@code eventSourceARN}, and the
 * subscription, partition and offset are not told: null and -1). The batch of messages is in
 * delivery order. Fields this version does not know are ignored, so a target keeps working
 * when the event grows.
 */
public record TriggerEvent(String source, String queue, String subscription, List<TriggerMessage> messages) {

    static final ObjectMapper JSON = new ObjectMapper();

    public TriggerEvent {
        messages = List.copyOf(messages);
    }

    public static TriggerEvent parse(byte[] json) {
        try {
            return of(JSON.readTree(json));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a Shoal trigger event: the JSON cannot be read: " + e.getMessage(), e);
        }
    }

    public static TriggerEvent parse(InputStream json) {
        try {
            return parse(json.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The event as Lambda's Java runtime deserializes it for a {@code RequestHandler<Map<String, Object>, ...>}. */
    public static TriggerEvent from(Map<String, Object> event) {
        return of(JSON.valueToTree(event));
    }

    private static TriggerEvent of(JsonNode root) {
        if (root != null && root.isObject() && root.path("Records").isArray()) {
            return SqsEventReader.read(root);
        }
        if (root == null || !root.isObject() || !root.path("messages").isArray()) {
            throw new IllegalArgumentException("not a Shoal trigger event: expected an object with a 'messages' list (Shoal's format) or a 'Records' list (SQS's)");
        }
        List<TriggerMessage> messages = new ArrayList<>();
        for (JsonNode m : root.path("messages")) {
            messages.add(message(m));
        }
        return new TriggerEvent(text(root, "source"), text(root, "queue"), text(root, "subscription"), messages);
    }

    private static TriggerMessage message(JsonNode m) {
        String id = text(m, "messageId");
        if (id == null) {
            throw new IllegalArgumentException("not a Shoal trigger event: a message has no messageId");
        }
        byte[] body = m.hasNonNull("bodyBase64") ? Base64.getDecoder().decode(m.get("bodyBase64").asText())
                : m.path("body").asText("").getBytes(StandardCharsets.UTF_8);
        Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
        m.path("attributes").properties().forEach(e -> {
            JsonNode a = e.getValue();
            String type = a.path("type").asText("String");
            attributes.put(e.getKey(), a.hasNonNull("valueBase64")
                    ? new MessageAttribute(type, Base64.getDecoder().decode(a.get("valueBase64").asText()))
                    : new MessageAttribute(type, a.path("value").asText("").getBytes(StandardCharsets.UTF_8)));
        });
        return new TriggerMessage(id, body, attributes, m.path("receiveCount").asInt(1),
                m.hasNonNull("sentTimestamp") ? Instant.ofEpochMilli(m.get("sentTimestamp").asLong()) : null,
                text(m, "groupId"), text(m, "dedupId"), m.path("partition").asInt(), m.path("offset").asLong());
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
