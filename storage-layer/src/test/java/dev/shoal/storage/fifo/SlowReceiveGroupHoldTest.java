package dev.shoal.storage.fifo;

import dev.shoal.storage.ShoalEngine;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.NackEntry;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.ReceiptResult;
import dev.shoal.storage.api.ReceiveRequest;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.dynamodb.FifoItems;
import dev.shoal.storage.dynamodb.ShoalTables;
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
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A receive that takes a while (here: it loses a race on one range and tries again later) must
 * not hold a group's later message after its earlier one ran out: another engine would then
 * get the earlier message while the first still held the later one, and the first's ack of the
 * later one would land before the earlier one was done (ADR 0013 part 3). Two engines, one
 * FIFO queue, a manual clock; the interleaving is driven by a hook on the first engine's
 * DynamoDB client.
 */
@ExtendWith(EmbeddedAwsExtension.class)
class SlowReceiveGroupHoldTest {

    private static final String Q = "orders.fifo";
    private static final String SUB = Limits.DEFAULT_SUBSCRIPTION;
    private static final Duration VISIBILITY = Duration.ofSeconds(1);
    private final ManualClock clock = new ManualClock();

    /**
     * Hooks on the slow engine's DynamoDB calls: an action run once just before its first put of
     * the claimed range starting at {@code start}, and one run once just before whatever call
     * follows its second put of that range.
     */
    private static final class RangeHooks implements ExecutionInterceptor {
        private final long start;
        private final AtomicInteger puts = new AtomicInteger();
        private final AtomicReference<Runnable> beforeFirstPut = new AtomicReference<>();
        private final AtomicReference<Runnable> afterSecondPut = new AtomicReference<>();
        private final AtomicReference<Runnable> next = new AtomicReference<>();

        RangeHooks(long start) {
            this.start = start;
        }

        boolean fired() {
            return beforeFirstPut.get() == null && afterSecondPut.get() == null && next.get() == null;
        }

        private boolean ofTheRange(SdkRequest request) {
            if (!(request instanceof PutItemRequest put)) return false;
            AttributeValue sk = put.item().get(ShoalTables.STATE_SORT_KEY);
            return sk != null && sk.s() != null && sk.s().startsWith("r#") && FifoItems.claimStart(sk.s()) == start;
        }

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            Runnable pending = next.getAndSet(null);
            if (pending != null) pending.run();
            if (ofTheRange(context.request()) && puts.incrementAndGet() == 1) {
                Runnable a = beforeFirstPut.getAndSet(null);
                if (a != null) a.run();
            }
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            if (ofTheRange(context.request()) && puts.get() == 2) {
                Runnable a = afterSecondPut.getAndSet(null);
                if (a != null) next.set(a);
            }
        }
    }

    private static NewMessage msg(String group, String body) {
        return NewMessage.builder().groupId(group).body(body).build();
    }

    private static List<String> bodies(List<ReceivedMessage> got) {
        return got.stream().map(ReceivedMessage::bodyAsString).toList();
    }

    /** What the receives before the slow one left: m0 (group g) visible in range [0], m1 (g) never delivered in [1, 3), k0 (k) held by other there. */
    private ReceivedMessage setUp(ShoalEngine other) {
        other.createQueue(Q, QueueSettings.builder().fifo(true).contentBasedDeduplication(true).build());
        other.produce(Q, List.of(msg("g", "m0")));
        ReceivedMessage m0 = other.receive(Q, SUB, ReceiveRequest.of(10)).getFirst();
        other.produce(Q, List.of(msg("g", "m1"), msg("k", "k0")));
        List<ReceivedMessage> k = other.receive(Q, SUB, ReceiveRequest.of(10));
        assertEquals(List.of("k0"), bodies(k), "m1 waits behind m0; k0 is claimed with it");
        assertTrue(other.nack(Q, SUB, List.of(new NackEntry(m0.receipt(), Duration.ZERO))).getFirst().succeeded());
        return k.getFirst();
    }

    /** Slow leases m0 in range [0], then loses its write of range [1, 3) to other's ack of k0, 600 ms later, and takes m1 on its second try. */
    private void slowLosesItsFirstWriteOfTheSecondRange(RangeHooks hooks, ShoalEngine other, ReceivedMessage k0) {
        hooks.beforeFirstPut.set(() -> {
            clock.advance(Duration.ofMillis(600));
            assertTrue(other.ack(Q, SUB, List.of(k0.receipt())).getFirst().succeeded());
        });
    }

    private static ReceiveRequest receive() {
        return ReceiveRequest.builder().maxMessages(10).visibilityTimeout(VISIBILITY).build();
    }

    @Test
    void aGroupsLaterMessageTakenLateInAReceiveRunsOutWithTheEarlierOneSoTheGroupIsNeverSplitBetweenEngines(AwsFixture aws) {
        RangeHooks hooks = new RangeHooks(1);
        ShoalEngine slow = TestEngines.builder(aws, clock).dynamo(aws.dynamoClient(hooks)).build();
        ShoalEngine other = TestEngines.engine(aws, clock);
        slowLosesItsFirstWriteOfTheSecondRange(hooks, other, setUp(other));

        List<ReceivedMessage> held = slow.receive(Q, SUB, receive());
        assertTrue(hooks.fired());
        assertEquals(List.of("m0", "m1"), bodies(held), "slow took m1 on its second try, after reading range [1, 3) again");

        clock.advance(Duration.ofMillis(401)); // m0's lease, taken 1 s before, ran out
        assertEquals(List.of("m0", "m1"), bodies(other.receive(Q, SUB, ReceiveRequest.of(10))),
                "m1's lease ran out with m0's: the group goes out whole, not m0 to other while slow still holds m1");
        ReceiptResult lateAck = slow.ack(Q, SUB, List.of(held.get(1).receipt())).getFirst();
        assertFalse(lateAck.succeeded(), "slow can no longer ack m1 ahead of m0");
    }

    @Test
    void aReceiveHandsOutNothingWhoseLeaseRanOutWhileItWentOnForAnotherEngineMayHoldItAlready(AwsFixture aws) {
        RangeHooks hooks = new RangeHooks(1);
        ShoalEngine slow = TestEngines.builder(aws, clock).dynamo(aws.dynamoClient(hooks)).build();
        ShoalEngine other = TestEngines.engine(aws, clock);
        slowLosesItsFirstWriteOfTheSecondRange(hooks, other, setUp(other));
        List<List<ReceivedMessage>> otherGot = new java.util.ArrayList<>();
        hooks.afterSecondPut.set(() -> { // slow holds m0 and m1 now, and goes on looking for more
            clock.advance(Duration.ofMillis(500)); // past both leases (m1's runs out with m0's)
            otherGot.add(other.receive(Q, SUB, ReceiveRequest.of(10)));
        });

        List<ReceivedMessage> slowGot = slow.receive(Q, SUB, receive());
        assertTrue(hooks.fired());
        assertEquals(List.of("m0", "m1"), bodies(otherGot.getFirst()), "visible again while slow's receive went on: other has them");
        assertEquals(List.of(), bodies(slowGot), "slow hands out neither: its leases ran out, and other holds both");
    }
}
