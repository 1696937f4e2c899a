package dev.shoal.storage.fifo;

import dev.shoal.storage.*;
import dev.shoal.storage.api.*;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import dev.shoal.storage.testing.ManualClock;
import dev.shoal.storage.testing.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** High-throughput FIFO (deduplication per message group, groups over partitions) beside the default queue-wide scope. */
@ExtendWith(EmbeddedAwsExtension.class)
class HighThroughputFifoTest {

    private static final String SUB = Limits.DEFAULT_SUBSCRIPTION;
    private static final String Q = "fast.fifo";
    private final ManualClock clock = new ManualClock();

    private static QueueSettings.Builder highThroughput() {
        return QueueSettings.builder().fifo(true).deduplicationScope(DeduplicationScope.MESSAGE_GROUP)
                .fifoThroughputLimit(FifoThroughputLimit.PER_MESSAGE_GROUP_ID);
    }

    private static NewMessage msg(String group, String dedupId, String body) {
        return NewMessage.builder().groupId(group).dedupId(dedupId).body(body).build();
    }

    @Test
    void withMessageGroupScopeTheSameDeduplicationIdInTwoGroupsIsTwoMessages(AwsFixture aws) {
        ShoalEngine shoal = TestEngines.engine(aws, clock);
        shoal.createQueue(Q, highThroughput().build());
        List<ProducedMessage> first = shoal.produce(Q, List.of(msg("g1", "order-1", "a"), msg("g2", "order-1", "b"), msg("g1", "order-1", "c")));
        assertFalse(first.get(0).duplicate());
        assertFalse(first.get(1).duplicate(), "another group: another message");
        assertTrue(first.get(2).duplicate(), "the same group: a duplicate within the batch");
        assertEquals(first.get(0).id(), first.get(2).id());

        ProducedMessage again = shoal.produce(Q, List.of(msg("g2", "order-1", "d"))).getFirst();
        assertTrue(again.duplicate());
        assertEquals(first.get(1).id(), again.id());

        List<String> bodies = new ArrayList<>();
        shoal.receive(Q, SUB, ReceiveRequest.of(10)).forEach(m -> bodies.add(m.bodyAsString()));
        assertEquals(Set.of("a", "b"), new HashSet<>(bodies));
    }

    @Test
    void theDefaultScopeStaysQueueWide(AwsFixture aws) {
        ShoalEngine shoal = TestEngines.engine(aws, clock);
        shoal.createQueue(Q, QueueSettings.builder().fifo(true).build());
        List<ProducedMessage> ids = shoal.produce(Q, List.of(msg("g1", "order-1", "a"), msg("g2", "order-1", "b")));
        assertTrue(ids.get(1).duplicate(), "queue-wide: the same id in another group is a duplicate");
        assertEquals(ids.get(0).id(), ids.get(1).id());
    }

    @Test
    void aHighThroughputQueueSpreadsItsGroupsOverPartitionsAndKeepsEachGroupsOrder(AwsFixture aws) {
        ShoalEngine shoal = TestEngines.engine(aws, clock);
        shoal.createQueue(Q, highThroughput().contentBasedDeduplication(true).build());
        QueueSettings settings = shoal.describeQueue(Q).settings();
        assertEquals(Limits.HIGH_THROUGHPUT_FIFO_PARTITIONS, settings.partitions());
        assertEquals(DeduplicationScope.MESSAGE_GROUP, settings.deduplicationScope());
        assertEquals(FifoThroughputLimit.PER_MESSAGE_GROUP_ID, settings.fifoThroughputLimit());

        List<NewMessage> batch = new ArrayList<>();
        for (int g = 0; g < 32; g++) {
            for (int i = 0; i < 3; i++) batch.add(NewMessage.builder().groupId("g" + g).body("g" + g + ":" + i).build());
        }
        Set<Integer> partitions = new HashSet<>();
        shoal.produce(Q, batch).forEach(p -> partitions.add(p.id().partition()));
        assertTrue(partitions.size() > 1, "groups on several partitions: " + partitions);

        java.util.Map<String, List<Integer>> seen = new java.util.HashMap<>();
        for (int r = 0; r < 20 && seen.values().stream().mapToInt(List::size).sum() < 96; r++) {
            List<ReceivedMessage> got = shoal.receive(Q, SUB, ReceiveRequest.of(50));
            for (ReceivedMessage m : got) {
                String[] f = m.bodyAsString().split(":");
                seen.computeIfAbsent(f[0], k -> new ArrayList<>()).add(Integer.parseInt(f[1]));
            }
            shoal.ack(Q, SUB, got.stream().map(ReceivedMessage::receipt).toList());
        }
        assertEquals(32, seen.size());
        seen.forEach((g, order) -> assertEquals(List.of(0, 1, 2), order, g));
    }

    @Test
    void anExplicitPartitionCountIsKept(AwsFixture aws) {
        assertEquals(2, highThroughput().partitions(2).build().partitions());
        assertEquals(1, QueueSettings.builder().fifo(true).deduplicationScope(DeduplicationScope.MESSAGE_GROUP).build().partitions(),
                "the group scope alone is not high throughput: groups are not spread");
    }

    @Test
    void invalidCombinationsAreRefusedWithTheFieldAndWhatIsAllowed(AwsFixture aws) {
        var perGroupWithQueueScope = assertThrows(InvalidRequestException.class, () -> QueueSettings.builder().fifo(true)
                .fifoThroughputLimit(FifoThroughputLimit.PER_MESSAGE_GROUP_ID).build());
        assertEquals("fifoThroughputLimit", perGroupWithQueueScope.field());
        assertTrue(perGroupWithQueueScope.getMessage().contains("messageGroup"), perGroupWithQueueScope.getMessage());

        var standard = assertThrows(InvalidRequestException.class, () -> QueueSettings.builder()
                .deduplicationScope(DeduplicationScope.MESSAGE_GROUP).build());
        assertEquals("deduplicationScope", standard.field());
        assertEquals("fifoThroughputLimit", assertThrows(InvalidRequestException.class, () -> QueueSettings.builder()
                .fifoThroughputLimit(FifoThroughputLimit.PER_MESSAGE_GROUP_ID).build()).field());

        var spelling = assertThrows(InvalidRequestException.class, () -> DeduplicationScope.of("deduplicationScope", "group"));
        assertTrue(spelling.getMessage().contains("queue or messageGroup"), spelling.getMessage());
    }

    @Test
    void theScopeCanChangeOnAnExistingQueue(AwsFixture aws) {
        ShoalEngine shoal = TestEngines.engine(aws, clock);
        shoal.createQueue(Q, QueueSettings.builder().fifo(true).build());
        shoal.updateQueue(Q, shoal.describeQueue(Q).settings().toBuilder().deduplicationScope(DeduplicationScope.MESSAGE_GROUP).build());
        List<ProducedMessage> ids = shoal.produce(Q, List.of(msg("g1", "order-1", "a"), msg("g2", "order-1", "b")));
        assertFalse(ids.get(1).duplicate());
    }
}
