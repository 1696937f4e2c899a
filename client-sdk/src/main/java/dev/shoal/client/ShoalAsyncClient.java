package dev.shoal.client;

import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.ProducedMessage;
import dev.shoal.storage.api.QueueDescription;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.ReceiptResult;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.api.RedriveRequest;
import dev.shoal.storage.api.RedriveResult;
import dev.shoal.storage.api.SeekTarget;
import dev.shoal.storage.api.SubscriptionDescription;
import dev.shoal.storage.api.SubscriptionSettings;
import dev.shoal.storage.api.SubscriptionStats;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@link ShoalClient}'s operations, each returning a future that completes with the same value,
 * or exceptionally with the same exception, as the synchronous call. Calls run on virtual
 * threads, so thousands may be outstanding at once; retries happen before the future completes.
 * Obtained from {@link ShoalClient#async()}, closed with that client.
 */
public interface ShoalAsyncClient {

    CompletableFuture<QueueDescription> createQueue(String queue, QueueSettings settings);

    CompletableFuture<QueueDescription> updateQueue(String queue, QueueSettings settings);

    CompletableFuture<QueueDescription> describeQueue(String queue);

    CompletableFuture<List<String>> listQueues(String prefix);

    CompletableFuture<Void> deleteQueue(String queue);

    CompletableFuture<Void> purgeQueue(String queue);

    CompletableFuture<SubscriptionDescription> createSubscription(String queue, String subscription, SubscriptionSettings settings);

    CompletableFuture<SubscriptionDescription> updateSubscription(String queue, String subscription, SubscriptionSettings settings);

    CompletableFuture<SubscriptionDescription> describeSubscription(String queue, String subscription);

    CompletableFuture<List<SubscriptionDescription>> listSubscriptions(String queue);

    CompletableFuture<Void> deleteSubscription(String queue, String subscription);

    CompletableFuture<Void> seek(String queue, String subscription, SeekTarget target);

    CompletableFuture<SubscriptionStats> stats(String queue, String subscription);

    CompletableFuture<List<ProducedMessage>> produce(ProduceMessagesRequest request);

    default CompletableFuture<List<ProducedMessage>> produce(String queue, List<NewMessage> messages) {
        return produce(ProduceMessagesRequest.of(queue, messages));
    }

    CompletableFuture<List<ReceivedMessage>> receive(ReceiveMessagesRequest request);

    CompletableFuture<List<ReceiptResult>> ack(AckMessagesRequest request);

    CompletableFuture<List<ReceiptResult>> nack(NackMessagesRequest request);

    CompletableFuture<List<ReceiptResult>> changeVisibility(ChangeVisibilityRequest request);

    CompletableFuture<RedriveResult> redrive(String deadLetterQueue, RedriveRequest request);
}
