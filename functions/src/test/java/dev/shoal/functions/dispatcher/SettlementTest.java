package dev.shoal.functions.dispatcher;

import dev.shoal.storage.api.MessageId;
import dev.shoal.storage.api.ReceivedMessage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SettlementTest {

    @Test
    void standardQueuesNackExactlyTheReportedFailures() {
        List<ReceivedMessage> batch = List.of(m(1, null), m(2, null), m(3, null), m(4, null));

        Settlement s = Settlement.of(batch, Set.of("0-2", "0-4"), m -> m.id().toString(), false);

        assertEquals(List.of("0-1", "0-3"), ids(s.ack()));
        assertEquals(List.of("0-2", "0-4"), ids(s.nack()));
    }

    @Test
    void onFifoQueuesAFailureNacksTheRestOfItsGroupEvenWhenReportedHandled() {
        List<ReceivedMessage> batch = List.of(m(1, "a"), m(2, "a"), m(3, "b"), m(4, "a"), m(5, "b"), m(6, "c"));

        Settlement s = Settlement.of(batch, Set.of("0-2", "0-6"), m -> m.id().toString(), true);

        assertEquals(List.of("0-1", "0-3", "0-5"), ids(s.ack()), "a's first message and all of b");
        assertEquals(List.of("0-2", "0-4", "0-6"), ids(s.nack()), "a from its failure on, and c");
    }

    @Test
    void aWholeBatchFailureNacksEverything() {
        List<ReceivedMessage> batch = List.of(m(1, "a"), m(2, null));

        Settlement s = Settlement.allFailed(batch);

        assertEquals(List.of(), s.ack());
        assertEquals(List.of("0-1", "0-2"), ids(s.nack()));
    }

    static ReceivedMessage m(long offset, String group) {
        Instant t = Instant.parse("2026-11-22T10:00:00Z");
        return new ReceivedMessage(new MessageId(0, offset), ("m" + offset).getBytes(StandardCharsets.UTF_8), Map.of(), group,
                null, 1, t, t, "receipt-" + offset);
    }

    private static List<String> ids(List<ReceivedMessage> messages) {
        return messages.stream().map(m -> m.id().toString()).toList();
    }
}
