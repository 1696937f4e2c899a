package dev.shoal.functions.dispatcher;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.shoal.functions.api.sqs.SqsMd5;
import dev.shoal.functions.api.sqs.SqsMessageIds;
import dev.shoal.functions.api.sqs.SqsStoredAttributes;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.MessageAttribute;
import dev.shoal.storage.api.ReceivedMessage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The event Lambda's SQS event source mapping delivers, field for field (docs/triggers.md):
 * <pre>{@code
 * {"Records": [{"messageId": "...", "receiptHandle": "...", "body": "Test message.",
 *   "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1545082649183",
 *                  "SenderId": "123456789012", "ApproximateFirstReceiveTimestamp": "1545082649185"},
 *   "messageAttributes": {"myAttribute": {"stringValue": "myValue", "stringListValues": [],
 *                                         "binaryListValues": [], "dataType": "String"}},
 *   "md5OfBody": "...", "md5OfMessageAttributes": "...",
 *   "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:us-east-2:123456789012:my-queue",
 *   "awsRegion": "us-east-2"}]}
 * }</pre>
 * Attribute values are strings, as SQS writes them. FIFO queues add {@code SequenceNumber},
 * {@code MessageGroupId} and {@code MessageDeduplicationId}; {@code md5OfMessageAttributes} is
 * there only when the message has attributes (SQS omits it otherwise). Ids, receipt handles and
 * digests are the SQS face's own ({@link SqsMessageIds}, {@link SqsMd5}): a {@code messageId} is
 * the one SendMessage returned, and a function can delete or change the visibility of a message
 * through the SQS face with its {@code receiptHandle}. An instance writes the events of one queue
 * incarnation (its ids derive from the incarnation's id).
 *
 * <p>Shoal's reserved {@code shoal.*} attributes (a dead letter's provenance) and the kept trace
 * header are not message attributes an SQS producer set, so they are left out of
 * {@code messageAttributes} and come back as SQS's system attributes ({@code AWSTraceHeader},
 * {@code DeadLetterQueueSourceArn}, the receive count carried over), as the SQS face does. A body
 * that is not UTF-8 is decoded leniently, as the SQS face does; such bodies belong in the
 * {@code shoal} format.
 */
public final class SqsTriggerEvents implements EventEncoder {

    static final String EVENT_SOURCE = "aws:sqs";
    /** Where the SQS face keeps a message's AWSTraceHeader. */
    static final String TRACE_HEADER = SqsStoredAttributes.TRACE_HEADER;
    /** Written by the dead-letter move (storage's DeadLetterMover). */
    private static final String SOURCE_QUEUE = "shoal.source.queue";
    private static final String SOURCE_RECEIVE_COUNT = "shoal.receiveCount";

    private static final JsonFactory JSON = new JsonFactory();

    private final SqsSource source;
    private final String queueId;

    /** @param queueId the queue incarnation's id ({@code QueueService.queueId}), from which message ids derive */
    public SqsTriggerEvents(SqsSource source, String queueId) {
        this.source = source;
        this.queueId = queueId;
    }

    /** The event for {@code batch}, received from {@code queue}'s (FIFO when its name says so). */
    public byte[] encode(String queue, List<ReceivedMessage> batch) {
        return encode(queue, queue.endsWith(Limits.FIFO_SUFFIX), batch);
    }

    @Override
    public String itemIdentifier(ReceivedMessage m) {
        return SqsMessageIds.of(queueId, m.id());
    }

    @Override
    public byte[] encode(PushSubscription sub, List<ReceivedMessage> batch) {
        return encode(sub.queue(), sub.fifo(), batch);
    }

