package dev.shoal.client.internal;

import dev.shoal.client.AckMessagesRequest;
import dev.shoal.client.ChangeVisibilityRequest;
import dev.shoal.client.NackMessagesRequest;
import dev.shoal.client.ProduceMessagesRequest;
import dev.shoal.client.ReceiveMessagesRequest;
import dev.shoal.client.ShoalAsyncClient;
import dev.shoal.client.ShoalClient;
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
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The async face: each call is the synchronous one on a virtual thread. One code path for both
 * faces and both transports (signing, retries, error mapping are written once), and a blocked
 * virtual thread costs a few hundred bytes, so nothing is gained by a second, callback-based
 * implementation of the HTTP calls.
 */
final class DefaultShoalAsyncClient implements ShoalAsyncClient {

    private final ShoalClient sync;
    private final Executor executor;

    DefaultShoalAsyncClient(ShoalClient sync, Executor executor) {
        this.sync = sync;
        this.executor = executor;
    }

    private <T> CompletableFuture<T> async(Supplier<T> call) {
        try {
            return CompletableFuture.supplyAsync(call, executor);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("this ShoalClient is closed", e));
        }
    }

    private CompletableFuture<Void> async(Runnable call) {
        return async(() -> {
            call.run();
            return null;
        });
    }

    @Override
    public CompletableFuture<QueueDescription> createQueue(String queue, QueueSettings settings) {
        return async(() -> sync.createQueue(queue, settings));
    }

    @Override
    public CompletableFuture<QueueDescription> updateQueue(String queue, QueueSettings settings) {
        return async(() -> sync.updateQueue(queue, settings));
    }

    @Override
    public CompletableFuture<QueueDescription> describeQueue(String queue) {
        return async(() -> sync.describeQueue(queue));
    }

    @Override
    public CompletableFuture<List<String>> listQueues(String prefix) {
        return async(() -> sync.listQueues(prefix));
    }

    @Override
    public CompletableFuture<Void> deleteQueue(String queue) {
        return async(() -> sync.deleteQueue(queue));
    }

    @Override
    public CompletableFuture<Void> purgeQueue(String queue) {
        return async(() -> sync.purgeQueue(queue));
    }

    @Override
    public CompletableFuture<SubscriptionDescription> createSubscription(String queue, String subscription, SubscriptionSettings settings) {
        return async(() -> sync.createSubscription(queue, subscription, settings));
    }

    @Override
    public CompletableFuture<SubscriptionDescription> updateSubscription(String queue, String subscription, SubscriptionSettings settings) {
        return async(() -> sync.updateSubscription(queue, subscription, settings));
    }

    @Override
    public CompletableFuture<SubscriptionDescription> describeSubscription(String queue, String subscription) {
        return async(() -> sync.describeSubscription(queue, subscription));
    }

    @Override
    public CompletableFuture<List<SubscriptionDescription>> listSubscriptions(String queue) {
        return async(() -> sync.listSubscriptions(queue));
    }

    @Override
    public CompletableFuture<Void> deleteSubscription(String queue, String subscription) {
        return async(() -> sync.deleteSubscription(queue, subscription));
    }

    @Override
    public CompletableFuture<Void> seek(String queue, String subscription, SeekTarget target) {
        return async(() -> sync.seek(queue, subscription, target));
    }

    @Override
    public CompletableFuture<SubscriptionStats> stats(String queue, String subscription) {
        return async(() -> sync.stats(queue, subscription));
    }

    @Override
    public CompletableFuture<List<ProducedMessage>> produce(ProduceMessagesRequest request) {
        return async(() -> sync.produce(request));
    }

    @Override
    public CompletableFuture<List<ReceivedMessage>> receive(ReceiveMessagesRequest request) {
        return async(() -> sync.receive(request));
    }

    @Override
    public CompletableFuture<List<ReceiptResult>> ack(AckMessagesRequest request) {
        return async(() -> sync.ack(request));
    }

    @Override
    public CompletableFuture<List<ReceiptResult>> nack(NackMessagesRequest request) {
        return async(() -> sync.nack(request));
    }

    @Override
    public CompletableFuture<List<ReceiptResult>> changeVisibility(ChangeVisibilityRequest request) {
        return async(() -> sync.changeVisibility(request));
    }

    @Override
    public CompletableFuture<RedriveResult> redrive(String deadLetterQueue, RedriveRequest request) {
        return async(() -> sync.redrive(deadLetterQueue, request));
    }
}
