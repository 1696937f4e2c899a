package dev.shoal.storage.fifo;

import dev.shoal.storage.ShoalEngine;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.MessageId;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.ProducedMessage;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.ReceiptResult;
import dev.shoal.storage.api.ReceiveRequest;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import dev.shoal.storage.testing.ManualClock;
import dev.shoal.storage.testing.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What a FIFO produce, receive and ack cost in store calls when this process knows the state
 * (its own commits, the window it read a moment ago, the range it wrote), and that what it
 * knows never stands in for what another engine changed: duplicates, purges and the group rule
 * across engines.
 */
@ExtendWith(EmbeddedAwsExtension.class)
class FifoStoreCallsTest {

    private static final String SUB = Limits.DEFAULT_SUBSCRIPTION;
    private static final String Q = "orders.fifo";
    private final ManualClock clock = new ManualClock();

    /** Counts DynamoDB calls as {@code Operation(table)}. */
    private static final class Calls implements ExecutionInterceptor {
        private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            SdkRequest r = context.request();
            String name = switch (r) {
                case GetItemRequest g -> "GetItem(" + g.tableName() + ")";
                case QueryRequest q -> "Query(" + q.tableName() + ")";
                case PutItemRequest p -> "PutItem(" + p.tableName() + ")";
                case UpdateItemRequest u -> "UpdateItem(" + u.tableName() + ")";
                default -> r.getClass().getSimpleName().replace("Request", "");
            };
            counts.computeIfAbsent(name, k -> new LongAdder()).increment();
        }

        Map<String, Long> snapshot() {
            Map<String, Long> out = new TreeMap<>();
            counts.forEach((k, v) -> out.put(k, v.sum()));
            return out;
        }

