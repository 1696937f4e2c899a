package dev.shoal.storage.catalog;

import dev.shoal.storage.ConflictException;
import dev.shoal.storage.InvalidRequestException;
import dev.shoal.storage.Limits;
import dev.shoal.storage.NotFoundException;
import dev.shoal.storage.QueueSettings;
import dev.shoal.storage.RetryableException;
import dev.shoal.storage.SubscriptionSettings;
import dev.shoal.storage.dynamodb.CatalogItems;
import dev.shoal.storage.dynamodb.ShoalTables;
import dev.shoal.storage.dynamodb.WriteOutcome;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static dev.shoal.storage.dynamodb.CatalogItems.*;
import static dev.shoal.storage.dynamodb.Items.*;
import static dev.shoal.storage.dynamodb.ShoalTables.STATE_PARTITION_KEY;
import static dev.shoal.storage.dynamodb.ShoalTables.STATE_SORT_KEY;

/**
 * Queues and subscriptions, stored in the state table ({@link CatalogItems} says how). Deleted
 * queues leave a marker item for the janitor to clean up after. Conditional writes come back
 * as a {@link WriteOutcome}: a lost race is an answer here (the queue exists already, or was
 * deleted meanwhile), never an exception that escapes.
 */
public final class QueueCatalog {

    /** A transaction takes 100 items: the queue, the marker, and this many subscriptions. */
    static final int SUBSCRIPTIONS_IN_DELETE = 98;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public QueueCatalog(DynamoDbClient dynamo, ShoalTables tables, Clock clock) {
        this.dynamo = dynamo;
        this.table = tables.stateTable();
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
        Map<String, AttributeValue> queueItem = CatalogItems.queue(name, id, settings, now);
        Map<String, AttributeValue> subItem = CatalogItems.subscription(id, Limits.DEFAULT_SUBSCRIPTION, settings.defaultSubscription(), now, Map.of());
        WriteOutcome<Void> created = write("the creation of queue '" + name + "'",
                () -> dynamo.transactWriteItems(b -> b.transactItems(putIfAbsent(queueItem), putIfAbsent(subItem))));
        if (created.landed()) {
            return new QueueRef(name, id, settings, now);
        } else {
            QueueRef existing = find(name).orElseThrow(() -> new ConflictException("QueueBeingCreated",
                    "queue '" + name + "' is being created or deleted concurrently; retry"));
            if (!existing.settings().equals(settings)) {
                throw new ConflictException("QueueAlreadyExists",
                        "queue '" + name + "' already exists with different settings; update it instead");
            }
            return existing;
        }
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
        Map<String, AttributeValue> item = CatalogItems.queue(name, current.id(), settings, current.createdAt());
        WriteOutcome<Void> updated = write("the update of queue '" + name + "'", () -> dynamo.putItem(b -> b.tableName(table).item(item)
                .conditionExpression(QUEUE_ID + " = :id").expressionAttributeValues(Map.of(":id", s(current.id())))));
        if (!updated.landed()) {
            throw NotFoundException.queue(name); // deleted, and perhaps created again, meanwhile
        }
        updateSubscription(current, Limits.DEFAULT_SUBSCRIPTION, settings.defaultSubscription());
        return new QueueRef(name, current.id(), settings, current.createdAt());
    }

