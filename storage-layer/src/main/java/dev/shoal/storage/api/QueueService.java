package dev.shoal.storage.api;

import java.util.List;

/**
 * Everything Shoal does, as one service: the HTTP API, the dispatcher and the SDK's direct
 * mode all call this. Implementations are thread-safe and keep no state between calls that
 * correctness depends on.
 *
 * <p>Errors: {@link InvalidRequestException} (fix the call; nothing was written),
 * {@link NotFoundException}, {@link ConflictException}, {@link RetryableException} (retry the
 * call) and {@link CommitStateUnknownException} (a produce may or may not have happened).
 */
public interface QueueService {

    /** Creates a queue with its default subscription. Creating it again with the same settings is a no-op; with other settings a ConflictException ("QueueAlreadyExists"). */
    QueueDescription createQueue(String name, QueueSettings settings);

    /** Changes a queue's settings; the number of partitions may grow on standard queues, never shrink. */
    QueueDescription updateQueue(String name, QueueSettings settings);

    QueueDescription describeQueue(String name);

    /**
     * The id of the queue's current incarnation: random, never reused, so a queue deleted and
     * created again under the same name has another. Cheap (no counts, usually no read): it may
     * name the previous incarnation for a moment after a delete and re-create made elsewhere.
     * Faces derive identifiers from it that must differ between queues and incarnations.
     * The default, for services that only see descriptions, is the name and creation time.
     */
    default String queueId(String name) {
        QueueDescription d = describeQueue(name);
        return d.name() + "@" + (d.createdAt() == null ? 0 : d.createdAt().toEpochMilli());
    }

    /** The queue's settings, as cheaply as {@link #queueId}: no counts, usually no read. */
    default QueueSettings queueSettings(String name) {
        return describeQueue(name).settings();
    }

    /** Queue names in name order, those starting with {@code prefix} (may be empty). */
    List<String> listQueues(String prefix);

    /** Deletes the queue, its subscriptions and (by the janitor, later) its segments. */
    void deleteQueue(String name);

    /** Drops every message currently in the queue for every subscription, and the deduplication window. */
    void purgeQueue(String name);

    SubscriptionDescription createSubscription(String queue, String name, SubscriptionSettings settings);

    SubscriptionDescription updateSubscription(String queue, String name, SubscriptionSettings settings);

    SubscriptionDescription describeSubscription(String queue, String name);

    List<SubscriptionDescription> listSubscriptions(String queue);

    /** Deletes a subscription; the default subscription cannot be deleted. */
    void deleteSubscription(String queue, String name);

    /** Moves a subscription to a point in the retained log; messages in flight are released. */
    void seek(String queue, String subscription, SeekTarget target);

    /** Produces a batch; acknowledged only after it is committed. Results are in request order. */
    List<ProducedMessage> produce(String queue, ProduceRequest request);

    default List<ProducedMessage> produce(String queue, List<NewMessage> messages) {
        return produce(queue, ProduceRequest.of(messages));
    }

    List<ReceivedMessage> receive(String queue, String subscription, ReceiveRequest request);

    List<ReceiptResult> ack(String queue, String subscription, List<String> receipts);

    List<ReceiptResult> nack(String queue, String subscription, List<NackEntry> entries);

    List<ReceiptResult> changeVisibility(String queue, String subscription, List<VisibilityChange> changes);

    RedriveResult redrive(String deadLetterQueue, RedriveRequest request);

    /**
     * Looks at retained messages of one partition without leasing them or moving any subscription
     * (acked messages included: this reads the log, as a replay would).
     *
     * @throws NotFoundException       the queue does not exist
     * @throws InvalidRequestException the partition is not one of the queue's
     */
    default LogPage peek(String queue, PeekRequest request) {
        throw new UnsupportedOperationException("peek");
    }
}
