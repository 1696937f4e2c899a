package dev.shoal.functions.api.sqs;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.storage.api.MessageAttribute;
import dev.shoal.storage.api.ReceivedMessage;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A received message as SQS writes it: its UUID, body and digests, the system attributes asked
 * for, and the user's message attributes asked for. What Shoal keeps beside the user's
 * attributes (a dead letter's provenance under {@code shoal.}, the trace header) never
 * appears among them nor in their MD5; it comes back as SQS's system attributes instead
 * (DeadLetterQueueSourceArn, AWSTraceHeader, and the receive count carried over).
 */
final class SqsReceivedMessages {

    /**
     * Where the SQS face keeps a message's AWSTraceHeader: a message attribute under a prefix SQS
     * reserves ("Amazon."), so no SQS client can send one, and that the engine stores like any other.
     */
    static final String TRACE_HEADER = SqsStoredAttributes.TRACE_HEADER;
    // written by the dead-letter move (storage's DeadLetterMover)
    private static final String SOURCE_QUEUE = "shoal.source.queue";
    private static final String SOURCE_RECEIVE_COUNT = "shoal.receiveCount";

    private static final Set<String> SYSTEM_ATTRIBUTES = Set.of("SenderId", "SentTimestamp", "ApproximateReceiveCount",
            "ApproximateFirstReceiveTimestamp", "SequenceNumber", "MessageDeduplicationId", "MessageGroupId", "AWSTraceHeader",
            "DeadLetterQueueSourceArn");

    /**
     * @param queueId          the queue incarnation's id, for message ids
     * @param fifo             a FIFO queue: sequence numbers and deduplication ids
     * @param system           the system attribute names asked for ({@code All} for every one)
     * @param attributeNames   the message attribute names asked for
     * @param urls             for the ARN of a dead letter's source queue
     */
    record Context(String queueId, boolean fifo, List<String> system, List<String> attributeNames, String sender, QueueUrls urls) {
    }

    private SqsReceivedMessages() {
    }

    static ObjectNode write(ReceivedMessage m, Context c) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        String body = new String(m.body(), StandardCharsets.UTF_8);
        o.put("MessageId", SqsMessageIds.of(c.queueId(), m.id()));
        o.put("ReceiptHandle", m.receipt());
        o.put("MD5OfBody", SqsMd5.ofBody(body));
        o.put("Body", body);
        Map<String, String> attributes = systemAttributes(m, c, body);
        if (!c.system().contains("All")) attributes.keySet().retainAll(c.system());
        attributes.keySet().retainAll(SYSTEM_ATTRIBUTES);
        if (!attributes.isEmpty()) {
            ObjectNode a = o.putObject("Attributes");
            attributes.forEach(a::put);
        }
        Map<String, MessageAttribute> selected = SqsMessageAttributes.select(SqsStoredAttributes.userAttributes(m.attributes()), c.attributeNames());
        if (!selected.isEmpty()) {
            o.put("MD5OfMessageAttributes", SqsMd5.ofAttributes(selected));
            o.set("MessageAttributes", SqsMessageAttributes.toJson(selected));
        }
        return o;
    }

    private static Map<String, String> systemAttributes(ReceivedMessage m, Context c, String body) {
        Map<String, MessageAttribute> kept = m.attributes();
        Map<String, String> a = new LinkedHashMap<>();
        a.put("SenderId", c.sender() == null ? "shoal" : c.sender());
        if (m.sentAt() != null) a.put("SentTimestamp", Long.toString(m.sentAt().toEpochMilli()));
        // a dead letter keeps the receives it had in its source queue, as in SQS
        int before = kept.containsKey(SOURCE_RECEIVE_COUNT) ? Integer.parseInt(kept.get(SOURCE_RECEIVE_COUNT).stringValue()) : 0;
        a.put("ApproximateReceiveCount", Integer.toString(before + m.receiveCount()));
        if (m.firstReceivedAt() != null) a.put("ApproximateFirstReceiveTimestamp", Long.toString(m.firstReceivedAt().toEpochMilli()));
        if (m.groupId() != null) a.put("MessageGroupId", m.groupId());
        if (c.fifo()) {
            a.put("SequenceNumber", Long.toString(m.id().offset()));
            // content-based deduplication: SQS reports the body's SHA-256 as the id
            a.put("MessageDeduplicationId", m.dedupId() != null ? m.dedupId() : SqsStoredAttributes.contentDeduplicationId(body));
        }
        if (kept.containsKey(TRACE_HEADER)) a.put("AWSTraceHeader", kept.get(TRACE_HEADER).stringValue());
        if (kept.containsKey(SOURCE_QUEUE)) a.put("DeadLetterQueueSourceArn", c.urls().arn(kept.get(SOURCE_QUEUE).stringValue()));
        return a;
    }
}