    public Optional<QueueRef> find(String name) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(queueKey(name)).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        SubscriptionSettings defaults = findSubscriptionItem(queueId(item), Limits.DEFAULT_SUBSCRIPTION)
                .map(CatalogItems::subscriptionSettings).orElse(SubscriptionSettings.DEFAULT);
        return Optional.of(CatalogItems.queue(name, item, defaults));
    }

    public QueueRef require(String name) {
        return find(name).orElseThrow(() -> NotFoundException.queue(name));
    }

    public List<String> list(String prefix) {
        List<String> names = new ArrayList<>();
        QueryRequest.Builder query = QueryRequest.builder().tableName(table)
                .keyConditionExpression(STATE_PARTITION_KEY + " = :pk" + (prefix.isEmpty() ? "" : " AND begins_with(" + STATE_SORT_KEY + ", :prefix)"))
                .projectionExpression(STATE_SORT_KEY);
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", s(QUEUES)));
        if (!prefix.isEmpty()) values.put(":prefix", s(prefix));
        dynamo.queryPaginator(query.expressionAttributeValues(values).build())
                .items().forEach(item -> names.add(str(item, STATE_SORT_KEY)));
        return names;
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
        Map<String, AttributeValue> marker = deletedQueue(queue, subs.stream().map(SubscriptionRef::name).toList(), clock.millis());
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().delete(d -> d.tableName(table).key(queueKey(name))
                .conditionExpression(QUEUE_ID + " = :id").expressionAttributeValues(Map.of(":id", s(queue.id())))).build());
        writes.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(marker)).build());
        int inTransaction = Math.min(subs.size(), SUBSCRIPTIONS_IN_DELETE);
        for (SubscriptionRef sub : subs.subList(0, inTransaction)) {
            writes.add(TransactWriteItem.builder().delete(d -> d.tableName(table).key(subscriptionKey(queue.id(), sub.name()))).build());
        }
        String what = "the deletion of queue '" + name + "'";
        switch (write(what, () -> dynamo.transactWriteItems(b -> b.transactItems(writes)))) {
            case WriteOutcome.Written<Void> w -> { }
            case WriteOutcome.LostRace<Void> r -> throw NotFoundException.queue(name); // deleted by someone else meanwhile
            case WriteOutcome.Conflicted<Void> c -> throw new RetryableException("too much contention on " + what + "; retry", null);
        }
        for (SubscriptionRef sub : subs.subList(inTransaction, subs.size())) {
            dynamo.deleteItem(b -> b.tableName(table).key(subscriptionKey(queue.id(), sub.name())));
        }
    }

    /** A deleted queue whose data the janitor has not removed yet. */
    public record DeletedQueue(String id, String name, int partitions, List<String> subscriptions) {
    }

    public List<DeletedQueue> deletedQueues() {
        List<DeletedQueue> deleted = new ArrayList<>();
        dynamo.queryPaginator(b -> b.tableName(table).keyConditionExpression(STATE_PARTITION_KEY + " = :pk")
                        .expressionAttributeValues(Map.of(":pk", s(DELETED_QUEUES))))
                .items().forEach(item -> deleted.add(deletedQueue(item)));
        return deleted;
    }

    public void forgetDeletedQueue(String id) {
        dynamo.deleteItem(b -> b.tableName(table).key(deletedQueueKey(id)));
    }

    public SubscriptionRef createSubscription(QueueRef queue, String name, SubscriptionSettings settings, Map<Integer, Long> startOffsets) {
        Limits.checkSubscriptionName("name", name);
        Instant now = clock.instant();
        Map<String, AttributeValue> item = CatalogItems.subscription(queue.id(), name, settings, now, startOffsets);
        WriteOutcome<Void> created = write("the creation of subscription '" + name + "'", () -> dynamo.putItem(b -> b.tableName(table)
                .item(item).conditionExpression("attribute_not_exists(" + STATE_PARTITION_KEY + ")")));
        if (created.landed()) {
            return new SubscriptionRef(queue, name, settings, now, startOffsets);
        } else {
            SubscriptionRef existing = requireSubscription(queue, name);
            if (!existing.settings().equals(settings)) {
                throw new ConflictException("SubscriptionAlreadyExists",
                        "subscription '" + name + "' already exists with different settings; update it instead");
            }
            return existing;
        }
    }

    public SubscriptionRef updateSubscription(QueueRef queue, String name, SubscriptionSettings settings) {
        SubscriptionRef current = requireSubscription(queue, name);
        Map<String, AttributeValue> item = CatalogItems.subscription(queue.id(), name, settings, current.createdAt(), current.startOffsets());
        dynamo.putItem(b -> b.tableName(table).item(item));
        return new SubscriptionRef(queue, name, settings, current.createdAt(), current.startOffsets());
    }

    public Optional<SubscriptionRef> findSubscription(QueueRef queue, String name) {
        return findSubscriptionItem(queue.id(), name).map(item -> CatalogItems.subscription(queue, item));
    }

    public SubscriptionRef requireSubscription(QueueRef queue, String name) {
        return findSubscription(queue, name).orElseThrow(() -> NotFoundException.subscription(queue.name(), name));
    }

    public List<SubscriptionRef> subscriptions(QueueRef queue) {
        List<SubscriptionRef> subs = new ArrayList<>();
        dynamo.queryPaginator(b -> b.tableName(table).keyConditionExpression(STATE_PARTITION_KEY + " = :pk")
                        .expressionAttributeValues(Map.of(":pk", s(subscriptionsKey(queue.id())))).consistentRead(true))
                .items().forEach(item -> subs.add(CatalogItems.subscription(queue, item)));
        return subs;
    }

    public void deleteSubscription(QueueRef queue, String name) {
        if (Limits.DEFAULT_SUBSCRIPTION.equals(name)) {
            throw new InvalidRequestException("subscription", "the default subscription cannot be deleted; delete the queue instead");
        }
        requireSubscription(queue, name);
        dynamo.deleteItem(b -> b.tableName(table).key(subscriptionKey(queue.id(), name)));
    }

    private Optional<Map<String, AttributeValue>> findSubscriptionItem(String queueId, String name) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(subscriptionKey(queueId, name)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    private TransactWriteItem putIfAbsent(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(" + STATE_PARTITION_KEY + ")").build()).build();
    }

    /** Runs a conditional write; a lost race is its outcome, anything else leaves as Shoal's kind. */
    private static WriteOutcome<Void> write(String what, Supplier<?> call) {
        try {
            call.get();
            return WriteOutcome.written();
        } catch (SdkException e) {
            return WriteOutcome.ofFailure(e, what, item -> null);
        }
    }
}
