package dev.shoal.storage.log;

import dev.shoal.storage.ShoalEngine;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.MaintenanceReport;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.ReceiveRequest;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.catalog.QueueCatalog;
import dev.shoal.storage.metering.Meter;
import dev.shoal.storage.segment.SegmentEncoder;
import dev.shoal.storage.segment.SegmentRecord;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import dev.shoal.storage.testing.Faults;
import dev.shoal.storage.testing.ManualClock;
import dev.shoal.storage.testing.TestEngines;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** Small segments ride in their log entry instead of S3 (ADR 0016). */
@ExtendWith(EmbeddedAwsExtension.class)
class InlineSegmentsTest {

    private static final String SUB = Limits.DEFAULT_SUBSCRIPTION;
    private final ManualClock clock = new ManualClock();

    @Test
    void aSmallProduceWritesNoObjectAndAnotherProcessReadsItFromTheLogEntry(AwsFixture aws) {
        ShoalEngine producer = TestEngines.engine(aws, clock);
        producer.createQueue("q", QueueSettings.builder().partitions(1).build());
        Meter.Usage before = aws.meter().snapshot();

        producer.produce("q", List.of(NewMessage.of("one"), NewMessage.of("two"), NewMessage.of("three")));

        assertEquals(0, aws.meter().snapshot().minus(before).s3RequestCount(), "no PUT for a small segment");
        assertEquals(0, objects(aws), "nothing in S3");
        IndexEntry entry = producer.log().index().last(partitionKey(aws)).orElseThrow();
        assertTrue(entry.isInline(), entry.toString());
        assertTrue(SegmentKeys.isInline(entry.segmentKey()), entry.segmentKey());

        ShoalEngine consumer = TestEngines.builder(aws, clock).segmentCacheBytes(0).build(); // nothing cached
        Meter.Usage beforeReceive = aws.meter().snapshot();
        List<ReceivedMessage> got = consumer.receive("q", SUB, ReceiveRequest.of(10));

        assertEquals(List.of("one", "two", "three"), got.stream().map(ReceivedMessage::bodyAsString).toList());
        assertEquals(0, aws.meter().snapshot().minus(beforeReceive).s3RequestCount(), "read from the log entry, not S3");
    }

    @Test
    void aSegmentThatMayRideInlineIsCompressedHarderAndReadsBackTheSame(AwsFixture aws) {
        ShoalEngine producer = TestEngines.engine(aws, clock);
        producer.createQueue("q", QueueSettings.builder().partitions(1).build());
        Random random = new Random(5);
        String[] words = {"order", "customer", "amount", "currency", "status", "shipped", "pending", "sku", "quantity", "price"};
        List<NewMessage> batch = new ArrayList<>();
        List<SegmentRecord> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            StringBuilder json = new StringBuilder("{\"id\":" + i);
            while (json.length() < 1000) json.append(",\"").append(words[random.nextInt(words.length)]).append("\":").append(random.nextInt(100_000));
            byte[] body = (json + "}").getBytes(StandardCharsets.UTF_8);
            batch.add(NewMessage.builder().body(body).build());
            records.add(new SegmentRecord(clock.millis(), clock.millis(), null, null, Map.of(), body));
        }

        producer.produce("q", batch);

