package dev.shoal.storage.catalog;

import dev.shoal.storage.ConflictException;
import dev.shoal.storage.InvalidRequestException;
import dev.shoal.storage.Limits;
import dev.shoal.storage.NotFoundException;
import dev.shoal.storage.QueueSettings;
import dev.shoal.storage.StoreErrors;
import dev.shoal.storage.SubscriptionSettings;
import dev.shoal.storage.dynamodb.ShoalTables;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

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

import static dev.shoal.storage.dynamodb.Items.*;
import static dev.shoal.storage.dynamodb.ShoalTables.STATE_PARTITION_KEY;
import static dev.shoal.storage.dynamodb.ShoalTables.STATE_SORT_KEY;

/**
 * Queues and subscriptions, stored in the state table: queues under the partition key
 * {@code queues} (so listing is one query), a queue's subscriptions under {@code subs#<id>}.
 * Deleted queues leave a {@code deleted-queues} item for the janitor to clean up after.
 */
public final class QueueCatalog {

    static final String QUEUES = "queues";
    static final String DELETED = "deleted-queues";
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
        Map<String, AttributeValue> queueItem = new HashMap<>(SettingsCodec.queue(settings));
        queueItem.putAll(key(QUEUES, name));
        queueItem.put("id", s(id));
        queueItem.put("createdAt", n(now.toEpochMilli()));
        Map<String, AttributeValue> subItem = subscriptionItem(id, Limits.DEFAULT_SUBSCRIPTION, settings.defaultSubscription(), now, Map.of());
        try {
            dynamo.transactWriteItems(b -> b.transactItems(
                    putIfAbsent(queueItem), putIfAbsent(subItem)));
            return new QueueRef(name, id, settings, now);
        } catch (TransactionCanceledException e) {
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
        Map<String, AttributeValue> item = new HashMap<>(SettingsCodec.queue(settings));
        item.putAll(key(QUEUES, name));
        item.put("id", s(current.id()));
        item.put("createdAt", n(current.createdAt().toEpochMilli()));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item)
                    .conditionExpression("id = :id").expressionAttributeValues(Map.of(":id", s(current.id()))));
        } catch (ConditionalCheckFailedException e) {
            throw NotFoundException.queue(name);
        }
        updateSubscription(current, Limits.DEFAULT_SUBSCRIPTION, settings.defaultSubscription());
        return new QueueRef(name, current.id(), settings, current.createdAt());
    }

    public Optional<QueueRef> find(String name) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(QUEUES, name)).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        String id = str(item, "id");
        SubscriptionSettings defaults = findSubscriptionItem(id, Limits.DEFAULT_SUBSCRIPTION)
                .map(SettingsCodec::subscription).orElse(SubscriptionSettings.DEFAULT);
        return Optional.of(new QueueRef(name, id, SettingsCodec.queue(item, defaults), Instant.ofEpochMilli(num(item, "createdAt", 0))));
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
        Map<String, AttributeValue> marker = new HashMap<>(key(DELETED, queue.id()));
        marker.put("name", s(name));
        marker.put("partitions", n(queue.partitions()));
        marker.put("deletedAt", n(clock.millis()));
        marker.put("subs", AttributeValue.fromL(subs.stream().map(sub -> s(sub.name())).toList()));
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().delete(d -> d.tableName(table).key(key(QUEUES, name))
                .conditionExpression("id = :id").expressionAttributeValues(Map.of(":id", s(queue.id())))).build());
        writes.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(marker)).build());
        int inTransaction = Math.min(subs.size(), SUBSCRIPTIONS_IN_DELETE);
        for (SubscriptionRef sub : subs.subList(0, inTransaction)) {
            writes.add(TransactWriteItem.builder().delete(d -> d.tableName(table).key(key(subsKey(queue.id()), sub.name()))).build());
        }
        try {
            dynamo.transactWriteItems(b -> b.transactItems(writes));
        } catch (SdkException e) {
            if (StoreErrors.classify(e) == StoreErrors.Kind.CONDITION_FAILED) {
                throw NotFoundException.queue(name); // deleted by someone else meanwhile
            }
            throw StoreErrors.translate(e, "the deletion of queue '" + name + "'");
        }
        for (SubscriptionRef sub : subs.subList(inTransaction, subs.size())) {
            dynamo.deleteItem(b -> b.tableName(table).key(key(subsKey(queue.id()), sub.name())));
        }
    }

    /** A deleted queue whose data the janitor has not removed yet. */
    public record DeletedQueue(String id, String name, int partitions, List<String> subscriptions) {
    }

    public List<DeletedQueue> deletedQueues() {
        List<DeletedQueue> deleted = new ArrayList<>();
        dynamo.queryPaginator(b -> b.tableName(table).keyConditionExpression(STATE_PARTITION_KEY + " = :pk")
                        .expressionAttributeValues(Map.of(":pk", s(DELETED))))
                .items().forEach(item -> deleted.add(new DeletedQueue(str(item, STATE_SORT_KEY), str(item, "name"),
                        (int) num(item, "partitions", 1),
                        item.containsKey("subs") ? item.get("subs").l().stream().map(AttributeValue::s).toList() : List.of())));
        return deleted;
    }

    public void forgetDeletedQueue(String id) {
        dynamo.deleteItem(b -> b.tableName(table).key(key(DELETED, id)));
    }

    public SubscriptionRef createSubscription(QueueRef queue, String name, SubscriptionSettings settings, Map<Integer, Long> startOffsets) {
        Limits.checkSubscriptionName("name", name);
        Instant now = clock.instant();
        Map<String, AttributeValue> item = subscriptionItem(queue.id(), name, settings, now, startOffsets);
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(" + STATE_PARTITION_KEY + ")"));
            return new SubscriptionRef(queue, name, settings, now, startOffsets);
        } catch (ConditionalCheckFailedException e) {
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
        Map<String, AttributeValue> item = subscriptionItem(queue.id(), name, settings, current.createdAt(), current.startOffsets());
        dynamo.putItem(b -> b.tableName(table).item(item));
        return new SubscriptionRef(queue, name, settings, current.createdAt(), current.startOffsets());
    }

    public Optional<SubscriptionRef> findSubscription(QueueRef queue, String name) {
        return findSubscriptionItem(queue.id(), name).map(item -> subscription(queue, item));
    }

    public SubscriptionRef requireSubscription(QueueRef queue, String name) {
        return findSubscription(queue, name).orElseThrow(() -> NotFoundException.subscription(queue.name(), name));
    }

    public List<SubscriptionRef> subscriptions(QueueRef queue) {
        List<SubscriptionRef> subs = new ArrayList<>();
        dynamo.queryPaginator(b -> b.tableName(table).keyConditionExpression(STATE_PARTITION_KEY + " = :pk")
                        .expressionAttributeValues(Map.of(":pk", s(subsKey(queue.id())))).consistentRead(true))
                .items().forEach(item -> subs.add(subscription(queue, item)));
        return subs;
    }

    public void deleteSubscription(QueueRef queue, String name) {
        if (Limits.DEFAULT_SUBSCRIPTION.equals(name)) {
            throw new InvalidRequestException("subscription", "the default subscription cannot be deleted; delete the queue instead");
        }
        requireSubscription(queue, name);
        dynamo.deleteItem(b -> b.tableName(table).key(key(subsKey(queue.id()), name)));
    }

    private SubscriptionRef subscription(QueueRef queue, Map<String, AttributeValue> item) {
        Map<Integer, Long> starts = new HashMap<>();
        AttributeValue startMap = item.get("start");
        if (startMap != null && startMap.hasM()) {
            startMap.m().forEach((p, v) -> starts.put(Integer.parseInt(p), Long.parseLong(v.n())));
        }
        return new SubscriptionRef(queue, str(item, STATE_SORT_KEY), SettingsCodec.subscription(item),
                Instant.ofEpochMilli(num(item, "createdAt", 0)), starts);
    }

    private Optional<Map<String, AttributeValue>> findSubscriptionItem(String queueId, String name) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(subsKey(queueId), name)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    private Map<String, AttributeValue> subscriptionItem(String queueId, String name, SubscriptionSettings settings,
                                                         Instant createdAt, Map<Integer, Long> startOffsets) {
        Map<String, AttributeValue> item = new HashMap<>(SettingsCodec.subscription(settings));
        item.putAll(key(subsKey(queueId), name));
        item.put("createdAt", n(createdAt.toEpochMilli()));
        if (!startOffsets.isEmpty()) {
            Map<String, AttributeValue> starts = new HashMap<>();
            startOffsets.forEach((p, o) -> starts.put(Integer.toString(p), n(o)));
            item.put("start", AttributeValue.fromM(starts));
        }
        return item;
    }

    private TransactWriteItem putIfAbsent(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(" + STATE_PARTITION_KEY + ")").build()).build();
    }

    static String subsKey(String queueId) {
        return "subs#" + queueId;
    }

    static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(STATE_PARTITION_KEY, s(pk), STATE_SORT_KEY, s(sk));
    }
}
