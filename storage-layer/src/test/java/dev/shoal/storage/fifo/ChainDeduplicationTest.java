package dev.shoal.storage.fifo;

import dev.shoal.storage.*;
import dev.shoal.storage.api.*;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import dev.shoal.storage.testing.ManualClock;
import dev.shoal.storage.testing.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Deduplication against the partition's chain: no item per message, duplicates found across
 * engines (each with its own window), racing producers of one id commit it once.
 */
@ExtendWith(EmbeddedAwsExtension.class)
class ChainDeduplicationTest {

    private static final String SUB = Limits.DEFAULT_SUBSCRIPTION;
    private static final String Q = "orders.fifo";
    private final ManualClock clock = new ManualClock();

    private static NewMessage msg(String group, String dedupId, String body) {
        return NewMessage.builder().groupId(group).dedupId(dedupId).body(body).build();
    }

    private static long deduplicationItems(AwsFixture aws) {
        return aws.dynamo().scanPaginator(b -> b.tableName(aws.tables().stateTable()).projectionExpression("pk")
                        .filterExpression("begins_with(pk, :p)").expressionAttributeValues(Map.of(":p", AttributeValue.fromS("dedup#"))))
                .items().stream().count();
    }

    @Test
    void aOnePartitionQueueDeduplicatesWithoutAnItemPerMessage(AwsFixture aws) {
        ShoalEngine shoal = TestEngines.engine(aws, clock);
        shoal.createQueue(Q, QueueSettings.builder().fifo(true).build());
        List<NewMessage> batch = new ArrayList<>();
        for (int i = 0; i < 150; i++) batch.add(msg("g" + i % 7, "id-" + i, "m" + i));
        List<ProducedMessage> first = shoal.produce(Q, batch);
        assertTrue(first.stream().noneMatch(ProducedMessage::duplicate));
        assertEquals(1, first.stream().map(p -> p.id().offset() - first.indexOf(p)).distinct().count(),
                "one segment: no transaction splits the batch");

        List<ProducedMessage> again = shoal.produce(Q, List.of(msg("g3", "id-3", "changed"), msg("g0", "id-new", "new")));
        assertEquals(first.get(3).id(), again.get(0).id());
        assertTrue(again.get(0).duplicate());
        assertFalse(again.get(1).duplicate());
        assertEquals(0, deduplicationItems(aws));
    }

    @Test
    void aRetriedBatchOfDuplicatesGetsTheOriginalIdsAndWritesNoSegment(AwsFixture aws) {
        ShoalEngine shoal = TestEngines.engine(aws, clock);
        shoal.createQueue(Q, QueueSettings.builder().fifo(true).build());
        List<NewMessage> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) batch.add(msg("g" + i % 3, "send-" + i, "m" + i));
        List<MessageId> ids = shoal.produce(Q, batch).stream().map(ProducedMessage::id).toList();
        int objects = aws.s3().listObjectsV2(b -> b.bucket(aws.bucket())).keyCount();

