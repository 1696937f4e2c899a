package dev.shoal.storage.log;

import dev.shoal.storage.ShoalEngine;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.MaintenanceReport;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.ReceiveRequest;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.api.SeekTarget;
import dev.shoal.storage.metering.Meter;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import dev.shoal.storage.testing.Faults;
import dev.shoal.storage.testing.ManualClock;
import dev.shoal.storage.testing.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The janitor's work is proportional to what changed since its last pass, not to what the queue
 * retains (docs/adr/0014-janitor-checkpoints.md), and it still deletes what it must.
 */
@ExtendWith(EmbeddedAwsExtension.class)
class JanitorWorkTest {

    /** More than one S3 listing page of segments, and about 80 read units of index. */
    private static final int HISTORY = 1100;
    private final ManualClock clock = new ManualClock(Instant.now());

    @Test
    void aPassOverALargeRetainedHistoryReadsAndListsOnlyWhatChangedSinceTheLastPass(AwsFixture aws) {
        ShoalEngine shoal = TestEngines.s3Segments(aws, clock);
        shoal.createQueue("q", QueueSettings.builder().partitions(1).build());
        for (int i = 0; i < HISTORY; i++) {
            shoal.produce("q", List.of(NewMessage.of("m" + i))); // one segment each
        }
        shoal.seek("q", Limits.DEFAULT_SUBSCRIPTION, SeekTarget.latest()); // no backlog: the counts read nothing either
        shoal.maintenance(clock.instant()); // the first pass of a partition reads it whole, once
        clock.advance(Duration.ofMinutes(1));
        shoal.produce("q", List.of(NewMessage.of("one more")));

        Meter.Usage changed = usage(aws, () -> shoal.maintenance(clock.instant()));
        clock.advance(Duration.ofMinutes(1));
        Meter.Usage unchanged = usage(aws, () -> shoal.maintenance(clock.instant()));

        assertEquals(1, changed.s3Requests("ListObjectsV2"), "one page: the objects written since the last pass; " + changed);
        assertTrue(changed.dynamoReadUnits() < 20, "a few items read (and empty reads billed at their minimum), not the history's ~80 units: " + changed);
        assertEquals(0, unchanged.s3Requests("ListObjectsV2"), "nothing new to list: " + unchanged);
        assertEquals(0, unchanged.dynamoWriteUnits(), "nothing to record: " + unchanged);
        assertTrue(unchanged.dynamoReadUnits() < 20, "a handful of small reads (empty ones billed at their minimum): " + unchanged);
    }

    @Test
    void anIdleQueueIsListedOncePerGracePeriodSoOrphansOfFailedCommitsAreStillFound(AwsFixture aws) {
        ShoalEngine shoal = TestEngines.s3Segments(aws, clock);
        shoal.createQueue("q", QueueSettings.builder().partitions(1).build());
        shoal.produce("q", List.of(NewMessage.of("kept")));
        shoal.maintenance(clock.instant());
        String orphan = writeOrphan(aws, shoal, "q"); // a produce whose commit failed, and nothing committed after it

        clock.advance(Duration.ofMinutes(1));
        assertEquals(0, usage(aws, () -> shoal.maintenance(clock.instant())).s3Requests("ListObjectsV2"), "idle: not listed");
        clock.advance(Retention.ORPHAN_GRACE);
        assertEquals(1, shoal.maintenance(clock.instant()).orphansDeleted(), "listed again a grace period later, and old enough");

        assertEquals(List.of(), keys(aws).stream().filter(orphan::equals).toList());
        assertEquals(1, keys(aws).size(), "the committed segment stays");
        assertEquals(1, shoal.receive("q", Limits.DEFAULT_SUBSCRIPTION, ReceiveRequest.of(10)).size());
    }

    @Test
    void orphansAmongNewCommitsAreDeletedAfterTheGracePeriodAndCommittedSegmentsStay(AwsFixture aws) {
        ShoalEngine shoal = TestEngines.s3Segments(aws, clock);
        shoal.createQueue("q", QueueSettings.builder().partitions(1).build());
        shoal.produce("q", List.of(NewMessage.of("a")));
        shoal.maintenance(clock.instant());
        writeOrphan(aws, shoal, "q");
        for (int i = 0; i < 3; i++) shoal.produce("q", List.of(NewMessage.of("b" + i)));

        assertEquals(0, shoal.maintenance(clock.instant()).orphansDeleted(), "too young");
        clock.advance(Retention.ORPHAN_GRACE.plusMinutes(1));
        MaintenanceReport later = shoal.maintenance(clock.instant());

        assertEquals(1, later.orphansDeleted());
        assertEquals(4, keys(aws).size(), "every committed segment stays");
        assertEquals(4, shoal.receive("q", Limits.DEFAULT_SUBSCRIPTION, ReceiveRequest.of(10)).size());
    }

    @Test
    void retentionReadsFromTheOldestAndStopsAtTheFirstLiveEntry(AwsFixture aws) {
        ShoalEngine shoal = TestEngines.s3Segments(aws, clock);
        shoal.createQueue("q", QueueSettings.builder().partitions(1).retention(Duration.ofMinutes(10)).build());
        for (int i = 0; i < 3; i++) shoal.produce("q", List.of(NewMessage.of("old" + i)));
        clock.advance(Duration.ofMinutes(5));
        for (int i = 0; i < 200; i++) shoal.produce("q", List.of(NewMessage.of("new" + i)));
        shoal.seek("q", Limits.DEFAULT_SUBSCRIPTION, SeekTarget.latest());
        shoal.maintenance(clock.instant());
        clock.advance(Duration.ofMinutes(6));

        MaintenanceReport[] report = new MaintenanceReport[1];
        Meter.Usage pass = usage(aws, () -> report[0] = shoal.maintenance(clock.instant()));

        assertEquals(3, report[0].segmentsDeleted(), "the three past 10 minutes");
        assertEquals(200, keys(aws).size());
        assertTrue(pass.dynamoReadUnits() < 20, "the oldest few entries read (and empty reads billed at their minimum), not the 200 live ones: " + pass);
        assertEquals(203, shoal.produce("q", List.of(NewMessage.of("next"))).getFirst().id().offset());
    }

