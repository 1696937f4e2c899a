package dev.shoal.storage.dynamodb;

import dev.shoal.storage.QueueSettings;
import dev.shoal.storage.SubscriptionSettings;
import dev.shoal.storage.catalog.QueueCatalog.DeletedQueue;
import dev.shoal.storage.catalog.QueueRef;
import dev.shoal.storage.catalog.SubscriptionRef;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.shoal.storage.dynamodb.Items.*;
import static dev.shoal.storage.dynamodb.ShoalTables.STATE_SORT_KEY;

/**
 * The catalog's items in the state table: queues under the partition key {@code queues} (so
 * listing is one query) with the name as sort key, a queue's subscriptions under
 * {@code subs#<queueId>}, and deleted queues under {@code deleted-queues} by id for the janitor.
 * Settings attributes are {@link SettingsItems}'.
 */
public final class CatalogItems {

    public static final String QUEUES = "queues";
    public static final String DELETED_QUEUES = "deleted-queues";
    /** The attribute of a queue item holding its id: updates and deletes are conditional on it. */
    public static final String QUEUE_ID = "id";

    private CatalogItems() {
    }

    public static Map<String, AttributeValue> queueKey(String name) {
        return StateItems.key(QUEUES, name);
    }

    public static String subscriptionsKey(String queueId) {
        return "subs#" + queueId;
    }

    public static Map<String, AttributeValue> subscriptionKey(String queueId, String name) {
        return StateItems.key(subscriptionsKey(queueId), name);
    }

    public static Map<String, AttributeValue> deletedQueueKey(String queueId) {
        return StateItems.key(DELETED_QUEUES, queueId);
    }

    public static Map<String, AttributeValue> queue(String name, String id, QueueSettings settings, Instant createdAt) {
        Map<String, AttributeValue> item = new HashMap<>(SettingsItems.queue(settings));
        item.putAll(queueKey(name));
        item.put(QUEUE_ID, s(id));
        item.put("createdAt", n(createdAt.toEpochMilli()));
        return item;
    }

    public static String queueId(Map<String, AttributeValue> queueItem) {
        return str(queueItem, QUEUE_ID);
    }

    /** The queue a queue item holds, with its default subscription's settings read from that item. */
    public static QueueRef queue(String name, Map<String, AttributeValue> item, SubscriptionSettings defaultSubscription) {
        return new QueueRef(name, queueId(item), SettingsItems.queue(item, defaultSubscription),
                Instant.ofEpochMilli(num(item, "createdAt", 0)));
    }

    public static Map<String, AttributeValue> subscription(String queueId, String name, SubscriptionSettings settings,
                                                           Instant createdAt, Map<Integer, Long> startOffsets) {
        Map<String, AttributeValue> item = new HashMap<>(SettingsItems.subscription(settings));
        item.putAll(subscriptionKey(queueId, name));
        item.put("createdAt", n(createdAt.toEpochMilli()));
        if (!startOffsets.isEmpty()) {
            Map<String, AttributeValue> starts = new HashMap<>();
            startOffsets.forEach((p, o) -> starts.put(Integer.toString(p), n(o)));
            item.put("start", AttributeValue.fromM(starts));
        }
        return item;
    }

    public static SubscriptionSettings subscriptionSettings(Map<String, AttributeValue> item) {
        return SettingsItems.subscription(item);
    }

    public static SubscriptionRef subscription(QueueRef queue, Map<String, AttributeValue> item) {
        Map<Integer, Long> starts = new HashMap<>();
        AttributeValue startMap = item.get("start");
        if (startMap != null && startMap.hasM()) {
            startMap.m().forEach((p, v) -> starts.put(Integer.parseInt(p), Long.parseLong(v.n())));
        }
        return new SubscriptionRef(queue, str(item, STATE_SORT_KEY), SettingsItems.subscription(item),
                Instant.ofEpochMilli(num(item, "createdAt", 0)), starts);
    }

    public static Map<String, AttributeValue> deletedQueue(QueueRef queue, List<String> subscriptions, long deletedAtMillis) {
        Map<String, AttributeValue> item = new HashMap<>(deletedQueueKey(queue.id()));
        item.put("name", s(queue.name()));
        item.put("partitions", n(queue.partitions()));
        item.put("deletedAt", n(deletedAtMillis));
        item.put("subs", AttributeValue.fromL(subscriptions.stream().map(Items::s).toList()));
        return item;
    }

    public static DeletedQueue deletedQueue(Map<String, AttributeValue> item) {
        return new DeletedQueue(str(item, STATE_SORT_KEY), str(item, "name"), (int) num(item, "partitions", 1),
                item.containsKey("subs") ? item.get("subs").l().stream().map(AttributeValue::s).toList() : List.of());
    }
}
