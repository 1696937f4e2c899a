package dev.shoal.storage.catalog;

import dev.shoal.storage.api.ConflictException;
import dev.shoal.storage.api.InvalidRequestException;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.NotFoundException;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.RetryableException;
import dev.shoal.storage.api.SubscriptionSettings;
import dev.shoal.storage.dynamodb.CatalogItems;
import dev.shoal.storage.dynamodb.CatalogSchemas.DeletedQueueEntry;
import dev.shoal.storage.dynamodb.CatalogSchemas.QueueEntry;
import dev.shoal.storage.dynamodb.CatalogSchemas.SubscriptionEntry;
import dev.shoal.storage.dynamodb.CatalogSchemas;
import dev.shoal.storage.dynamodb.ShoalTables;
import dev.shoal.storage.dynamodb.WriteOutcome;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactDeleteItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.shoal.storage.dynamodb.ShoalTables.STATE_PARTITION_KEY;
import static dev.shoal.storage.dynamodb.ShoalTables.STATE_SORT_KEY;

/**
 * Queues and subscriptions, stored in the state table ({@link CatalogItems} keys,
 * {@link CatalogSchemas} items) through the enhanced client: the catalog is cold, typed data,
 * read once per queue and cached. Deleted queues leave a marker item for the janitor to clean up
 * after. Conditional writes come back as a {@link WriteOutcome}: a lost race is an answer here
 * (the queue exists already, or was deleted meanwhile), never an exception that escapes.
 */
public final class QueueCatalog {

    /** A transaction takes 100 items: the queue, the marker, and this many subscriptions. */
    static final int SUBSCRIPTIONS_IN_DELETE = 98;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Expression ABSENT = Expression.builder().expression("attribute_not_exists(" + STATE_PARTITION_KEY + ")").build();

    private final DynamoDbEnhancedClient enhanced;
    private final DynamoDbTable<QueueEntry> queues;
    private final DynamoDbTable<SubscriptionEntry> subscriptions;
    private final DynamoDbTable<DeletedQueueEntry> deleted;
    private final Clock clock;

    public QueueCatalog(DynamoDbClient dynamo, ShoalTables tables, Clock clock) {
        this.enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build();
        this.queues = enhanced.table(tables.stateTable(), CatalogSchemas.QUEUE);
        this.subscriptions = enhanced.table(tables.stateTable(), CatalogSchemas.SUBSCRIPTION);
        this.deleted = enhanced.table(tables.stateTable(), CatalogSchemas.DELETED_QUEUE);
        this.clock = clock;
    }

