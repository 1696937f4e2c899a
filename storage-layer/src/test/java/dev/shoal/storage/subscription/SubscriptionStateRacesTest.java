package dev.shoal.storage.subscription;

import dev.shoal.storage.ShoalEngine;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.NackEntry;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.ReceiptResult;
import dev.shoal.storage.api.ReceiveRequest;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.api.RetryableException;
import dev.shoal.storage.api.SeekTarget;
import dev.shoal.storage.dynamodb.ShoalTables;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import dev.shoal.storage.testing.FaultInjector.Fault;
import dev.shoal.storage.testing.FaultInjector;
import dev.shoal.storage.testing.ManualClock;
import dev.shoal.storage.testing.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Subscription state under races and load: what ack, nack, seek and purge promise when they collide. */
@ExtendWith(EmbeddedAwsExtension.class)
class SubscriptionStateRacesTest {

    private static final String SUB = Limits.DEFAULT_SUBSCRIPTION;
    private final ManualClock clock = new ManualClock();

    private ShoalEngine queue(AwsFixture aws, String name, int messages) {
        ShoalEngine engine = TestEngines.engine(aws, clock);
        engine.createQueue(name, QueueSettings.builder().partitions(1).build());
        List<NewMessage> batch = IntStream.range(0, messages).mapToObj(i -> NewMessage.builder().body("m" + i).build()).toList();
        for (int from = 0; from < messages; from += Limits.MAX_BATCH_MESSAGES) {
            engine.produce(name, batch.subList(from, Math.min(messages, from + Limits.MAX_BATCH_MESSAGES)));
        }
        return engine;
    }

    private static List<ReceivedMessage> receiveAll(ShoalEngine shoal, String queue, int n) {
        List<ReceivedMessage> got = new ArrayList<>();
        for (int i = 0; i < 20 && got.size() < n; i++) {
            got.addAll(shoal.receive(queue, SUB, ReceiveRequest.of(Limits.MAX_RECEIVE_MESSAGES)));
        }
        return got;
    }

    @Test
    void nackingMoreThan99ScatteredMessagesOfOneDeliverySucceedsForEveryOne(AwsFixture aws) {
        ShoalEngine shoal = queue(aws, "scattered", 300);
        List<ReceivedMessage> got = receiveAll(shoal, "scattered", 300);
        assertEquals(300, got.size());
        List<NackEntry> everyOther = IntStream.range(0, 300).filter(i -> i % 2 == 1)
                .mapToObj(i -> new NackEntry(got.get(i).receipt(), Duration.ZERO)).toList();

        List<ReceiptResult> results = shoal.nack("scattered", SUB, everyOther);

        assertEquals(150, results.size());
        assertTrue(results.stream().allMatch(ReceiptResult::succeeded), () -> results.stream().filter(r -> !r.succeeded()).findFirst().toString());
        List<ReceivedMessage> again = receiveAll(shoal, "scattered", 150);
        assertEquals(everyOther.size(), again.size(), "every nacked message is delivered again, and only those");
    }

