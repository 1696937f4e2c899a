package dev.shoal.client.trigger;

import dev.shoal.storage.api.MessageAttribute;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One message of a push event.
 *
 * @param messageId    the id to report in a partial batch response ({@code "<partition>-<offset>"} in Shoal's format,
 *                     SQS's message id in SQS's)
 * @param body         the payload (sent as {@code body} or, when not UTF-8, {@code bodyBase64})
 * @param attributes   the producer's typed attributes
 * @param receiveCount deliveries so far, this one included
 * @param sentAt       when it was produced
 * @param groupId      FIFO group, or null
 * @param dedupId      deduplication id, or null
 * @param partition    where the message is in the log, or -1 in an SQS event (which does not tell)
 * @param offset       likewise
 */
public record TriggerMessage(String messageId, byte[] body, Map<String, MessageAttribute> attributes, int receiveCount,
                             Instant sentAt, String groupId, String dedupId, int partition, long offset) {

    public TriggerMessage {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(body, "body");
        attributes = Map.copyOf(attributes);
    }

    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public Optional<String> group() {
        return Optional.ofNullable(groupId);
    }
}
