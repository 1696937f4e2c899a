package dev.shoal.storage;

import dev.shoal.storage.api.LogPage;
import dev.shoal.storage.api.NackEntry;
import dev.shoal.storage.api.PeekRequest;
import dev.shoal.storage.api.ProduceRequest;
import dev.shoal.storage.api.ProducedMessage;
import dev.shoal.storage.api.QueueDescription;
import dev.shoal.storage.api.QueueService;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.ReceiptResult;
import dev.shoal.storage.api.ReceiveRequest;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.api.RedriveRequest;
import dev.shoal.storage.api.RedriveResult;
import dev.shoal.storage.api.SeekTarget;
import dev.shoal.storage.api.SubscriptionDescription;
import dev.shoal.storage.api.SubscriptionSettings;
import dev.shoal.storage.api.VisibilityChange;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@link QueueService} whose every failure is one of Shoal's kinds: wraps a service (the engine)
 * and translates what escapes it with {@link StoreErrors#translate}, so that callers (the HTTP
 * API, the SDK's direct mode, the dispatcher) see the same {@code ServiceUnavailable} for a
 * throttled or failing store, never a raw AWS SDK exception. Shoal's own errors pass through
 * unchanged; an error the store should never give (a validation error: a bug) is left as it
 * is, so that it surfaces as an internal error.
 */
public final class ErrorBoundary implements QueueService {

    private final QueueService service;

    private ErrorBoundary(QueueService service) {
        this.service = service;
    }

    /** {@code service} behind the boundary (returned as is when it already is one). */
    public static QueueService around(QueueService service) {
        return service instanceof ErrorBoundary ? service : new ErrorBoundary(service);
    }

    private static <T> T call(String what, Supplier<T> call) {
        return StoreErrors.guard(what, call);
    }

    private static void run(String what, Runnable call) {
        StoreErrors.guard(what, call);
    }

    @Override
    public QueueDescription createQueue(String name, QueueSettings settings) {
        return call("the creation of queue '" + name + "'", () -> service.createQueue(name, settings));
    }

    @Override
    public QueueDescription updateQueue(String name, QueueSettings settings) {
        return call("the update of queue '" + name + "'", () -> service.updateQueue(name, settings));
    }

    @Override
    public QueueDescription describeQueue(String name) {
        return call("the description of queue '" + name + "'", () -> service.describeQueue(name));
    }

    @Override
    public List<String> listQueues(String prefix) {
        return call("the queue listing", () -> service.listQueues(prefix));
    }

    @Override
    public void deleteQueue(String name) {
        run("the deletion of queue '" + name + "'", () -> service.deleteQueue(name));
    }

    @Override
    public void purgeQueue(String name) {
        run("the purge of queue '" + name + "'", () -> service.purgeQueue(name));
    }

    @Override
    public SubscriptionDescription createSubscription(String queue, String name, SubscriptionSettings settings) {
        return call("the creation of subscription '" + name + "'", () -> service.createSubscription(queue, name, settings));
    }

    @Override
    public SubscriptionDescription updateSubscription(String queue, String name, SubscriptionSettings settings) {
        return call("the update of subscription '" + name + "'", () -> service.updateSubscription(queue, name, settings));
    }

    @Override
    public SubscriptionDescription describeSubscription(String queue, String name) {
        return call("the description of subscription '" + name + "'", () -> service.describeSubscription(queue, name));
    }

    @Override
    public List<SubscriptionDescription> listSubscriptions(String queue) {
        return call("the subscription listing of '" + queue + "'", () -> service.listSubscriptions(queue));
    }

    @Override
    public void deleteSubscription(String queue, String name) {
        run("the deletion of subscription '" + name + "'", () -> service.deleteSubscription(queue, name));
    }

    @Override
    public void seek(String queue, String subscription, SeekTarget target) {
        run("the seek of '" + queue + "/" + subscription + "'", () -> service.seek(queue, subscription, target));
    }

    @Override
    public List<ProducedMessage> produce(String queue, ProduceRequest request) {
        // a commit whose outcome is unknown is CommitStateUnknown already: what is left here wrote nothing
        return call("the produce to '" + queue + "'", () -> service.produce(queue, request));
    }

    @Override
    public List<ReceivedMessage> receive(String queue, String subscription, ReceiveRequest request) {
        return call("the receive from '" + queue + "/" + subscription + "'", () -> service.receive(queue, subscription, request));
    }

    @Override
    public List<ReceiptResult> ack(String queue, String subscription, List<String> receipts) {
        return call("the ack on '" + queue + "/" + subscription + "'", () -> service.ack(queue, subscription, receipts));
    }

    @Override
    public List<ReceiptResult> nack(String queue, String subscription, List<NackEntry> entries) {
        return call("the nack on '" + queue + "/" + subscription + "'", () -> service.nack(queue, subscription, entries));
    }

    @Override
    public List<ReceiptResult> changeVisibility(String queue, String subscription, List<VisibilityChange> changes) {
        return call("the visibility change on '" + queue + "/" + subscription + "'",
                () -> service.changeVisibility(queue, subscription, changes));
    }

    @Override
    public RedriveResult redrive(String deadLetterQueue, RedriveRequest request) {
        return call("the redrive of '" + deadLetterQueue + "'", () -> service.redrive(deadLetterQueue, request));
    }

    @Override
    public String queueId(String name) {
        return call("the lookup of '" + name + "'", () -> service.queueId(name));
    }

    @Override
    public QueueSettings queueSettings(String name) {
        return call("the lookup of '" + name + "'", () -> service.queueSettings(name));
    }

    @Override
    public LogPage peek(String queue, PeekRequest request) {
        return call("the peek at '" + queue + "'", () -> service.peek(queue, request));
    }
}
