package dev.shoal.storage.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Messages read from a partition's log by {@link QueueService#peek}, as they are stored: acked or
 * not, leased or not. Reading them takes no lease and changes no subscription.
 *
 * @param partition   the partition read
 * @param startOffset its oldest retained offset
 * @param endOffset   the offset its next message will get
 * @param nextOffset  where to continue reading after these messages
 * @param messages    in offset order
 */
public record LogPage(int partition, long startOffset, long endOffset, long nextOffset, List<Message> messages) {

    public LogPage {
        messages = List.copyOf(messages);
    }

    /**
     * One stored message.
     *
     * @param deliverAt not delivered before this time (its send time when it had no delay)
     */
    public record Message(MessageId id, byte[] body, Map<String, MessageAttribute> attributes, String groupId, String dedupId,
                          Instant sentAt, Instant deliverAt) {

        public Message {
            attributes = Map.copyOf(attributes);
        }
    }
}
