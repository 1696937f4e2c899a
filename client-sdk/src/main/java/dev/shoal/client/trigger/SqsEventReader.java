package dev.shoal.client.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.storage.api.MessageAttribute;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads an SQS-shaped push event (Lambda's SQS event) into a {@link TriggerEvent}. */
final class SqsEventReader {

    static final String SOURCE = "aws:sqs";

    private SqsEventReader() {
    }

    static TriggerEvent read(JsonNode root) {
        List<TriggerMessage> messages = new ArrayList<>();
        String queue = null;
        for (JsonNode r : root.path("Records")) {
            messages.add(message(r));
            String arn = TriggerEvent.text(r, "eventSourceARN");
            if (queue == null && arn != null) {
                queue = arn.substring(arn.lastIndexOf(':') + 1);
            }
        }
        return new TriggerEvent(SOURCE, queue, null, messages);
    }

    private static TriggerMessage message(JsonNode r) {
        String id = TriggerEvent.text(r, "messageId");
        if (id == null) {
            throw new IllegalArgumentException("not an SQS event: a record has no messageId");
        }
        JsonNode system = r.path("attributes");
        Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
        r.path("messageAttributes").properties().forEach(e -> {
            JsonNode a = e.getValue();
            String type = a.path("dataType").asText("String");
            attributes.put(e.getKey(), a.hasNonNull("binaryValue")
                    ? new MessageAttribute(type, Base64.getDecoder().decode(a.get("binaryValue").asText()))
                    : new MessageAttribute(type, a.path("stringValue").asText("").getBytes(StandardCharsets.UTF_8)));
        });
        String sent = TriggerEvent.text(system, "SentTimestamp");
        return new TriggerMessage(id, r.path("body").asText("").getBytes(StandardCharsets.UTF_8), attributes,
                Integer.parseInt(system.path("ApproximateReceiveCount").asText("1")),
                sent == null ? null : Instant.ofEpochMilli(Long.parseLong(sent)),
                TriggerEvent.text(system, "MessageGroupId"), TriggerEvent.text(system, "MessageDeduplicationId"), -1, -1);
    }
}
