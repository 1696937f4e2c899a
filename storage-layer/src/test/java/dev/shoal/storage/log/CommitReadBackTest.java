package dev.shoal.storage.log;

import dev.shoal.storage.api.MessageAttribute;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.RetryableException;
import dev.shoal.storage.catalog.QueueRef;
import dev.shoal.storage.segment.SegmentRecord;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import dev.shoal.storage.testing.Engines;
import dev.shoal.storage.testing.FaultInjector.Fault;
import dev.shoal.storage.testing.FaultInjector;
import dev.shoal.storage.testing.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The commit's outcome when the store's answer does not say: a 500 or a throttle can follow an
 * attempt that landed, so the commit reads back instead of reporting a failure (which makes
 * clients send the batch again, and the log holds it twice).
 */
@ExtendWith(EmbeddedAwsExtension.class)
class CommitReadBackTest {

    private final ManualClock clock = new ManualClock();

    @Test
    void aCommitThatLandedAndWasAnswered500IsReportedCommittedAndWrittenOnce(AwsFixture aws) {
        QueueRef queue = Engines.queue(aws, "five-hundred", QueueSettings.builder().build());
        FaultInjector faults = new FaultInjector().times("PutItem", Fault.SERVER_ERROR_AFTER_APPLYING, 1);
        PartitionLog log = Engines.log(aws, noRetries(aws, faults), aws.s3(), clock, 0, clock::advance);

        IndexEntry entry = log.append(queue, 0, batch("once", 3));

        assertEquals(1, faults.injected(Fault.SERVER_ERROR_AFTER_APPLYING));
        assertEquals(0, entry.baseOffset());
        assertEquals(1, entries(log, queue).size(), "one index item, not two");
        assertEquals(3, log.read(queue, 0, 0, 10).size());
    }

    @Test
    void aThrottleAfterAnAttemptThatLandedIsReadBackNotReportedAsAFailure(AwsFixture aws) {
        QueueRef queue = Engines.queue(aws, "landed-then-throttled", QueueSettings.builder().build());
        // the SDK's own retry: attempt 1 lands and is answered 500, attempt 2 is throttled
        FaultInjector faults = new FaultInjector()
                .times("PutItem", Fault.SERVER_ERROR_AFTER_APPLYING, 1)
                .times("PutItem", Fault.THROTTLE, 1);
        DynamoDbClient dynamo = aws.stack().dynamoClient(c -> c.addExecutionInterceptor(faults)
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(2).build()));
        PartitionLog log = Engines.log(aws, dynamo, aws.s3(), clock, 0, clock::advance);

        IndexEntry entry = log.append(queue, 0, batch("landed", 2));

        assertEquals(1, faults.injected(Fault.THROTTLE), "the SDK retried once and was throttled");
        assertEquals(0, entry.baseOffset());
        assertEquals(1, entries(log, queue).size());
    }

    @Test
    void aThrottledCommitStopsAtOnceWithServiceUnavailableAndWritesNothing(AwsFixture aws) {
        QueueRef queue = Engines.queue(aws, "throttled", QueueSettings.builder().build());
        FaultInjector faults = new FaultInjector().times("PutItem", Fault.THROTTLE, 1_000);
        PartitionLog log = Engines.log(aws, noRetries(aws, faults), aws.s3(), clock, 0, clock::advance);

        var e = assertThrows(RetryableException.class, () -> log.append(queue, 0, batch("refused", 2)));

        assertEquals("ServiceUnavailable", e.code());
        assertTrue(e.getMessage().contains("throttl"), e.getMessage());
        assertEquals(1, faults.injected(Fault.THROTTLE), "no hammering of a throttled table");
        assertEquals(List.of(), entries(log, queue));
    }

    @Test
    void aCommitWhoseEveryAttemptIsAnswered500IsRetriedAtTheSameOffsetAndCommittedOnce(AwsFixture aws) {
        QueueRef queue = Engines.queue(aws, "flaky", QueueSettings.builder().build());
        FaultInjector faults = new FaultInjector().times("PutItem", Fault.SERVER_ERROR, 5);
        PartitionLog log = Engines.log(aws, noRetries(aws, faults), aws.s3(), clock, 0, clock::advance);

        IndexEntry entry = log.append(queue, 0, batch("eventually", 2));

        assertEquals(5, faults.injected(Fault.SERVER_ERROR));
        assertEquals(0, entry.baseOffset());
        assertEquals(1, entries(log, queue).size());
    }

    static DynamoDbClient noRetries(AwsFixture aws, FaultInjector faults) {
        return aws.stack().dynamoClient(c -> c.addExecutionInterceptor(faults).retryStrategy(AwsRetryStrategy.doNotRetry()));
    }

    private static List<IndexEntry> entries(PartitionLog log, QueueRef queue) {
        List<IndexEntry> all = new ArrayList<>();
        log.index().all(queue.partitionKey(0)).forEach(all::add);
        return all;
    }

    private List<SegmentRecord> batch(String prefix, int n) {
        List<SegmentRecord> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add(new SegmentRecord(clock.millis(), clock.millis(), null, null,
                    Map.of("seq", MessageAttribute.number(Integer.toString(i))), (prefix + "-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        return records;
    }
}
