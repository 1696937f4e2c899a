package dev.shoal.storage.log;

import dev.shoal.storage.api.MessageAttribute;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.Sleeper;
import dev.shoal.storage.catalog.QueueRef;
import dev.shoal.storage.segment.CorruptSegmentException;
import dev.shoal.storage.segment.SegmentRecord;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import dev.shoal.storage.testing.Engines;
import dev.shoal.storage.testing.Faults;
import dev.shoal.storage.testing.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(EmbeddedAwsExtension.class)
class PartitionLogTest {

    private final ManualClock clock = new ManualClock();

    private static List<SegmentRecord> batch(String prefix, int n, long time) {
        List<SegmentRecord> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add(new SegmentRecord(time, time, i % 2 == 0 ? "g" + i : null, null,
                    Map.of("seq", MessageAttribute.number(Integer.toString(i)), "raw", MessageAttribute.binary(new byte[] {1, 2, (byte) i})),
                    (prefix + "-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        return records;
    }

    @Test
    void producedRecordsAreReadBackWithTheSameBytesAndAttributes(AwsFixture aws) {
        QueueRef queue = Engines.queue(aws, "orders", QueueSettings.builder().partitions(2).build());
        PartitionLog log = Engines.log(aws, clock);
        List<SegmentRecord> first = batch("a", 3, clock.millis());
        List<SegmentRecord> second = batch("b", 5, clock.millis());

        IndexEntry e1 = log.append(queue, 1, first);
        IndexEntry e2 = log.append(queue, 1, second);

        assertEquals(0, e1.baseOffset());
        assertEquals(3, e2.baseOffset());
        List<LogRecord> read = log.read(queue, 1, 0, 100);
        assertEquals(8, read.size());
        List<SegmentRecord> expected = new ArrayList<>(first);
        expected.addAll(second);
        for (int i = 0; i < 8; i++) {
            assertEquals(i, read.get(i).id().offset());
            assertEquals(1, read.get(i).id().partition());
            assertEquals(expected.get(i), read.get(i).record());
        }
        assertEquals(List.of(), log.read(queue, 0, 0, 10), "the other partition is empty");
        assertEquals(second.subList(1, 3), log.read(queue, 1, 4, 2).stream().map(LogRecord::record).toList());
    }

    @Test
    void offsetsAreDenseAndMonotonicUnderEightConcurrentProducers(AwsFixture aws) throws Exception {
        QueueRef queue = Engines.queue(aws, "busy", QueueSettings.builder().build());
        PartitionLog log = Engines.log(aws, clock);
        int producers = 8, batchesEach = 12;
        List<IndexEntry> committed = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newFixedThreadPool(producers)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int producer = p;
                futures.add(pool.submit(() -> {
                    for (int b = 0; b < batchesEach; b++) {
                        committed.add(log.append(queue, 0, batch("p" + producer + "b" + b, 1 + (producer + b) % 4, clock.millis())));
                    }
                }));
            }
            for (Future<?> f : futures) f.get();
        }
        committed.sort((x, y) -> Long.compare(x.baseOffset(), y.baseOffset()));
        long expectedBase = 0;
        for (IndexEntry e : committed) {
            assertEquals(expectedBase, e.baseOffset(), "no gap and no overlap before " + e.segmentKey());
            expectedBase = e.endOffset();
        }
        assertEquals(producers * batchesEach, committed.stream().map(IndexEntry::segmentKey).distinct().count(), "each segment committed once");
        List<LogRecord> all = log.read(queue, 0, 0, 10_000);
        assertEquals(expectedBase, all.size());
        for (int i = 0; i < all.size(); i++) {
            assertEquals(i, all.get(i).id().offset());
        }
    }

    @Test
    void aCrashBetweenTheSegmentPutAndTheCommitLeavesNothingVisibleAndTheRetrySucceeds(AwsFixture aws) {
        QueueRef queue = Engines.queue(aws, "crashy", QueueSettings.builder().build());
        // The commit's first call to DynamoDB (reading the log's end) fails: the process "dies"
        // after the segment reached S3 and before anything was committed.
        DynamoDbClient broken = aws.dynamoClient(Faults.failBeforeSending("Query", 1_000));
        PartitionLog crashing = Engines.s3Log(aws, broken, aws.s3(), clock, waited -> { }); // backoff without waiting
        var sdkRetriesDisabled = assertThrows(RuntimeException.class, () -> crashing.append(queue, 0, batch("lost", 2, clock.millis())));
        assertNotNull(sdkRetriesDisabled.getMessage());

        PartitionLog log = Engines.log(aws, clock);
        assertEquals(List.of(), log.read(queue, 0, 0, 10), "the orphan segment is invisible");
        assertEquals(1, aws.s3().listObjectsV2(b -> b.bucket(aws.bucket()).prefix(queue.segmentPrefix(0))).keyCount(),
                "the orphan is in S3 for the janitor to collect");

        IndexEntry retried = log.append(queue, 0, batch("again", 2, clock.millis()));
        assertEquals(0, retried.baseOffset());
        assertEquals(2, log.read(queue, 0, 0, 10).size());
    }

    @Test
    void aCommitWhoseResponseIsLostIsRecognisedAndNotCommittedTwice(AwsFixture aws) {
        QueueRef queue = Engines.queue(aws, "lossy", QueueSettings.builder().build());
        DynamoDbClient lossy = aws.dynamoClient(Faults.loseResponse("PutItem", 1));
        PartitionLog log = Engines.log(aws, lossy, aws.s3(), clock, 0);

        IndexEntry entry = log.append(queue, 0, batch("once", 3, clock.millis()));

        assertEquals(0, entry.baseOffset());
        List<IndexEntry> all = new ArrayList<>();
        log.index().all(queue.partitionKey(0)).forEach(all::add);
        assertEquals(1, all.size(), "one index item, not two");
        assertEquals(3, log.read(queue, 0, 0, 10).size());
    }

    @Test
    void aCorruptSegmentIsRejectedWithAClearError(AwsFixture aws) {
        QueueRef queue = Engines.queue(aws, "rotten", QueueSettings.builder().build());
        PartitionLog log = Engines.s3Log(aws, aws.dynamo(), aws.s3(), clock, Sleeper.SYSTEM);
        IndexEntry entry = log.append(queue, 0, batch("x", 20, clock.millis()));
        byte[] bytes = aws.s3().getObjectAsBytes(b -> b.bucket(aws.bucket()).key(entry.segmentKey())).asByteArray();
        bytes[bytes.length - 3] ^= 0x5A;
        aws.s3().putObject(b -> b.bucket(aws.bucket()).key(entry.segmentKey()), RequestBody.fromBytes(bytes));

        var error = assertThrows(CorruptSegmentException.class, () -> Engines.log(aws, clock).read(queue, 0, 0, 20));
        assertTrue(error.getMessage().contains(entry.segmentKey()), error.getMessage());
    }

    @Test
    void anOffsetIsFoundByTime(AwsFixture aws) {
        QueueRef queue = Engines.queue(aws, "timed", QueueSettings.builder().build());
        PartitionLog log = Engines.log(aws, clock);
        Instant[] times = new Instant[6];
        for (int i = 0; i < 6; i++) {
            times[i] = clock.instant();
            log.append(queue, 0, batch("t" + i, 10, clock.millis()));
            clock.advance(Duration.ofMinutes(1));
        }
        assertEquals(0, log.offsetAt(queue, 0, times[0].minusSeconds(5)));
        assertEquals(30, log.offsetAt(queue, 0, times[3]));
        assertEquals(40, log.offsetAt(queue, 0, times[3].plusSeconds(1)));
        assertEquals(60, log.offsetAt(queue, 0, clock.instant()));
        assertEquals(IntStream.range(30, 40).boxed().toList(),
                log.read(queue, 0, 30, 10).stream().map(r -> (int) r.id().offset()).toList());
    }
}
