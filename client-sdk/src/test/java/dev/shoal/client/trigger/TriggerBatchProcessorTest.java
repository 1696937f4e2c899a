package dev.shoal.client.trigger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.functions.dispatcher.SqsSource;
import dev.shoal.functions.dispatcher.SqsTriggerEvents;
import dev.shoal.functions.dispatcher.TriggerEvents;
import dev.shoal.storage.api.MessageAttribute;
import dev.shoal.storage.api.MessageId;
import dev.shoal.storage.api.ReceivedMessage;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TriggerBatchProcessorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant SENT = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void onlyTheMessagesWhoseHandlerThrewAreReportedAsFailed() {
        List<String> handled = new ArrayList<>();
        TriggerBatchProcessor batch = TriggerBatchProcessor.of(m -> {
            handled.add(m.bodyAsString());
            if (m.bodyAsString().startsWith("bad")) throw new IllegalStateException("cannot handle " + m.bodyAsString());
        });

        BatchItemFailures response = batch.process(event(message(0, 1, "ok-1", null), message(0, 2, "bad-2", null),
                message(1, 7, "ok-3", null), message(1, 8, "bad-4", null)));

        assertEquals(List.of("0-2", "1-8"), response.itemIdentifiers());
        assertEquals(List.of("ok-1", "bad-2", "ok-3", "bad-4"), handled);
    }

    @Test
    void aFailureInAFifoGroupReportsTheGroupsLaterMessagesWithoutHandlingThem() {
        List<String> handled = new ArrayList<>();
        TriggerBatchProcessor batch = TriggerBatchProcessor.of(m -> {
            handled.add(m.bodyAsString());
            if (m.bodyAsString().equals("a2")) throw new IllegalStateException("a2 fails");
        });

        BatchItemFailures response = batch.process(event(message(0, 1, "a1", "a"), message(0, 2, "a2", "a"),
                message(0, 3, "a3", "a"), message(0, 4, "b1", "b"), message(0, 5, "a4", "a"), message(0, 6, "b2", "b")));

        assertEquals(List.of("0-2", "0-3", "0-5"), response.itemIdentifiers(), "a2 and every later message of group a");
        assertEquals(List.of("a1", "a2", "b1", "b2"), handled, "group b goes on; a3 and a4 are never handled");
    }

    @Test
    void readsTheEventTheDispatcherWritesIncludingBinaryBodiesAndTypedAttributes() {
        byte[] binary = {0, (byte) 0xff, 1, (byte) 0xfe};
        ReceivedMessage text = new ReceivedMessage(new MessageId(2, 42), "hello".getBytes(StandardCharsets.UTF_8),
                Map.of("color", MessageAttribute.string("blue"), "n", MessageAttribute.number("7"),
                        "raw", MessageAttribute.binary(binary)), "g-1", "d-1", 3, SENT, SENT, "receipt-1");
        ReceivedMessage bytes = new ReceivedMessage(new MessageId(0, 5), binary, Map.of(), null, null, 1, SENT, SENT, "receipt-2");

        TriggerEvent event = TriggerEvent.parse(TriggerEvents.encode("orders.fifo", "default", List.of(text, bytes)));

        assertEquals("shoal", event.source());
        assertEquals("orders.fifo", event.queue());
        assertEquals("default", event.subscription());
        TriggerMessage first = event.messages().get(0);
        assertEquals("2-42", first.messageId());
        assertEquals("hello", first.bodyAsString());
        assertEquals(MessageAttribute.string("blue"), first.attributes().get("color"));
        assertEquals(MessageAttribute.number("7"), first.attributes().get("n"));
        assertEquals(MessageAttribute.binary(binary), first.attributes().get("raw"));
        assertEquals(3, first.receiveCount());
        assertEquals(SENT, first.sentAt());
        assertEquals("g-1", first.groupId());
        assertEquals("d-1", first.dedupId());
        assertEquals(2, first.partition());
        assertEquals(42, first.offset());
        TriggerMessage second = event.messages().get(1);
        assertArrayEquals(binary, second.body());
        assertNull(second.groupId());
        assertTrue(second.attributes().isEmpty());
    }

    @Test
    void worksAsALambdaRequestHandlerOfMaps() throws IOException {
        byte[] json = TriggerEvents.encode("orders", "default", List.of(
                new ReceivedMessage(new MessageId(0, 1), "fine".getBytes(StandardCharsets.UTF_8), Map.of(), null, null, 1, SENT, SENT, "r1"),
                new ReceivedMessage(new MessageId(0, 2), "broken".getBytes(StandardCharsets.UTF_8), Map.of(), null, null, 1, SENT, SENT, "r2")));
        // what Lambda's runtime hands a RequestHandler<Map<String, Object>, Map<String, Object>>
        Map<String, Object> lambdaEvent = JSON.readValue(json, new TypeReference<>() { });
        TriggerBatchProcessor batch = TriggerBatchProcessor.of(m -> {
            if (m.bodyAsString().equals("broken")) throw new Exception("broken");
        });

        Map<String, Object> response = batch.process(lambdaEvent);

        assertEquals(Map.of("batchItemFailures", List.of(Map.of("itemIdentifier", "0-2"))), response);
    }

    @Test
    void worksAsAStreamHandlerWritingThePartialBatchResponse() throws IOException {
        byte[] json = TriggerEvents.encode("orders", "default", List.of(
                new ReceivedMessage(new MessageId(0, 1), "fine".getBytes(StandardCharsets.UTF_8), Map.of(), null, null, 1, SENT, SENT, "r1")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        TriggerBatchProcessor.of(m -> { }).process(new ByteArrayInputStream(json), out);

        assertEquals("{\"batchItemFailures\":[]}", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void somethingThatIsNotATriggerEventIsRefusedWithTheReason() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> TriggerBatchProcessor.of(m -> { }).process("{\"items\":[]}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("messages") && e.getMessage().contains("Records"), e.getMessage());
    }

    @Test
    void readsTheSqsEventTheDispatcherWritesAndReportsFailuresByItsMessageIds() {
        ReceivedMessage a1 = new ReceivedMessage(new MessageId(0, 1), "a1".getBytes(StandardCharsets.UTF_8),
                Map.of("color", MessageAttribute.string("blue"), "raw", MessageAttribute.binary(new byte[]{0, (byte) 0xff})),
                "a", "d-1", 2, SENT, SENT, "receipt-1");
        ReceivedMessage a2 = new ReceivedMessage(new MessageId(0, 2), "a2".getBytes(StandardCharsets.UTF_8), Map.of(), "a", "d-2", 1, SENT, SENT, "r2");
        ReceivedMessage a3 = new ReceivedMessage(new MessageId(0, 3), "a3".getBytes(StandardCharsets.UTF_8), Map.of(), "a", "d-3", 1, SENT, SENT, "r3");
        byte[] json = new SqsTriggerEvents(SqsSource.LOCAL, "0a1b2c").encode("jobs.fifo", List.of(a1, a2, a3));

        TriggerEvent event = TriggerEvent.parse(json);
        BatchItemFailures response = TriggerBatchProcessor.of(m -> {
            if (m.bodyAsString().equals("a2")) throw new IllegalStateException("a2 fails");
        }).process(event);

        assertEquals("aws:sqs", event.source());
        assertEquals("jobs.fifo", event.queue());
        TriggerMessage first = event.messages().getFirst();
        assertEquals(MessageAttribute.string("blue"), first.attributes().get("color"));
        assertEquals(MessageAttribute.binary(new byte[]{0, (byte) 0xff}), first.attributes().get("raw"));
        assertEquals(2, first.receiveCount());
        assertEquals(SENT, first.sentAt());
        assertEquals("a", first.groupId());
        assertEquals("d-1", first.dedupId());
        assertEquals(List.of(event.messages().get(1).messageId(), event.messages().get(2).messageId()), response.itemIdentifiers(),
                "a2 and the rest of its group");
    }

    private static TriggerEvent event(TriggerMessage... messages) {
        return new TriggerEvent("shoal", "q", "default", List.of(messages));
    }

    private static TriggerMessage message(int partition, long offset, String body, String group) {
        return new TriggerMessage(partition + "-" + offset, body.getBytes(StandardCharsets.UTF_8), Map.of(), 1, SENT, group,
                null, partition, offset);
    }
}