    @Test
    void aSeekRacingAPurgeIsNotLostAndItsMessagesAreDelivered(AwsFixture aws) {
        ShoalEngine shoal = queue(aws, "racing", 5);
        AtomicBoolean raced = new AtomicBoolean();
        // the seek reads the cursor; before its write, a second seek moves it and a receiver claims in the new generation
        ExecutionInterceptor interleave = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                if (context.request() instanceof PutItemRequest put && isCursor(put.item()) && raced.compareAndSet(false, true)) {
                    shoal.seek("racing", SUB, SeekTarget.offsets(Map.of(0, 3L)));
                    assertEquals(2, shoal.receive("racing", SUB, ReceiveRequest.of(10)).size());
                }
            }
        };
        ShoalEngine seeker = TestEngines.builder(aws, clock).dynamo(aws.dynamoClient(interleave)).build();

        seeker.seek("racing", SUB, SeekTarget.earliest());

        assertTrue(raced.get());
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), bodies(shoal.receive("racing", SUB, ReceiveRequest.of(10))),
                "the seek to the earliest message took effect after the other");
    }

    @Test
    void ackedMessagesAreNotDeliveredAgainWhenMaintenanceNeverRan(AwsFixture aws) {
        ShoalEngine shoal = queue(aws, "unattended", 3);
        List<ReceivedMessage> got = shoal.receive("unattended", SUB, ReceiveRequest.of(10));
        assertTrue(shoal.ack("unattended", SUB, got.stream().map(ReceivedMessage::receipt).toList()).stream().allMatch(ReceiptResult::succeeded));

        clock.advance(Duration.ofDays(2));
        expireByTtl(aws, clock.instant().getEpochSecond());

        assertEquals(List.of(), shoal.receive("unattended", SUB, ReceiveRequest.of(10)));
    }

    @Test
    void ackedMessagesAreNotDeliveredAgainOnceTheTtlDeletedTheChunksAckedBelowTheNewest(AwsFixture aws) {
        ShoalEngine shoal = queue(aws, "expiring", 40);
        List<List<ReceivedMessage>> receives = new ArrayList<>();
        for (int i = 0; i < 8; i++) receives.add(shoal.receive("expiring", SUB, ReceiveRequest.of(5)));
        Collections.shuffle(receives, new Random(7));
        for (List<ReceivedMessage> got : receives) {
            assertTrue(shoal.ack("expiring", SUB, got.stream().map(ReceivedMessage::receipt).toList()).stream().allMatch(ReceiptResult::succeeded));
        }

        clock.advance(Duration.ofDays(2));
        expireByTtl(aws, clock.instant().getEpochSecond());

        assertTrue(chunkItems(aws) < 8, "some chunks were left to expire");
        assertEquals(List.of(), shoal.receive("expiring", SUB, ReceiveRequest.of(10)));
        assertEquals(List.of(), TestEngines.engine(aws, clock).receive("expiring", SUB, ReceiveRequest.of(10)), "nor in a new process");
    }

    @Test
    void maintenanceDeletesDoneStateOnlyBehindTheFloorAndNothingComesBack(AwsFixture aws) {
        ShoalEngine shoal = queue(aws, "tidy", 3);
        List<ReceivedMessage> got = shoal.receive("tidy", SUB, ReceiveRequest.of(10));
        shoal.ack("tidy", SUB, got.stream().map(ReceivedMessage::receipt).toList());

        shoal.maintenance(clock.instant());
        assertEquals(1, chunkItems(aws), "a chunk claimed within the minute waits: a claim that read the frontier before it may be about to put there");
        clock.advance(Duration.ofMillis(Maintenance.MIN_AGE_TO_DELETE_MILLIS));
        shoal.maintenance(clock.instant());

        assertEquals(0, chunkItems(aws), "done chunks behind the floor are deleted");
        assertEquals(List.of(), shoal.receive("tidy", SUB, ReceiveRequest.of(10)));
        shoal.produce("tidy", List.of(NewMessage.builder().body("after").build()));
        assertEquals(List.of("after"), bodies(shoal.receive("tidy", SUB, ReceiveRequest.of(10))));
    }

    @Test
    void aThrottledTransactionStopsTheNackWithServiceUnavailableInsteadOfBeingRetriedAsALostRace(AwsFixture aws) {
        ShoalEngine shoal = queue(aws, "throttled", 10);
        List<ReceivedMessage> got = shoal.receive("throttled", SUB, ReceiveRequest.of(10));
        FaultInjector faults = new FaultInjector().times("TransactWriteItems", Fault.THROTTLED_TRANSACTION, 1_000);
        ShoalEngine throttled = TestEngines.builder(aws, clock).dynamo(aws.stack().dynamoClient(c -> c.addExecutionInterceptor(faults)
                .retryStrategy(AwsRetryStrategy.doNotRetry()))).build();

        // a nack of one message in the middle splits the delivery: a transaction
        var e = assertThrows(RetryableException.class, () -> throttled.nack("throttled", SUB, List.of(NackEntry.of(got.get(4).receipt()))));

        assertEquals("ServiceUnavailable", e.code());
        assertTrue(e.getMessage().contains("throttling"), e.getMessage());
        assertEquals(1, faults.injected(Fault.THROTTLED_TRANSACTION), "a throttled store is not hammered");
    }

    private static boolean isCursor(Map<String, AttributeValue> item) {
        AttributeValue sk = item.get(ShoalTables.STATE_SORT_KEY);
        return sk != null && dev.shoal.storage.dynamodb.StateItems.CURSOR.equals(sk.s());
    }

    private static List<String> bodies(List<ReceivedMessage> received) {
        return received.stream().map(ReceivedMessage::bodyAsString).sorted().toList();
    }

    private static long chunkItems(AwsFixture aws) {
        return aws.dynamo().scanPaginator(b -> b.tableName(aws.tables().stateTable())).items().stream()
                .filter(i -> i.get(ShoalTables.STATE_SORT_KEY).s().startsWith("c#")).count();
    }

    /** What DynamoDB's TTL does, some time after {@code nowSeconds}: deletes every item whose TTL has passed. */
    static void expireByTtl(AwsFixture aws, long nowSeconds) {
        String table = aws.tables().stateTable();
        aws.dynamo().scanPaginator(b -> b.tableName(table)).items().stream()
                .filter(i -> i.containsKey(ShoalTables.STATE_TTL_ATTRIBUTE) && Long.parseLong(i.get(ShoalTables.STATE_TTL_ATTRIBUTE).n()) <= nowSeconds)
                .forEach(i -> aws.dynamo().deleteItem(d -> d.tableName(table).key(Map.of(
                        ShoalTables.STATE_PARTITION_KEY, i.get(ShoalTables.STATE_PARTITION_KEY),
                        ShoalTables.STATE_SORT_KEY, i.get(ShoalTables.STATE_SORT_KEY)))));
    }
}