        /** The calls made while {@code action} ran. */
        Map<String, Long> during(Runnable action) {
            Map<String, Long> before = snapshot();
            action.run();
            Map<String, Long> out = snapshot();
            before.forEach((k, v) -> out.merge(k, -v, Long::sum));
            out.values().removeIf(v -> v == 0);
            return out;
        }
    }

    private ShoalEngine engine(AwsFixture aws, Calls calls) {
        return TestEngines.builder(aws, clock).dynamo(aws.dynamoClient(calls)).build();
    }

    private static NewMessage msg(String group, String dedupId, String body) {
        return NewMessage.builder().groupId(group).dedupId(dedupId).body(body).build();
    }

    private static List<String> bodies(List<ReceivedMessage> got) {
        return got.stream().map(ReceivedMessage::bodyAsString).toList();
    }

    private static String log(AwsFixture aws) {
        return aws.tables().logTable();
    }

    private static String state(AwsFixture aws) {
        return aws.tables().stateTable();
    }

    @Test
    void aFifoSendAfterTheFirstIsOneLogPutAndNoRead(AwsFixture aws) {
        Calls calls = new Calls();
        ShoalEngine shoal = engine(aws, calls);
        shoal.createQueue(Q, QueueSettings.builder().fifo(true).build());
        shoal.produce(Q, List.of(msg("g", "id-0", "m0"))); // the first reads the chain back five minutes

        for (int i = 1; i <= 3; i++) {
            int n = i;
            Map<String, Long> made = calls.during(() -> assertFalse(shoal.produce(Q, List.of(msg("g" + n, "id-" + n, "m" + n))).getFirst().duplicate()));
            assertEquals(Map.of("PutItem(" + log(aws) + ")", 1L), made,
                    "the deduplication check knows this process's own commits, and reads the purge floor only for a key it finds");
        }
        ProducedMessage dup = shoal.produce(Q, List.of(msg("g2", "id-2", "again"))).getFirst();
        assertTrue(dup.duplicate());
        assertEquals(new MessageId(0, 2), dup.id());
    }

    @Test
    void aDuplicateOfAMessageSentAfterAPurgeIsFoundByAnEngineThatHadSeenTheOneBefore(AwsFixture aws) {
        ShoalEngine one = TestEngines.engine(aws, clock);
        ShoalEngine other = TestEngines.engine(aws, clock);
        one.createQueue(Q, QueueSettings.builder().fifo(true).build());
        MessageId before = one.produce(Q, List.of(msg("g", "order-1", "a"))).getFirst().id();
        assertEquals(before, other.produce(Q, List.of(msg("g", "order-1", "a"))).getFirst().id(), "other knows the first one");

        one.purgeQueue(Q);
        ProducedMessage after = one.produce(Q, List.of(msg("g", "order-1", "b"))).getFirst();
        assertFalse(after.duplicate(), "a purge forgets the ids sent before it");

        ProducedMessage dup = other.produce(Q, List.of(msg("g", "order-1", "c"))).getFirst();
        assertTrue(dup.duplicate(), "the one sent after the purge still counts");
        assertEquals(after.id(), dup.id());
        assertEquals(List.of("b"), bodies(other.receive(Q, SUB, ReceiveRequest.of(10))));
    }

    @Test
    void aReceiveShortlyAfterAnotherReadsOnlyTheCursorAndItsAckReadsNothing(AwsFixture aws) {
        Calls calls = new Calls();
        ShoalEngine shoal = engine(aws, calls);
        shoal.createQueue(Q, QueueSettings.builder().fifo(true).contentBasedDeduplication(true).build());
        shoal.produce(Q, List.of(msg("a", null, "m0")));
        List<ReceivedMessage> first = shoal.receive(Q, SUB, ReceiveRequest.of(10)); // reads the window
        assertEquals(List.of("m0"), bodies(first));
        shoal.produce(Q, List.of(msg("b", null, "m1")));

        List<ReceivedMessage>[] got = new List[1];
        // a receive of one: a receive that wants more looks past this process's own commit too (one query of the log)
        Map<String, Long> receive = calls.during(() -> got[0] = shoal.receive(Q, SUB, ReceiveRequest.of(1)));
        assertEquals(List.of("m1"), bodies(got[0]));
        assertEquals(Map.of("Query(" + state(aws) + ")", 1L, "PutItem(" + state(aws) + ")", 1L), receive,
                "the cursor (a claim is put in its generation) and the claim with its lease: the window and the log's new entry are known here");

        Map<String, Long> ack = calls.during(() -> assertTrue(shoal.ack(Q, SUB, List.of(got[0].getFirst().receipt())).stream().allMatch(ReceiptResult::succeeded)));
        assertEquals(Map.of("PutItem(" + state(aws) + ")", 1L), ack, "the range as this process wrote it: its version is the write's condition");
    }

    @Test
    void aWindowKnownFromAMomentAgoNeverHandsOutAMessageAnotherEngineHolds(AwsFixture aws) {
        ShoalEngine one = TestEngines.engine(aws, clock);
        ShoalEngine other = TestEngines.engine(aws, clock);
        one.createQueue(Q, QueueSettings.builder().fifo(true).contentBasedDeduplication(true).build());
        one.produce(Q, List.of(msg("g", null, "m1"), msg("g", null, "m2")));
        ReceiveRequest oneAtATime = ReceiveRequest.builder().maxMessages(1).visibilityTimeout(Duration.ofMillis(100)).build();
        assertEquals(List.of("m1"), bodies(one.receive(Q, SUB, oneAtATime)));
        clock.advance(Duration.ofMillis(150)); // m1's visibility ran out; one's window is still one it knows

        assertEquals(List.of("m1"), bodies(other.receive(Q, SUB, ReceiveRequest.of(1))), "delivered again, to the other engine");
        assertEquals(List.of(), one.receive(Q, SUB, ReceiveRequest.of(10)),
                "one's window says m1 is visible, but the other engine holds it: neither m1 nor m2 goes out");

        List<ReceivedMessage> held = other.receive(Q, SUB, ReceiveRequest.of(10));
        assertEquals(List.of(), held, "m2 waits behind m1");
    }

    @Test
    void anAckMadeByAnotherEngineIsSeenOnceTheKnownWindowIsOld(AwsFixture aws) {
        ShoalEngine one = TestEngines.engine(aws, clock);
        ShoalEngine other = TestEngines.engine(aws, clock);
        one.createQueue(Q, QueueSettings.builder().fifo(true).contentBasedDeduplication(true).build());
        one.produce(Q, List.of(msg("g", null, "m1"), msg("g", null, "m2")));
        List<ReceivedMessage> m1 = other.receive(Q, SUB, ReceiveRequest.of(1));
        assertEquals(List.of(), one.receive(Q, SUB, ReceiveRequest.of(10)), "m2 waits behind m1");
        assertTrue(other.ack(Q, SUB, List.of(m1.getFirst().receipt())).getFirst().succeeded());

        clock.advance(RecentWindows.REFRESH);
        assertEquals(List.of("m2"), bodies(one.receive(Q, SUB, ReceiveRequest.of(10))));
    }

    @Test
    void aMessageSentAfterAnotherEnginesPurgeIsDeliveredOnceThoughThisEngineKnewTheWindowBefore(AwsFixture aws) {
        ShoalEngine one = TestEngines.engine(aws, clock);
        ShoalEngine other = TestEngines.engine(aws, clock);
        one.createQueue(Q, QueueSettings.builder().fifo(true).contentBasedDeduplication(true).build());
        one.produce(Q, List.of(msg("g1", null, "before")));
        assertEquals(List.of("before"), bodies(one.receive(Q, SUB, ReceiveRequest.of(10)))); // one knows the window now

        other.purgeQueue(Q);
        other.produce(Q, List.of(msg("g2", null, "after")));
        clock.advance(FifoClaims.PEEK_PAUSE); // one's last look past its own commit found nothing; it looks again after the pause
        assertEquals(List.of("after"), bodies(one.receive(Q, SUB, ReceiveRequest.of(10))),
                "claimed in the purge's generation: the cursor is read before a claim is put");
        assertEquals(List.of(), other.receive(Q, SUB, ReceiveRequest.of(10)), "and so not claimed again there");
    }
}
