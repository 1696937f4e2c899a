package dev.shoal.functions.dispatcher;

import dev.shoal.storage.api.Utf8Text;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.shoal.storage.api.ReceivedMessage;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The event a push target receives, as documented in {@code docs/triggers.md}:
 * <pre>{@code
 * {"source": "shoal", "queue": "orders", "subscription": "default",
 *  "messages": [{"messageId": "0-42", "body": "hello",
 *                "attributes": {"color": {"type": "String", "value": "blue"}},
 *                "receiveCount": 1, "sentTimestamp": 1795326635263,
 *                "groupId": "customer-7", "partition": 0, "offset": 42}]}
 * }</pre>
 * A body that is not valid UTF-8 travels as {@code bodyBase64} instead of {@code body};
 * attributes have the native API's typed shape; {@code groupId} and {@code dedupId} appear
 * when the message has them. Messages are in delivery order (on FIFO queues, each group's in
 * the group's order).
 */
public final class TriggerEvents {

    public static final String SOURCE = "shoal";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    record Event(String source, String queue, String subscription, List<Message> messages) {
    }

    record Message(String messageId, String body, String bodyBase64, Map<String, Attribute> attributes, int receiveCount,
                   long sentTimestamp, String groupId, String dedupId, int partition, long offset) {
    }

    record Attribute(String type, String value, String valueBase64) {
    }

    private TriggerEvents() {
    }

    public static byte[] encode(String queue, String subscription, List<ReceivedMessage> messages) {
        Event event = new Event(SOURCE, queue, subscription, messages.stream().map(TriggerEvents::message).toList());
        try {
            return JSON.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write the trigger event", e);
        }
    }

    private static Message message(ReceivedMessage m) {
        String text = utf8(m.body());
        Map<String, Attribute> attributes = new TreeMap<>();
        m.attributes().forEach((name, a) -> attributes.put(name, a.isBinary()
                ? new Attribute(a.dataType(), null, Base64.getEncoder().encodeToString(a.value()))
                : new Attribute(a.dataType(), a.stringValue(), null)));
        return new Message(m.id().toString(), text, text == null ? Base64.getEncoder().encodeToString(m.body()) : null,
                attributes, m.receiveCount(), m.sentAt().toEpochMilli(), m.groupId(), m.dedupId(),
                m.id().partition(), m.id().offset());
    }

    /** The body as text when it is valid UTF-8, else null (it then travels as base64). */
    static String utf8(byte[] body) {
        return Utf8Text.decode(body).orElse(null);
    }
}
