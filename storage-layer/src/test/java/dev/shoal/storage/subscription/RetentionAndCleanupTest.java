package dev.shoal.storage.subscription;

import dev.shoal.storage.*;
import dev.shoal.storage.api.*;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import dev.shoal.storage.testing.ManualClock;
import dev.shoal.storage.testing.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

/** The janitor's part of the storage layer: retention, orphans, consumer state, deleted queues. */
@ExtendWith(EmbeddedAwsExtension.class)
class RetentionAndCleanupTest {

    private static final String SUB = Limits.DEFAULT_SUBSCRIPTION;
    private final ManualClock clock = new ManualClock(Instant.now());

    private static List<NewMessage> messages(int n) {
        return IntStream.range(0, n).mapToObj(i -> NewMessage.of("m" + i)).toList();
    }

    private long objects(AwsFixture aws) {
        return aws.s3().listObjectsV2(b -> b.bucket(aws.bucket())).keyCount();
    }

    private long stateItems(AwsFixture aws, String pkPrefix) {
        return aws.dynamo().scan(b -> b.tableName(aws.tables().stateTable())).items().stream()
                .filter(i -> i.get("pk").s().startsWith(pkPrefix) || i.get("pk").s().contains("#" + pkPrefix)).count();
    }

    @Test
    void segmentsPastRetentionAreDeletedAcknowledgedOrNotButTheNewestIsKept(AwsFixture aws) {
        ShoalEngine shoal = TestEngines.s3Segments(aws, clock);
        shoal.createQueue("q", QueueSettings.builder().retention(Duration.ofMinutes(10)).build());
        shoal.produce("q", messages(2));
        shoal.produce("q", messages(2));
        clock.advance(Duration.ofMinutes(5));
        shoal.produce("q", messages(2));
        clock.advance(Duration.ofMinutes(6));

        MaintenanceReport report = shoal.maintenance(clock.instant());

        assertEquals(2, report.segmentsDeleted(), "the two segments older than 10 minutes");
        assertEquals(1, objects(aws));
        List<ReceivedMessage> left = shoal.receive("q", SUB, ReceiveRequest.of(10));
        assertEquals(List.of(4L, 5L), left.stream().map(m -> m.id().offset()).toList(), "unacked but expired messages are gone");
        clock.advance(Duration.ofHours(1));
        shoal.maintenance(clock.instant());
        assertEquals(1, objects(aws), "the newest segment stays: the next commit chains from it");
        assertEquals(6, shoal.produce("q", messages(1)).getFirst().id().offset(), "offsets are never reused");
    }

    @Test
    void orphanSegmentsAreDeletedAfterTheGracePeriodOnly(AwsFixture aws) {
        ShoalEngine shoal = TestEngines.s3Segments(aws, clock);
        shoal.createQueue("q", QueueSettings.builder().build());
        shoal.produce("q", messages(1));
        String prefix = shoal.log().index().last(queueId(aws, "q") + "#0").orElseThrow().segmentKey();
        String orphan = prefix.substring(0, prefix.lastIndexOf('/') + 1) + "never-committed.seg";
        aws.s3().putObject(b -> b.bucket(aws.bucket()).key(orphan), RequestBody.fromString("half a produce"));

        assertEquals(0, shoal.maintenance(clock.instant()).orphansDeleted(), "too young: its producer may still commit");
        MaintenanceReport later = shoal.maintenance(clock.instant().plus(Duration.ofMinutes(16)));
        assertEquals(1, later.orphansDeleted());
        assertEquals(1, objects(aws), "the committed segment stays");
        assertEquals(1, shoal.receive("q", SUB, ReceiveRequest.of(10)).size());
    }

    @Test
    void deleteOnAckQueuesDropSegmentsEverySubscriptionAcked(AwsFixture aws) {
        ShoalEngine shoal = TestEngines.engine(aws, clock);
        shoal.createQueue("q", QueueSettings.builder().deleteOnAck(true).build());
        shoal.createSubscription("q", "second", SubscriptionSettings.DEFAULT);
        shoal.produce("q", messages(3));
        shoal.produce("q", messages(3));
        shoal.produce("q", messages(3));
        shoal.ack("q", SUB, shoal.receive("q", SUB, ReceiveRequest.of(100)).stream().map(ReceivedMessage::receipt).toList());
        assertEquals(0, shoal.maintenance(clock.instant()).segmentsDeleted(), "the second subscription has not acked");

        shoal.ack("q", "second", shoal.receive("q", "second", ReceiveRequest.of(6)).stream().map(ReceivedMessage::receipt).toList());
        clock.advance(Duration.ofMillis(Maintenance.MIN_AGE_TO_DELETE_MILLIS)); // the floor passes done chunks once they may be deleted
        assertEquals(2, shoal.maintenance(clock.instant()).segmentsDeleted());
        assertEquals(3, shoal.receive("q", "second", ReceiveRequest.of(100)).size(), "the unacked segment stays");
    }

    @Test
    void maintenanceRaisesTheAckFloorAndDeletesStateThatSeekLeftBehind(AwsFixture aws) {
        ShoalEngine shoal = TestEngines.engine(aws, clock);
        shoal.createQueue("q", QueueSettings.builder().build());
        for (int i = 0; i < 5; i++) shoal.produce("q", messages(4));
        for (int i = 0; i < 5; i++) {
            shoal.ack("q", SUB, shoal.receive("q", SUB, ReceiveRequest.of(4)).stream().map(ReceivedMessage::receipt).toList());
        }
        shoal.seek("q", SUB, SeekTarget.earliest());
        shoal.receive("q", SUB, ReceiveRequest.of(4));
        String queueId = queueId(aws, "q");
        assertEquals(7, stateItems(aws, queueId + "#default#0"), "5 old chunks, 1 new, the cursor");

        shoal.maintenance(clock.instant());

        assertEquals(2, stateItems(aws, queueId + "#default#0"), "old generation gone: 1 chunk and the cursor remain");
    }

    @Test
    void aDeletedQueuesDataIsRemovedAndTheNameStartsEmpty(AwsFixture aws) {
        ShoalEngine shoal = TestEngines.engine(aws, clock);
        shoal.createQueue("q", QueueSettings.builder().build());
        shoal.produce("q", messages(3));
        shoal.receive("q", SUB, ReceiveRequest.of(1));
        shoal.deleteQueue("q");
        assertThrows(NotFoundException.class, () -> shoal.receive("q", SUB, ReceiveRequest.of(1)));
        shoal.createQueue("q", QueueSettings.builder().build());
        assertEquals(List.of(), shoal.receive("q", SUB, ReceiveRequest.of(10)), "a new queue of the same name is empty");

        assertEquals(1, shoal.maintenance(clock.instant()).deletedQueuesPurged());
        assertEquals(0, objects(aws));
    }

    private static String queueId(AwsFixture aws, String name) {
        Map<String, AttributeValue> item = aws.dynamo().getItem(b -> b.tableName(aws.tables().stateTable())
                .key(Map.of("pk", AttributeValue.fromS("queues"), "sk", AttributeValue.fromS(name)))).item();
        return item.get("id").s();
    }
}