    /**
     * Creates a queue and its default subscription in one transaction. Creating an existing
     * queue with the same settings returns it; with other settings it is a conflict.
     */
    public QueueRef create(String name, QueueSettings settings) {
        Limits.checkQueueName("name", name, settings.fifo());
        Instant now = clock.instant();
        String id = HexFormat.of().formatHex(randomBytes());
        QueueEntry queue = new QueueEntry(name, id, now, settings);
        SubscriptionEntry defaults = new SubscriptionEntry(id, Limits.DEFAULT_SUBSCRIPTION, now, settings.defaultSubscription(), Map.of());
        WriteOutcome<Void> created = write("the creation of queue '" + name + "'", () -> enhanced.transactWriteItems(
                TransactWriteItemsEnhancedRequest.builder()
                        .addPutItem(queues, TransactPutItemEnhancedRequest.builder(QueueEntry.class).item(queue).conditionExpression(ABSENT).build())
                        .addPutItem(subscriptions, TransactPutItemEnhancedRequest.builder(SubscriptionEntry.class).item(defaults)
                                .conditionExpression(ABSENT).build())
                        .build()));
        if (created.landed()) {
            return new QueueRef(name, id, settings, now);
        }
        QueueRef existing = find(name).orElseThrow(() -> new ConflictException("QueueBeingCreated",
                "queue '" + name + "' is being created or deleted concurrently; retry"));
        if (!existing.settings().equals(settings)) {
            throw new ConflictException("QueueAlreadyExists",
                    "queue '" + name + "' already exists with different settings; update it instead");
        }
        return existing;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** Changes settings. FIFO-ness cannot change; partitions may grow on standard queues only. */
    public QueueRef update(String name, QueueSettings settings) {
        QueueRef current = require(name);
        QueueSettings old = current.settings();
        if (old.fifo() != settings.fifo()) {
            throw new InvalidRequestException("fifo", "cannot change after creation (was " + old.fifo() + ")");
        }
        if (settings.partitions() < old.partitions()) {
            throw new InvalidRequestException("partitions", "may only grow, from " + old.partitions() + " to at most " + Limits.MAX_PARTITIONS);
        }
        if (old.fifo() && settings.partitions() != old.partitions()) {
            throw new InvalidRequestException("partitions", "cannot change on a FIFO queue: groups are placed by hash (was " + old.partitions() + ")");
        }
        QueueEntry entry = new QueueEntry(name, current.id(), current.createdAt(), settings);
        WriteOutcome<Void> updated = write("the update of queue '" + name + "'", () -> queues.putItem(
                PutItemEnhancedRequest.builder(QueueEntry.class).item(entry).conditionExpression(sameIncarnation(current.id())).build()));
        if (!updated.landed()) {
            throw NotFoundException.queue(name); // deleted, and perhaps created again, meanwhile
        }
        updateSubscription(current, Limits.DEFAULT_SUBSCRIPTION, settings.defaultSubscription());
        return new QueueRef(name, current.id(), settings, current.createdAt());
    }

    public Optional<QueueRef> find(String name) {
        QueueEntry entry = queues.getItem(r -> r.key(CatalogItems.queue(name)).consistentRead(true));
        if (entry == null) {
            return Optional.empty();
        }
        SubscriptionSettings defaults = findSubscriptionEntry(entry.id(), Limits.DEFAULT_SUBSCRIPTION)
                .map(SubscriptionEntry::settings).orElse(SubscriptionSettings.DEFAULT);
        return Optional.of(new QueueRef(name, entry.id(), entry.settings().toBuilder().defaultSubscription(defaults).build(),
                entry.createdAt()));
    }

    public QueueRef require(String name) {
        return find(name).orElseThrow(() -> NotFoundException.queue(name));
    }

    public List<String> list(String prefix) {
        QueryConditional names = prefix.isEmpty()
                ? QueryConditional.keyEqualTo(Key.builder().partitionValue(CatalogItems.QUEUES).build())
                : QueryConditional.sortBeginsWith(CatalogItems.queue(prefix));
        List<String> out = new ArrayList<>();
        queues.query(r -> r.queryConditional(names).attributesToProject(STATE_SORT_KEY)).items().forEach(e -> out.add(e.name()));
        return out;
    }

    /**
     * Removes the queue and its subscriptions from the catalog in one transaction (the queue
     * item, the default subscription, the deletion marker for the janitor, and up to
     * {@value #SUBSCRIPTIONS_IN_DELETE} other subscriptions), so no crash can leave a queue
     * without its default subscription. Subscriptions beyond that are deleted after it: the
     * queue is already gone then, and the marker names them for the janitor.
     *
     * @throws NotFoundException when the queue does not exist, or was deleted (and perhaps
     *         created again) concurrently
     */
    public void delete(String name) {
        QueueRef queue = require(name);
        List<SubscriptionRef> subs = new ArrayList<>(subscriptions(queue));
        subs.sort(Comparator.comparing((SubscriptionRef sub) -> !Limits.DEFAULT_SUBSCRIPTION.equals(sub.name())));
        DeletedQueueEntry marker = new DeletedQueueEntry(queue.id(), name, queue.partitions(),
                subs.stream().map(SubscriptionRef::name).toList(), clock.instant());
        TransactWriteItemsEnhancedRequest.Builder writes = TransactWriteItemsEnhancedRequest.builder()
                .addDeleteItem(queues, TransactDeleteItemEnhancedRequest.builder().key(CatalogItems.queue(name))
                        .conditionExpression(sameIncarnation(queue.id())).build())
                .addPutItem(deleted, marker);
        int inTransaction = Math.min(subs.size(), SUBSCRIPTIONS_IN_DELETE);
        for (SubscriptionRef sub : subs.subList(0, inTransaction)) {
            writes.addDeleteItem(subscriptions, CatalogItems.subscription(queue.id(), sub.name()));
        }
        String what = "the deletion of queue '" + name + "'";
        switch (write(what, () -> enhanced.transactWriteItems(writes.build()))) {
            case WriteOutcome.Written<Void> w -> { }
            case WriteOutcome.LostRace<Void> r -> throw NotFoundException.queue(name); // deleted by someone else meanwhile
            case WriteOutcome.Conflicted<Void> c -> throw new RetryableException("too much contention on " + what + "; retry", null);
        }
        for (SubscriptionRef sub : subs.subList(inTransaction, subs.size())) {
            subscriptions.deleteItem(CatalogItems.subscription(queue.id(), sub.name()));
        }
    }

    /** A deleted queue whose data the janitor has not removed yet. */
    public record DeletedQueue(String id, String name, int partitions, List<String> subscriptions) {
    }

    public List<DeletedQueue> deletedQueues() {
        List<DeletedQueue> out = new ArrayList<>();
        deleted.query(r -> r.queryConditional(QueryConditional.keyEqualTo(Key.builder().partitionValue(CatalogItems.DELETED_QUEUES).build())))
                .items().forEach(e -> out.add(new DeletedQueue(e.id(), e.name(), e.partitions(), e.subscriptions())));
        return out;
    }

    public void forgetDeletedQueue(String id) {
        deleted.deleteItem(CatalogItems.deletedQueue(id));
    }

    public SubscriptionRef createSubscription(QueueRef queue, String name, SubscriptionSettings settings, Map<Integer, Long> startOffsets) {
        Limits.checkSubscriptionName("name", name);
        Instant now = clock.instant();
        SubscriptionEntry entry = new SubscriptionEntry(queue.id(), name, now, settings, startOffsets);
        WriteOutcome<Void> created = write("the creation of subscription '" + name + "'", () -> subscriptions.putItem(
                PutItemEnhancedRequest.builder(SubscriptionEntry.class).item(entry).conditionExpression(ABSENT).build()));
        if (created.landed()) {
            return new SubscriptionRef(queue, name, settings, now, startOffsets);
        }
        SubscriptionRef existing = requireSubscription(queue, name);
        if (!existing.settings().equals(settings)) {
            throw new ConflictException("SubscriptionAlreadyExists",
                    "subscription '" + name + "' already exists with different settings; update it instead");
        }
        return existing;
    }

    public SubscriptionRef updateSubscription(QueueRef queue, String name, SubscriptionSettings settings) {
        SubscriptionRef current = requireSubscription(queue, name);
        subscriptions.putItem(new SubscriptionEntry(queue.id(), name, current.createdAt(), settings, current.startOffsets()));
        return new SubscriptionRef(queue, name, settings, current.createdAt(), current.startOffsets());
    }

    public Optional<SubscriptionRef> findSubscription(QueueRef queue, String name) {
        return findSubscriptionEntry(queue.id(), name).map(e -> subscription(queue, e));
    }

    public SubscriptionRef requireSubscription(QueueRef queue, String name) {
        return findSubscription(queue, name).orElseThrow(() -> NotFoundException.subscription(queue.name(), name));
    }

    public List<SubscriptionRef> subscriptions(QueueRef queue) {
        List<SubscriptionRef> subs = new ArrayList<>();
        subscriptions.query(r -> r.queryConditional(QueryConditional.keyEqualTo(CatalogItems.subscriptions(queue.id()))).consistentRead(true))
                .items().forEach(e -> subs.add(subscription(queue, e)));
        return subs;
    }

    public void deleteSubscription(QueueRef queue, String name) {
        if (Limits.DEFAULT_SUBSCRIPTION.equals(name)) {
            throw new InvalidRequestException("subscription", "the default subscription cannot be deleted; delete the queue instead");
        }
        requireSubscription(queue, name);
        subscriptions.deleteItem(CatalogItems.subscription(queue.id(), name));
    }

    private static SubscriptionRef subscription(QueueRef queue, SubscriptionEntry e) {
        return new SubscriptionRef(queue, e.name(), e.settings(), e.createdAt(), e.startOffsets());
    }

    private Optional<SubscriptionEntry> findSubscriptionEntry(String queueId, String name) {
        return Optional.ofNullable(subscriptions.getItem(r -> r.key(CatalogItems.subscription(queueId, name)).consistentRead(true)));
    }

    /** The condition that the queue item is still the incarnation read (not deleted, nor created again). */
    private static Expression sameIncarnation(String id) {
        return Expression.builder().expression(CatalogItems.QUEUE_ID + " = :id")
                .expressionValues(Map.of(":id", AttributeValue.fromS(id))).build();
    }

    /** Runs a conditional write; a lost race is its outcome, anything else leaves as Shoal's kind. */
    private static WriteOutcome<Void> write(String what, Runnable call) {
        try {
            call.run();
            return WriteOutcome.written();
        } catch (SdkException e) {
            return WriteOutcome.ofFailure(e, what, item -> null);
        }
    }
}
