package dev.shoal.functions.dispatcher;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.functions.api.sqs.SqsMd5;
import dev.shoal.functions.api.sqs.SqsMessageIds;
import dev.shoal.storage.api.MessageAttribute;
import dev.shoal.storage.api.MessageId;
import dev.shoal.storage.api.PushTarget;
import dev.shoal.storage.api.ReceivedMessage;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SQS-shaped event against the example events of AWS's Lambda documentation: the same
 * messages, written by Shoal, read by aws-lambda-java-events' {@code SQSEvent} through the Java
 * runtime's serialization, must equal the recorded event field by field (ids, receipt handles
 * and the sender are Shoal's own, from the SQS face's code), and have the same fields in the
 * same order.
 */
class SqsTriggerEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUEUE_ID = "5f0c1d2e3a4b5c6d7e8f90a1b2c3d4e5";
    private static final SqsTriggerEvents EVENTS = new SqsTriggerEvents(new SqsSource("us-east-2", "123456789012"), QUEUE_ID);

    @Test
    void aStandardQueuesEventMatchesTheRecordedLambdaEventFieldByField() throws IOException {
        List<ReceivedMessage> batch = List.of(
                message(new MessageId(0, 7), "Test message.", Map.of("myAttribute", MessageAttribute.string("myValue")),
                        null, null, 1545082649183L, 1545082649185L),
                message(new MessageId(1, 3), "Test message.", Map.of(), null, null, 1545082650636L, 1545082650649L));
        byte[] ours = EVENTS.encode(sub("my-queue"), batch);

        SQSEvent recorded = LambdaRuntimeJson.sqsEvent(resource("lambda-sqs-standard.json"));
        SQSEvent shoal = LambdaRuntimeJson.sqsEvent(ours);

        assertEquals(2, shoal.getRecords().size());
        for (int i = 0; i < 2; i++) {
            SQSMessage want = recorded.getRecords().get(i);
            SQSMessage got = shoal.getRecords().get(i);
            assertEquals(SqsMessageIds.of(QUEUE_ID, batch.get(i).id()), got.getMessageId(), "the SQS face's id for the message");
            assertEquals(got.getMessageId(), UUID.fromString(got.getMessageId()).toString(), "a UUID, as SQS's are");
            assertEquals(batch.get(i).receipt(), got.getReceiptHandle());
            assertEquals(want.getBody(), got.getBody());
            assertEquals(want.getMd5OfBody(), got.getMd5OfBody());
            assertEquals(want.getEventSource(), got.getEventSource());
            assertEquals(want.getEventSourceArn(), got.getEventSourceArn());
            assertEquals(want.getAwsRegion(), got.getAwsRegion());
            assertEquals(withoutSender(want.getAttributes()), withoutSender(got.getAttributes()));
            assertEquals("123456789012", got.getAttributes().get("SenderId"));
            assertEquals(want.getMessageAttributes(), got.getMessageAttributes());
        }
        assertEquals(SqsMd5.ofAttributes(Map.of("myAttribute", MessageAttribute.string("myValue"))),
                shoal.getRecords().get(0).getMd5OfMessageAttributes(), "SQS's digest (SqsMd5Test checks it against the SDK's)");
        assertNull(shoal.getRecords().get(1).getMd5OfMessageAttributes(), "none without attributes, as SQS");
        assertSameFieldsInOrder(JSON.readTree(resource("lambda-sqs-standard.json")), JSON.readTree(ours), "md5OfMessageAttributes");
    }

    @Test
    void aFifoQueuesEventCarriesGroupDeduplicationIdAndSequenceNumberAsLambdasDoes() throws IOException {
        ReceivedMessage m = message(new MessageId(0, 18), "Test message.", Map.of(), "1", "1", 1573251510774L, 1573251510774L);
        byte[] ours = EVENTS.encode(sub("fifo.fifo"), List.of(m));

        SQSMessage want = LambdaRuntimeJson.sqsEvent(resource("lambda-sqs-fifo.json")).getRecords().getFirst();
        SQSMessage got = LambdaRuntimeJson.sqsEvent(ours).getRecords().getFirst();

        assertEquals(want.getEventSourceArn(), got.getEventSourceArn());
        assertEquals(want.getAttributes().keySet(), got.getAttributes().keySet());
        for (String name : List.of("ApproximateReceiveCount", "SentTimestamp", "MessageGroupId", "MessageDeduplicationId",
                "ApproximateFirstReceiveTimestamp")) {
            assertEquals(want.getAttributes().get(name), got.getAttributes().get(name), name);
        }
        assertEquals("18", got.getAttributes().get("SequenceNumber"), "the SQS face's sequence number: the offset");
        assertSameFieldsInOrder(JSON.readTree(resource("lambda-sqs-fifo.json")), JSON.readTree(ours));
    }

    @Test
    void everyAttributeValueIsAStringAndBinaryAttributesAreBase64() throws IOException {
        ReceivedMessage m = message(new MessageId(2, 5), "{\"order\":1}", Map.of(
                "count", new MessageAttribute("Number.int", "42".getBytes(StandardCharsets.UTF_8)),
                "thumb", MessageAttribute.binary(new byte[]{0, 1, (byte) 0xff}),
                "shoal.source.queue", MessageAttribute.string("orders")), null, null, 1000L, 2000L);
        byte[] ours = EVENTS.encode(sub("q"), List.of(m));

        JsonNode record = JSON.readTree(ours).path("Records").get(0);
        record.path("attributes").forEach(v -> assertTrue(v.isTextual(), "SQS writes attribute values as strings: " + v));
        assertTrue(record.path("messageAttributes").has("count") && !record.path("messageAttributes").has("shoal.source.queue"),
                "the producer's attributes, not Shoal's provenance");
        SQSEvent.MessageAttribute thumb = LambdaRuntimeJson.sqsEvent(ours).getRecords().getFirst().getMessageAttributes().get("thumb");
        assertEquals("Binary", thumb.getDataType());
        assertEquals(ByteBuffer.wrap(new byte[]{0, 1, (byte) 0xff}), thumb.getBinaryValue());
        assertEquals("AAH/", record.path("messageAttributes").path("thumb").path("binaryValue").asText());
        assertEquals(Base64.getEncoder().encodeToString(new byte[]{0, 1, (byte) 0xff}), "AAH/");
        assertEquals("42", LambdaRuntimeJson.sqsEvent(ours).getRecords().getFirst().getMessageAttributes().get("count").getStringValue());
        assertEquals(SqsMd5.ofAttributes(Map.of("count", m.attributes().get("count"), "thumb", m.attributes().get("thumb"))),
                record.path("md5OfMessageAttributes").asText());
    }

    @Test
    void aDeadLetterGoesOnCountingReceivesAndNamesItsSourceQueueAsSqsDoes() {
        ReceivedMessage dead = message(new MessageId(0, 1), "x", Map.of("shoal.source.queue", MessageAttribute.string("orders"),
                "shoal.receiveCount", MessageAttribute.string("5"), "tenant", MessageAttribute.string("acme")), null, null, 1L, 2L);

        SQSMessage got = LambdaRuntimeJson.sqsEvent(EVENTS.encode(sub("orders-dlq"), List.of(dead))).getRecords().getFirst();

        assertEquals("6", got.getAttributes().get("ApproximateReceiveCount"), "5 receives in orders, then this one");
        assertEquals("arn:aws:sqs:us-east-2:123456789012:orders", got.getAttributes().get("DeadLetterQueueSourceArn"));
        assertEquals(java.util.Set.of("tenant"), got.getMessageAttributes().keySet());
    }

    @Test
    void aKeptTraceHeaderComesBackAsAwsTraceHeaderNotAsAMessageAttribute() {
        String trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
        ReceivedMessage m = message(new MessageId(0, 1), "x", Map.of(SqsTriggerEvents.TRACE_HEADER, MessageAttribute.string(trace)),
                null, null, 1L, 2L);

        SQSMessage got = LambdaRuntimeJson.sqsEvent(EVENTS.encode(sub("q"), List.of(m))).getRecords().getFirst();

        assertEquals(trace, got.getAttributes().get("AWSTraceHeader"));
        assertTrue(got.getMessageAttributes().isEmpty());
        assertNull(got.getMd5OfMessageAttributes());
    }

    @Test
    void contentBasedDeduplicationReportsTheBodysSha256AsTheDeduplicationId() throws Exception {
        ReceivedMessage m = message(new MessageId(0, 1), "Test message.", Map.of(), "g", null, 1L, 2L);

        SQSMessage got = LambdaRuntimeJson.sqsEvent(EVENTS.encode(sub("jobs.fifo"), List.of(m))).getRecords().getFirst();

        assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest("Test message.".getBytes(StandardCharsets.UTF_8))), got.getAttributes().get("MessageDeduplicationId"));
    }

    @Test
    void thePartialBatchResponseNamesMessagesByTheirMessageId() {
        ReceivedMessage m = message(new MessageId(3, 99), "x", Map.of(), null, null, 1L, 1L);

        SQSMessage record = LambdaRuntimeJson.sqsEvent(EVENTS.encode(sub("q"), List.of(m))).getRecords().getFirst();

        assertEquals(EVENTS.itemIdentifier(m), record.getMessageId());
    }

    private static PushSubscription sub(String queue) {
        return new PushSubscription(queue, "default", PushTarget.of("http://127.0.0.1:9/unused"));
    }

    private static ReceivedMessage message(MessageId id, String body, Map<String, MessageAttribute> attributes, String group,
                                           String dedup, long sent, long firstReceived) {
        return new ReceivedMessage(id, body.getBytes(StandardCharsets.UTF_8), attributes, group, dedup, 1,
                Instant.ofEpochMilli(sent), Instant.ofEpochMilli(firstReceived), "receipt-" + id);
    }

    private static Map<String, String> withoutSender(Map<String, String> attributes) {
        Map<String, String> out = new java.util.LinkedHashMap<>(attributes);
        out.remove("SenderId");
        return out;
    }

    /** Field names at every level, in order; {@code extra} fields are allowed only in {@code ours}. */
    private static void assertSameFieldsInOrder(JsonNode recorded, JsonNode ours, String... extra) {
        assertEquals(fieldPaths(recorded, ""), fieldPaths(ours, "").stream()
                .filter(p -> List.of(extra).stream().noneMatch(p::endsWith)).toList());
    }

    private static List<String> fieldPaths(JsonNode node, String prefix) {
        List<String> out = new ArrayList<>();
        if (node.isObject()) {
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                out.add(prefix + "/" + name);
                out.addAll(fieldPaths(node.get(name), prefix + "/" + name));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                out.addAll(fieldPaths(node.get(i), prefix + "[" + i + "]"));
            }
        }
        return out;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = SqsTriggerEventsTest.class.getResourceAsStream("/events/" + name)) {
            return in.readAllBytes();
        }
    }
}
