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
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

import java.time.Duration;
import java.util.List;
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

    /** Runs {@code action} once, just before the first put of the claimed range starting at {@code start}. */
    private static final class BeforeRangePut implements ExecutionInterceptor {
        private final long start;
        private final AtomicReference<Runnable> action = new AtomicReference<>();

        BeforeRangePut(long start) {
            this.start = start;
        }

        void arm(Runnable a) {
            action.set(a);
        }

        boolean fired() {
            return action.get() == null;
        }

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (!(context.request() instanceof PutItemRequest put)) return;
            AttributeValue sk = put.item().get(ShoalTables.STATE_SORT_KEY);
            if (sk == null || sk.s() == null || !sk.s().startsWith("r#") || FifoItems.claimStart(sk.s()) != start) return;
            Runnable a = action.getAndSet(null);
            if (a != null) a.run();
        }
    }

    private static NewMessage msg(String group, String body) {
        return NewMessage.builder().groupId(group).body(body).build();
    }

    private static List<String> bodies(List<ReceivedMessage> got) {
        return got.stream().map(ReceivedMessage::bodyAsString).toList();
    }

    @Test
    void aGroupsLaterMessageTakenLateInAReceiveRunsOutWithTheEarlierOneSoTheGroupIsNeverSplitBetweenEngines(AwsFixture aws) {
        BeforeRangePut hook = new BeforeRangePut(1);
        ShoalEngine slow = TestEngines.builder(aws, clock).dynamo(aws.dynamoClient(hook)).build();
        ShoalEngine other = TestEngines.engine(aws, clock);
        other.createQueue(Q, QueueSettings.builder().fifo(true).contentBasedDeduplication(true).build());

        // range [0]: g's m0, given back at once; range [1, 3): g's m1, never delivered, and k's k0, held by other
        other.produce(Q, List.of(msg("g", "m0")));
        ReceivedMessage m0 = other.receive(Q, SUB, ReceiveRequest.of(10)).getFirst();
        other.produce(Q, List.of(msg("g", "m1"), msg("k", "k0")));
        List<ReceivedMessage> k = other.receive(Q, SUB, ReceiveRequest.of(10));
        assertEquals(List.of("k0"), bodies(k), "m1 waits behind m0; k0 is claimed with it");
        assertTrue(other.nack(Q, SUB, List.of(new NackEntry(m0.receipt(), Duration.ZERO))).getFirst().succeeded());

        // slow leases m0 in range [0], then loses its write of range [1, 3) to other's ack of k0, 600 ms later
        hook.arm(() -> {
            clock.advance(Duration.ofMillis(600));
            assertTrue(other.ack(Q, SUB, List.of(k.getFirst().receipt())).getFirst().succeeded());
        });
        List<ReceivedMessage> held = slow.receive(Q, SUB, ReceiveRequest.builder().maxMessages(10).visibilityTimeout(VISIBILITY).build());
        assertTrue(hook.fired());
        assertEquals(List.of("m0", "m1"), bodies(held), "slow took m1 on its second try, after reading range [1, 3) again");

        clock.advance(Duration.ofMillis(401)); // m0's lease, taken 1 s before, ran out
        assertEquals(List.of("m0", "m1"), bodies(other.receive(Q, SUB, ReceiveRequest.of(10))),
                "m1's lease ran out with m0's: the group goes out whole, not m0 to other while slow still holds m1");
        ReceiptResult lateAck = slow.ack(Q, SUB, List.of(held.get(1).receipt())).getFirst();
        assertFalse(lateAck.succeeded(), "slow can no longer ack m1 ahead of m0");
    }
}