    private byte[] encode(String queue, boolean fifo, List<ReceivedMessage> batch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512 * batch.size() + 16);
        String arn = source.queueArn(queue);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("Records");
            for (ReceivedMessage m : batch) {
                record(g, m, fifo, arn);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the SQS event", e);
        }
        return out.toByteArray();
    }

    private void record(JsonGenerator g, ReceivedMessage m, boolean fifo, String arn) throws IOException {
        String body = new String(m.body(), StandardCharsets.UTF_8);
        Map<String, MessageAttribute> attributes = new TreeMap<>(SqsStoredAttributes.userAttributes(m.attributes()));
        g.writeStartObject();
        g.writeStringField("messageId", itemIdentifier(m));
        g.writeStringField("receiptHandle", m.receipt());
        g.writeStringField("body", body);
        systemAttributes(g, m, body, fifo);
        messageAttributes(g, attributes);
        g.writeStringField("md5OfBody", SqsMd5.ofBody(body));
        String attributesMd5 = SqsMd5.ofAttributes(attributes);
        if (attributesMd5 != null) {
            g.writeStringField("md5OfMessageAttributes", attributesMd5);
        }
        g.writeStringField("eventSource", EVENT_SOURCE);
        g.writeStringField("eventSourceARN", arn);
        g.writeStringField("awsRegion", source.region());
        g.writeEndObject();
    }

    /**
     * In the order Lambda writes them, by the SQS face's rules: a dead letter's receive count
     * goes on from its source queue's, and names that queue in {@code DeadLetterQueueSourceArn};
     * content-based deduplication reports the body's SHA-256 as the deduplication id.
     */
    private void systemAttributes(JsonGenerator g, ReceivedMessage m, String body, boolean fifo) throws IOException {
        Map<String, MessageAttribute> kept = m.attributes();
        g.writeObjectFieldStart("attributes");
        int before = kept.containsKey(SOURCE_RECEIVE_COUNT) ? Integer.parseInt(kept.get(SOURCE_RECEIVE_COUNT).stringValue()) : 0;
        g.writeStringField("ApproximateReceiveCount", Integer.toString(before + m.receiveCount()));
        if (kept.containsKey(TRACE_HEADER)) {
            g.writeStringField("AWSTraceHeader", kept.get(TRACE_HEADER).stringValue());
        }
        g.writeStringField("SentTimestamp", millis(m.sentAt()));
        if (fifo) {
            // as the SQS face writes it: increasing within the group
            g.writeStringField("SequenceNumber", Long.toString(m.id().offset()));
        }
        if (m.groupId() != null) {
            g.writeStringField("MessageGroupId", m.groupId());
        }
        g.writeStringField("SenderId", source.accountId());
        if (fifo) {
            g.writeStringField("MessageDeduplicationId", m.dedupId() != null ? m.dedupId() : SqsStoredAttributes.contentDeduplicationId(body));
        }
        // the first delivery's time; a message delivered before that was recorded reports this one's send time
        g.writeStringField("ApproximateFirstReceiveTimestamp", millis(m.firstReceivedAt() != null ? m.firstReceivedAt() : m.sentAt()));
        if (kept.containsKey(SOURCE_QUEUE)) {
            g.writeStringField("DeadLetterQueueSourceArn", source.queueArn(kept.get(SOURCE_QUEUE).stringValue()));
        }
        g.writeEndObject();
    }

    private static void messageAttributes(JsonGenerator g, Map<String, MessageAttribute> attributes) throws IOException {
        g.writeObjectFieldStart("messageAttributes");
        for (var e : attributes.entrySet()) {
            MessageAttribute a = e.getValue();
            g.writeObjectFieldStart(e.getKey());
            if (a.isBinary()) {
                g.writeStringField("binaryValue", Base64.getEncoder().encodeToString(a.value()));
            } else {
                g.writeStringField("stringValue", a.stringValue());
            }
            g.writeArrayFieldStart("stringListValues");
            g.writeEndArray();
            g.writeArrayFieldStart("binaryListValues");
            g.writeEndArray();
            g.writeStringField("dataType", a.dataType());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static String millis(Instant t) {
        return Long.toString(t.toEpochMilli());
    }
}