        IndexEntry entry = producer.log().index().last(partitionKey(aws)).orElseThrow();
        assertTrue(entry.isInline(), entry.toString());
        int usual = new SegmentEncoder().encode(records).bytes().length;
        assertTrue(entry.bytes() < usual * 0.95, "inline " + entry.bytes() + " bytes against " + usual + " at the usual level");
        List<ReceivedMessage> got = TestEngines.builder(aws, clock).segmentCacheBytes(0).build().receive("q", SUB, ReceiveRequest.of(10));
        for (int i = 0; i < 10; i++) assertArrayEquals(batch.get(i).body(), got.get(i).body(), "message " + i);
    }

    @Test
    void aSegmentOverTheLimitGoesToS3AndReadsBackTheSame(AwsFixture aws) {
        ShoalEngine producer = TestEngines.engine(aws, clock);
        producer.createQueue("q", QueueSettings.builder().partitions(1).build());
        Random random = new Random(3);
        List<NewMessage> batch = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            byte[] body = new byte[1024];
            random.nextBytes(body); // incompressible: eight of them pass the 6 KiB limit
            batch.add(NewMessage.builder().body(body).build());
        }

        producer.produce("q", batch);

        IndexEntry entry = producer.log().index().last(partitionKey(aws)).orElseThrow();
        assertFalse(entry.isInline(), entry.toString());
        assertTrue(entry.bytes() > PartitionLog.DEFAULT_INLINE_LIMIT, entry.toString());
        assertEquals(1, objects(aws));
        ShoalEngine consumer = TestEngines.builder(aws, clock).segmentCacheBytes(0).build();
        List<ReceivedMessage> got = consumer.receive("q", SUB, ReceiveRequest.of(10));
        assertEquals(8, got.size());
        for (int i = 0; i < 8; i++) {
            assertArrayEquals(batch.get(i).body(), got.get(i).body(), "message " + i);
        }
    }

    @Test
    void aCommitThatIsATransactionInlinesOnlyUpToHalfTheLimitBecauseATransactionBillsTwice(AwsFixture aws) {
        ShoalEngine shoal = TestEngines.engine(aws, clock);
        shoal.createQueue("standard", QueueSettings.builder().partitions(1).build());
        shoal.createQueue("chained.fifo", QueueSettings.builder().fifo(true).partitions(1).build());
        shoal.createQueue("spread.fifo", QueueSettings.builder().fifo(true).partitions(2).build()); // ids as items
        byte[] body = new byte[4 * 1024];
        new Random(9).nextBytes(body); // about 4 KiB encoded: over half the limit, under the limit

        shoal.produce("standard", List.of(NewMessage.builder().body(body).build()));
        shoal.produce("chained.fifo", List.of(NewMessage.builder().body(body).groupId("g").dedupId("d").build()));
        shoal.produce("spread.fifo", List.of(NewMessage.builder().body(body).groupId("g").dedupId("d").build()));

        assertTrue(last(aws, "standard", 0).isInline(), "a plain put");
        assertTrue(last(aws, "chained.fifo", 0).isInline(), "deduplicated against the chain: a plain put too");
        int partition = shoal.receive("spread.fifo", SUB, ReceiveRequest.of(10)).getFirst().id().partition();
        assertFalse(last(aws, "spread.fifo", partition).isInline(), "its deduplication id rides in the commit's transaction");
        assertEquals(1, objects(aws));
    }

    @Test
    void aQueueThatKeepsMessagesLongerThanTwoWeeksWritesEvenASmallSegmentToS3(AwsFixture aws) {
        ShoalEngine shoal = TestEngines.engine(aws, clock);
        shoal.createQueue("q", QueueSettings.builder().partitions(1).retention(PartitionLog.MAX_INLINE_RETENTION.plusDays(1)).build());

        shoal.produce("q", List.of(NewMessage.of("kept for a long time")));

        assertFalse(shoal.log().index().last(partitionKey(aws)).orElseThrow().isInline(), "DynamoDB storage would cost more than a PUT");
        assertEquals(1, objects(aws));
        assertEquals(1, shoal.receive("q", SUB, ReceiveRequest.of(10)).size());
    }

    @Test
    void retentionDeletesAnInlineSegmentWithItsEntryAndALeaseOnItComesBackAsNothing(AwsFixture aws) {
        ShoalEngine shoal = TestEngines.engine(aws, clock);
        shoal.createQueue("q", QueueSettings.builder().partitions(1).retention(Duration.ofMinutes(10)).build());
        shoal.produce("q", List.of(NewMessage.of("old")));
        assertEquals(1, shoal.receive("q", SUB, new ReceiveRequest(10, Duration.ofMinutes(20), Duration.ZERO, null)).size(),
                "leased, never acked");
        clock.advance(Duration.ofMinutes(11));
        shoal.produce("q", List.of(NewMessage.of("new")));
        Meter.Usage before = aws.meter().snapshot();

        MaintenanceReport report = shoal.maintenance(clock.instant());

        assertEquals(1, report.segmentsDeleted());
        assertEquals(0, aws.meter().snapshot().minus(before).s3Requests("DeleteObjects")
                + aws.meter().snapshot().minus(before).s3Requests("DeleteObject"), "no object to delete");
        clock.advance(Duration.ofMinutes(10)); // the old lease ends: its segment is gone
        ShoalEngine cold = TestEngines.builder(aws, clock).segmentCacheBytes(0).build();
        assertEquals(List.of("new"), cold.receive("q", SUB, ReceiveRequest.of(10)).stream().map(ReceivedMessage::bodyAsString).toList(),
                "the expired message is dropped, as from an S3 segment");
    }

    @Test
    void aCommitOfAnInlineSegmentThatFailsLeavesNothingAnywhereAndTheNextProduceTakesItsOffset(AwsFixture aws) {
        ShoalEngine broken = TestEngines.builder(aws, clock).dynamo(aws.dynamoClient(Faults.failBeforeSending("PutItem", 1_000))).build();
        ShoalEngine shoal = TestEngines.engine(aws, clock);
        shoal.createQueue("q", QueueSettings.builder().partitions(1).build());

        assertThrows(RuntimeException.class, () -> broken.produce("q", List.of(NewMessage.of("lost"))));

        assertEquals(0, objects(aws), "no orphan to collect: the bytes were only in the failed put");
        assertTrue(shoal.log().index().last(partitionKey(aws)).isEmpty(), "nothing committed");
        assertEquals(0, shoal.produce("q", List.of(NewMessage.of("kept"))).getFirst().id().offset());
        assertEquals(List.of("kept"), shoal.receive("q", SUB, ReceiveRequest.of(10)).stream().map(ReceivedMessage::bodyAsString).toList());
    }

    @Test
    void anInlineLimitOutsideWhatALogItemHoldsIsRefusedWithTheRange(AwsFixture aws) {
        var tooBig = assertThrows(IllegalArgumentException.class,
                () -> TestEngines.builder(aws, clock).inlineSegmentLimit(PartitionLog.MAX_INLINE_LIMIT + 1).build());
        assertTrue(tooBig.getMessage().contains("0-" + PartitionLog.MAX_INLINE_LIMIT), tooBig.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TestEngines.builder(aws, clock).inlineSegmentLimit(-1).build());
    }

    private static IndexEntry last(AwsFixture aws, String queue, int partition) {
        String pk = new QueueCatalog(aws.dynamo(), aws.tables(), Clock.systemUTC()).find(queue).orElseThrow().partitionKey(partition);
        return new LogIndex(aws.dynamo(), aws.tables()).last(pk).orElseThrow();
    }

    private static String partitionKey(AwsFixture aws) {
        return new QueueCatalog(aws.dynamo(), aws.tables(), Clock.systemUTC()).find("q").orElseThrow().partitionKey(0);
    }

    private static int objects(AwsFixture aws) {
        return aws.s3().listObjectsV2(b -> b.bucket(aws.bucket())).keyCount();
    }
}
