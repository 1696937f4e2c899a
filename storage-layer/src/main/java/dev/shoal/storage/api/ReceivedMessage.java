package dev.shoal.storage.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A delivered message.
 *
 * @param id              partition and offset
 * @param body            the payload
 * @param attributes      the producer's attributes; dead letters also carry {@code shoal.source.*}
 * @param groupId         FIFO group, or null
 * @param dedupId         deduplication id, or null
 * @param receiveCount    deliveries so far, this one included
 * @param sentAt          when it was produced
 * @param firstReceivedAt when it was first delivered
 * @param receipt         names this delivery's lease: ack, nack or change visibility with it
 */
public record ReceivedMessage(MessageId id, byte[] body, Map<String, MessageAttribute> attributes, String groupId,
                              String dedupId, int receiveCount, Instant sentAt, Instant firstReceivedAt, String receipt) {

    public ReceivedMessage {
        attributes = Map.copyOf(attributes);
    }

    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public Optional<String> group() {
        return Optional.ofNullable(groupId);
    }
}