    @Test
    void segmentsWhoseDeletionFailedAfterTheirEntriesWentAreDeletedByTheNextPass(AwsFixture aws) {
        ShoalEngine shoal = TestEngines.s3Segments(aws, clock);
        shoal.createQueue("q", QueueSettings.builder().partitions(1).retention(Duration.ofMinutes(10)).build());
        for (int i = 0; i < 3; i++) shoal.produce("q", List.of(NewMessage.of("m" + i)));
        shoal.maintenance(clock.instant());
        clock.advance(Duration.ofMinutes(11));
        ShoalEngine failing = TestEngines.builder(aws, clock).s3(aws.s3Client(Faults.failBeforeSending("DeleteObjects", 10))).build();

        assertThrows(RuntimeException.class, () -> failing.maintenance(clock.instant()));
        assertEquals(3, keys(aws).size(), "the entries went first; S3 kept the objects");

        shoal.maintenance(clock.instant());
        assertEquals(1, keys(aws).size(), "the next pass deleted the two objects, though no listing will show them again");
    }

    @Test
    void aSegmentListedWhileItsCommitWasInFlightIsNotTakenForAnOrphan(AwsFixture aws) throws Exception {
        ShoalEngine janitor = TestEngines.s3Segments(aws, clock);
        janitor.createQueue("q", QueueSettings.builder().partitions(1).build());
        janitor.maintenance(clock.instant());
        HeldCommit held = new HeldCommit(aws.tables().logTable());
        ShoalEngine producer = TestEngines.builder(aws, clock).dynamo(aws.dynamoClient(held)).build();
        CompletableFuture<?> produce = CompletableFuture.runAsync(() -> producer.produce("q", List.of(NewMessage.of("slow commit"))));
        assertTrue(held.holding.await(20, TimeUnit.SECONDS), "the segment is written, its commit held");

        janitor.maintenance(clock.instant()); // lists the segment; no entry names it yet
        held.release.countDown();
        produce.get(20, TimeUnit.SECONDS);
        clock.advance(Retention.ORPHAN_GRACE.plusMinutes(1));
        janitor.produce("q", List.of(NewMessage.of("later")));
        MaintenanceReport report = janitor.maintenance(clock.instant());

        assertEquals(0, report.orphansDeleted());
        assertEquals(List.of("slow commit", "later"), received(janitor).stream().map(m -> new String(m.body())).toList());
    }

    @Test
    void aStaleCheckpointWrittenLastByARacingPassDeletesNothingCommitted(AwsFixture aws) {
        ShoalEngine shoal = TestEngines.s3Segments(aws, clock);
        shoal.createQueue("q", QueueSettings.builder().partitions(1).build());
        shoal.produce("q", List.of(NewMessage.of("a")));
        shoal.maintenance(clock.instant());
        var stale = aws.dynamo().scan(b -> b.tableName(aws.tables().stateTable())).items().stream()
                .filter(i -> i.get("pk").s().startsWith("janitor#")).findFirst().orElseThrow();
        shoal.produce("q", List.of(NewMessage.of("b")));
        writeOrphan(aws, shoal, "q");
        shoal.produce("q", List.of(NewMessage.of("c")));
        shoal.maintenance(clock.instant());

        aws.dynamo().putItem(b -> b.tableName(aws.tables().stateTable()).item(stale)); // the slower of two racing passes
        clock.advance(Retention.ORPHAN_GRACE.plusMinutes(1));
        MaintenanceReport report = shoal.maintenance(clock.instant());

        assertEquals(1, report.orphansDeleted(), "the orphan, found again from the older checkpoint");
        assertEquals(3, keys(aws).size());
        assertEquals(List.of("a", "b", "c"), received(shoal).stream().map(m -> new String(m.body())).toList());
    }

    private static List<ReceivedMessage> received(ShoalEngine engine) {
        return engine.receive("q", Limits.DEFAULT_SUBSCRIPTION, ReceiveRequest.of(10));
    }

    /** Holds the first put into the log table (a commit) until released: the segment is already in S3. */
    private static final class HeldCommit implements ExecutionInterceptor {
        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final String table;
        private final AtomicBoolean first = new AtomicBoolean(true);

        HeldCommit(String table) {
            this.table = table;
        }

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            if (context.request() instanceof PutItemRequest put && put.tableName().equals(table) && first.compareAndSet(true, false)) {
                holding.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static String writeOrphan(AwsFixture aws, ShoalEngine shoal, String queue) {
        String committed = keys(aws).getFirst();
        String orphan = SegmentKeys.next(committed.substring(0, committed.lastIndexOf('/') + 1), Instant.now());
        aws.s3().putObject(b -> b.bucket(aws.bucket()).key(orphan), RequestBody.fromString("half a produce"));
        return orphan;
    }

    private static List<String> keys(AwsFixture aws) {
        return aws.s3().listObjectsV2(b -> b.bucket(aws.bucket()).prefix("segments/")).contents().stream()
                .map(o -> o.key()).toList();
    }

    private static Meter.Usage usage(AwsFixture aws, Runnable pass) {
        Meter.Usage before = aws.meter().snapshot();
        pass.run();
        return aws.meter().snapshot().minus(before);
    }
}