        List<ProducedMessage> retried = shoal.produce(Q, batch);
        assertEquals(ids, retried.stream().map(ProducedMessage::id).toList());
        assertTrue(retried.stream().allMatch(ProducedMessage::duplicate));
        assertEquals(objects, aws.s3().listObjectsV2(b -> b.bucket(aws.bucket())).keyCount(), "no orphan segment");
    }

    @Test
    void aDuplicateSentThroughAnotherEngineIsFound(AwsFixture aws) {
        ShoalEngine one = TestEngines.engine(aws, clock);
        one.createQueue(Q, QueueSettings.builder().fifo(true).build());
        MessageId original = one.produce(Q, List.of(msg("g", "order-1", "a"))).getFirst().id();
        clock.advance(Duration.ofMinutes(2));
        one.produce(Q, List.of(msg("g", "order-2", "b")));

        ShoalEngine other = TestEngines.engine(aws, clock); // a cold window: reads the chain back five minutes
        ProducedMessage dup = other.produce(Q, List.of(msg("g", "order-1", "a again"))).getFirst();
        assertTrue(dup.duplicate());
        assertEquals(original, dup.id());
        assertTrue(one.produce(Q, List.of(msg("g", "order-2", "b again"))).getFirst().duplicate(), "and the warm one sees the others' commits");

        clock.advance(Duration.ofMinutes(3));
        assertFalse(other.produce(Q, List.of(msg("g", "order-1", "a later"))).getFirst().duplicate(), "five minutes from the original");
    }

    @Test
    void aPurgeSeenByAnotherEngineClearsItsWindow(AwsFixture aws) {
        ShoalEngine one = TestEngines.engine(aws, clock);
        ShoalEngine other = TestEngines.engine(aws, clock);
        one.createQueue(Q, QueueSettings.builder().fifo(true).build());
        one.produce(Q, List.of(msg("g", "order-1", "a")));
        assertTrue(other.produce(Q, List.of(msg("g", "order-1", "a"))).getFirst().duplicate());

        one.purgeQueue(Q);
        assertFalse(other.produce(Q, List.of(msg("g", "order-1", "a"))).getFirst().duplicate());
        assertEquals(List.of("a"), other.receive(Q, SUB, ReceiveRequest.of(10)).stream().map(ReceivedMessage::bodyAsString).toList());
    }

    @Test
    void racingProducersOfOneDeduplicationIdCommitItOnce(AwsFixture aws) throws Exception {
        ShoalEngine setup = TestEngines.engine(aws, clock);
        setup.createQueue(Q, QueueSettings.builder().fifo(true).build());
        List<ShoalEngine> engines = List.of(TestEngines.engine(aws, clock), TestEngines.engine(aws, clock), TestEngines.engine(aws, clock));
        try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
            for (int round = 0; round < 3; round++) {
                String id = "order-" + round;
                List<Future<ProducedMessage>> results = new ArrayList<>();
                for (int t = 0; t < 6; t++) {
                    ShoalEngine e = engines.get(t % engines.size());
                    int n = t;
                    Callable<ProducedMessage> send = () -> e.produce(Q, List.of(msg("g" + n, id, "from " + n))).getFirst();
                    results.add(pool.submit(send));
                }
                Set<MessageId> ids = new HashSet<>();
                int originals = 0;
                for (Future<ProducedMessage> f : results) {
                    ProducedMessage p = f.get();
                    ids.add(p.id());
                    if (!p.duplicate()) originals++;
                }
                assertEquals(1, originals, "round " + round);
                assertEquals(1, ids.size(), "every racer got the original's id in round " + round);
            }
        }
        List<ReceivedMessage> all = new ArrayList<>();
        for (int r = 0; r < 10; r++) {
            List<ReceivedMessage> got = setup.receive(Q, SUB, ReceiveRequest.of(10));
            all.addAll(got);
            setup.ack(Q, SUB, got.stream().map(ReceivedMessage::receipt).toList());
        }
        assertEquals(3, all.size(), "one message per id");
    }

    @Test
    void aQueueWideScopeOverSeveralPartitionsKeepsItsItems(AwsFixture aws) {
        ShoalEngine shoal = TestEngines.engine(aws, clock);
        shoal.createQueue(Q, QueueSettings.builder().fifo(true).partitions(4).build());
        String[] groups = {"a", "b", "c", "d", "e", "f", "g", "h"};
        MessageId original = shoal.produce(Q, List.of(msg(groups[0], "order-1", "x"))).getFirst().id();
        for (String g : groups) {
            ProducedMessage p = shoal.produce(Q, List.of(msg(g, "order-1", "x"))).getFirst();
            assertTrue(p.duplicate(), "group " + g + " on partition " + Math.floorMod(g.hashCode(), 4));
            assertEquals(original, p.id());
        }
        assertTrue(deduplicationItems(aws) > 0);
    }

    @Test
    void aGroupScopedQueueOverSeveralPartitionsUsesTheChain(AwsFixture aws) {
        ShoalEngine shoal = TestEngines.engine(aws, clock);
        shoal.createQueue(Q, QueueSettings.builder().fifo(true).deduplicationScope(DeduplicationScope.MESSAGE_GROUP)
                .fifoThroughputLimit(FifoThroughputLimit.PER_MESSAGE_GROUP_ID).build());
        MessageId original = shoal.produce(Q, List.of(msg("g", "order-1", "x"))).getFirst().id();
        assertEquals(original, shoal.produce(Q, List.of(msg("g", "order-1", "y"))).getFirst().id());
        assertFalse(shoal.produce(Q, List.of(msg("h", "order-1", "z"))).getFirst().duplicate());
        assertEquals(0, deduplicationItems(aws));
    }
}
