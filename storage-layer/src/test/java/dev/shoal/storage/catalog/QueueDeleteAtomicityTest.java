package dev.shoal.storage.catalog;

import dev.shoal.storage.ShoalEngine;
import dev.shoal.storage.api.NotFoundException;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.RetryableException;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import dev.shoal.storage.testing.FaultInjector.Fault;
import dev.shoal.storage.testing.FaultInjector;
import dev.shoal.storage.testing.ManualClock;
import dev.shoal.storage.testing.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Deleting a queue is all or nothing: a failure halfway never leaves a queue without its default subscription. */
@ExtendWith(EmbeddedAwsExtension.class)
class QueueDeleteAtomicityTest {

    private final ManualClock clock = new ManualClock();

    @Test
    void aQueueDeleteThatFailsHalfwayLeavesTheQueueWholeAndCanBeRetried(AwsFixture aws) {
        ShoalEngine shoal = TestEngines.engine(aws, clock);
        shoal.createQueue("whole", QueueSettings.builder().build());
        // the store stops answering after the first write of the delete
        FaultInjector faults = new FaultInjector()
                .afterSkipping("DeleteItem", 1, Fault.NO_ANSWER, 1_000)
                .times("TransactWriteItems", Fault.NO_ANSWER, 1_000);
        ShoalEngine failing = TestEngines.builder(aws, clock).dynamo(aws.stack().dynamoClient(c -> c.addExecutionInterceptor(faults)
                .retryStrategy(AwsRetryStrategy.doNotRetry()))).build();

        var e = assertThrows(RuntimeException.class, () -> failing.deleteQueue("whole"));

        assertEquals(RetryableException.class, e.getClass(), e.toString());
        assertEquals("whole", shoal.describeQueue("whole").name(), "the queue and its default subscription are intact");
        assertEquals(1, shoal.listSubscriptions("whole").size());
        shoal.deleteQueue("whole");
        assertEquals("QueueNotFound", assertThrows(NotFoundException.class, () -> shoal.describeQueue("whole")).code());
    }

    @Test
    void aQueueWithMoreSubscriptionsThanATransactionTakesIsDeletedWhole(AwsFixture aws) {
        ShoalEngine shoal = TestEngines.engine(aws, clock);
        shoal.createQueue("crowded", QueueSettings.builder().build());
        for (int i = 0; i < 105; i++) {
            shoal.createSubscription("crowded", "s" + i, dev.shoal.storage.api.SubscriptionSettings.DEFAULT);
        }

        shoal.deleteQueue("crowded");

        assertThrows(NotFoundException.class, () -> shoal.describeQueue("crowded"));
        shoal.createQueue("crowded", QueueSettings.builder().build());
        assertEquals(1, shoal.listSubscriptions("crowded").size(), "a new queue of the same name starts with none of the old subscriptions");
    }
}
