package dev.shoal.client.internal;

import dev.shoal.client.AckMessagesRequest;
import dev.shoal.client.ChangeVisibilityRequest;
import dev.shoal.client.ClientClosedException;
import dev.shoal.client.NackMessagesRequest;
import dev.shoal.client.ProduceMessagesRequest;
import dev.shoal.client.ReceiveMessagesRequest;
import dev.shoal.client.RetryOptions;
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
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The client: each operation is one transport call through {@link Calls} (retries, metrics).
 * Counts for the metrics' sent/received/acked hooks are taken here, once for both transports.
 */
public final class DefaultShoalClient implements ShoalClient {

    private final Transport transport;
    private final Calls calls;
    private final ExecutorService executor;
    private final AtomicBoolean closed;
    private final ShoalAsyncClient async;
    private final boolean owner;
    private final List<AutoCloseable> resources;

    public DefaultShoalClient(Transport transport, Calls calls, List<AutoCloseable> resources) {
        this(transport, calls, Executors.newVirtualThreadPerTaskExecutor(), new AtomicBoolean(), true, resources);
    }

    private DefaultShoalClient(Transport transport, Calls calls, ExecutorService executor, AtomicBoolean closed, boolean owner,
                               List<AutoCloseable> resources) {
        this.transport = transport;
        this.calls = calls;
        this.executor = executor;
        this.closed = closed;
        this.owner = owner;
        this.resources = resources;
        this.async = new DefaultShoalAsyncClient(this, executor);
    }

    /**
     * The same client without retries, for callers that retry themselves (the producer, whose
     * retries are bounded by its delivery timeout): each failure is retried in one layer only.
     */
    public DefaultShoalClient withoutRetries() {
        return new DefaultShoalClient(transport, calls.withRetry(RetryOptions.none()), executor, closed, false, resources);
    }

    public Calls calls() {
        return calls;
    }

    public String transportDescription() {
        return transport.description();
    }

    private <T> T call(String operation, String queue, boolean idempotent, Supplier<T> call) {
        if (closed.get()) {
            throw new ClientClosedException("this ShoalClient is closed");
        }
        return calls.call(operation, queue, idempotent, call);
    }

    private void run(String operation, String queue, Runnable call) {
        call(operation, queue, true, () -> {
            call.run();
            return null;
        });
    }

    @Override
    public QueueDescription createQueue(String queue, QueueSettings settings) {
        Objects.requireNonNull(settings, "settings");
        return call("createQueue", queue, true, () -> transport.createQueue(queue, settings));
    }

    @Override
    public QueueDescription updateQueue(String queue, QueueSettings settings) {
        Objects.requireNonNull(settings, "settings");
        return call("updateQueue", queue, true, () -> transport.updateQueue(queue, settings));
    }

    @Override
    public QueueDescription describeQueue(String queue) {
        return call("describeQueue", queue, true, () -> transport.describeQueue(queue));
    }

    @Override
    public List<String> listQueues(String prefix) {
        return call("listQueues", null, true, () -> transport.listQueues(prefix == null ? "" : prefix));
    }

    @Override
    public void deleteQueue(String queue) {
        run("deleteQueue", queue, () -> transport.deleteQueue(queue));
    }

    @Override
    public void purgeQueue(String queue) {
        run("purgeQueue", queue, () -> transport.purgeQueue(queue));
    }

    @Override
    public SubscriptionDescription createSubscription(String queue, String subscription, SubscriptionSettings settings) {
        Objects.requireNonNull(settings, "settings");
        return call("createSubscription", queue, true, () -> transport.createSubscription(queue, subscription, settings));
    }

    @Override
    public SubscriptionDescription updateSubscription(String queue, String subscription, SubscriptionSettings settings) {
        Objects.requireNonNull(settings, "settings");
        return call("updateSubscription", queue, true, () -> transport.updateSubscription(queue, subscription, settings));
    }

    @Override
    public SubscriptionDescription describeSubscription(String queue, String subscription) {
        return call("describeSubscription", queue, true, () -> transport.describeSubscription(queue, subscription));
    }

    @Override
    public List<SubscriptionDescription> listSubscriptions(String queue) {
        return call("listSubscriptions", queue, true, () -> transport.listSubscriptions(queue));
    }

    @Override
    public void deleteSubscription(String queue, String subscription) {
        run("deleteSubscription", queue, () -> transport.deleteSubscription(queue, subscription));
    }

    @Override
    public void seek(String queue, String subscription, SeekTarget target) {
        Objects.requireNonNull(target, "target");
        run("seek", queue, () -> transport.seek(queue, subscription, target));
    }

    @Override
    public SubscriptionStats stats(String queue, String subscription) {
        return call("stats", queue, true, () -> transport.describeSubscription(queue, subscription).stats());
    }

    @Override
    public List<ProducedMessage> produce(ProduceMessagesRequest request) {
        List<ProducedMessage> produced = call("produce", request.queue(), request.idempotent(),
                () -> transport.produce(request.queue(), request.toProduceRequest()));
        long bytes = request.messages().stream().mapToLong(m -> m.bodyUnsafe().length).sum();
        calls.metrics().sent(request.queue(), produced.size(), bytes);
        return produced;
    }

    @Override
    public List<ReceivedMessage> receive(ReceiveMessagesRequest request) {
        // a lost answer leaves its messages leased until their visibility ends: nothing is lost, so a retry is safe
        List<ReceivedMessage> received = call("receive", request.queue(), true,
                () -> transport.receive(request.queue(), request.subscription(), request.toReceiveRequest()));
        if (!received.isEmpty()) {
            calls.metrics().received(request.queue(), request.subscription(), received.size());
        }
        return received;
    }

    @Override
    public List<ReceiptResult> ack(AckMessagesRequest request) {
        List<ReceiptResult> results = call("ack", request.queue(), true,
                () -> transport.ack(request.queue(), request.subscription(), request.receipts()));
        int acked = (int) results.stream().filter(ReceiptResult::succeeded).count();
        if (acked > 0) {
            calls.metrics().acked(request.queue(), request.subscription(), acked);
        }
        return results;
    }

    @Override
    public List<ReceiptResult> nack(NackMessagesRequest request) {
        return call("nack", request.queue(), true, () -> transport.nack(request.queue(), request.subscription(), request.entries()));
    }

    @Override
    public List<ReceiptResult> changeVisibility(ChangeVisibilityRequest request) {
        return call("visibility", request.queue(), true,
                () -> transport.changeVisibility(request.queue(), request.subscription(), request.changes()));
    }

    @Override
    public RedriveResult redrive(String deadLetterQueue, RedriveRequest request) {
        Objects.requireNonNull(request, "request");
        return call("redrive", deadLetterQueue, true, () -> transport.redrive(deadLetterQueue, request));
    }

    @Override
    public ShoalAsyncClient async() {
        return async;
    }

    @Override
    public void close() {
        if (!owner || !closed.compareAndSet(false, true)) {
            return;
        }
        executor.shutdown();
        transport.close();
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(DefaultShoalClient.class).warn("while closing: {}", e.toString());
            }
        }
    }
}
