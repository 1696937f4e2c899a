package dev.shoal.storage.fifo;

import dev.shoal.storage.ShoalEngine;
import dev.shoal.storage.api.Limits;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * An ack call that fails for a group's earlier message (here: every write of its range loses its
 * race) does not ack the group's later messages either: the group would otherwise go on past a
 * message that is delivered again, and be acked out of order.
 */
@ExtendWith(EmbeddedAwsExtension.class)
class AckOrderInAGroupTest {

    private static final String Q = "orders.fifo";
    private static final String SUB = Limits.DEFAULT_SUBSCRIPTION;
    private final ManualClock clock = new ManualClock();

    /** While on, every conditional put of the claimed range starting at {@code start} names a version no range has: it loses, in DynamoDB. */
    private static final class RangeAlwaysChanged implements ExecutionInterceptor {
        private final long start;
        volatile boolean on;

        RangeAlwaysChanged(long start) {
            this.start = start;
        }

        @Override
        public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
            if (!on || !(context.request() instanceof PutItemRequest put) || !put.hasExpressionAttributeValues()
                    || !put.expressionAttributeValues().containsKey(":v")) return context.request();
            AttributeValue sk = put.item().get(ShoalTables.STATE_SORT_KEY);
            if (sk == null || sk.s() == null || !sk.s().startsWith("r#") || FifoItems.claimStart(sk.s()) != start) return context.request();
            Map<String, AttributeValue> values = new HashMap<>(put.expressionAttributeValues());
            values.put(":v", AttributeValue.fromN("-42"));
            return put.toBuilder().expressionAttributeValues(values).build();
        }
    }

    private static NewMessage msg(String body) {
        return NewMessage.builder().groupId("g").body(body).build();
    }

    @Test
    void aGroupsLaterMessageIsNotAckedWhenTheAckOfAnEarlierOneInTheSameCallFailed(AwsFixture aws) {
        RangeAlwaysChanged contention = new RangeAlwaysChanged(1);
        ShoalEngine shoal = TestEngines.builder(aws, clock).dynamo(aws.dynamoClient(contention)).build();
        shoal.createQueue(Q, QueueSettings.builder().fifo(true).contentBasedDeduplication(true).build());
        ReceiveRequest briefly = ReceiveRequest.builder().maxMessages(10).visibilityTimeout(Duration.ofMillis(100)).build();
        // m0, m1 and m2 in three claimed ranges ([0], [1], [2]), then all three in one receive
        shoal.produce(Q, List.of(msg("m0")));
        shoal.receive(Q, SUB, briefly);
        clock.advance(Duration.ofMillis(150));
        shoal.produce(Q, List.of(msg("m1")));
        shoal.receive(Q, SUB, briefly);
        clock.advance(Duration.ofMillis(150));
        shoal.produce(Q, List.of(msg("m2")));
        List<ReceivedMessage> got = shoal.receive(Q, SUB, ReceiveRequest.of(10));
        assertEquals(List.of("m0", "m1", "m2"), got.stream().map(ReceivedMessage::bodyAsString).toList());

        contention.on = true;
        List<ReceiptResult> acks = shoal.ack(Q, SUB, got.stream().map(ReceivedMessage::receipt).toList());
        assertTrue(acks.get(0).succeeded());
        assertEquals("ServiceUnavailable", acks.get(1).failure().orElseThrow().code(), "m1's range always lost its race");
        assertFalse(acks.get(2).succeeded(), "m2 is not acked past m1");

        contention.on = false;
        List<ReceiptResult> retried = shoal.ack(Q, SUB, List.of(got.get(1).receipt(), got.get(2).receipt()));
        assertTrue(retried.stream().allMatch(ReceiptResult::succeeded), "retried together, both are acked, in order");
    }
}
