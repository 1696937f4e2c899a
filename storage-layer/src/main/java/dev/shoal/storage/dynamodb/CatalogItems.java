package dev.shoal.storage.dynamodb;

import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

/**
 * Keys of the catalog's items in the state table: queues under the partition key {@code queues}
 * (so listing is one query) with the name as sort key, a queue's subscriptions under
 * {@code subs#<queueId>}, and deleted queues under {@code deleted-queues} by id for the janitor.
 * The items themselves are {@link CatalogSchemas}'.
 */
public final class CatalogItems {

    public static final String QUEUES = "queues";
    public static final String DELETED_QUEUES = "deleted-queues";
    /** The attribute of a queue item holding its id: updates and deletes are conditional on it. */
    public static final String QUEUE_ID = "id";
    private static final String SUBSCRIPTIONS = "subs#";

    private CatalogItems() {
    }

    public static String subscriptionsKey(String queueId) {
        return SUBSCRIPTIONS + queueId;
    }

    /** The queue id a subscription item's partition key names. */
    static String queueIdOfSubscriptions(String partitionKey) {
        if (!partitionKey.startsWith(SUBSCRIPTIONS)) {
            throw new IllegalArgumentException("not a subscription partition key: " + partitionKey);
        }
        return partitionKey.substring(SUBSCRIPTIONS.length());
    }

    public static Key queue(String name) {
        return Key.builder().partitionValue(QUEUES).sortValue(name).build();
    }

    public static Key subscription(String queueId, String name) {
        return Key.builder().partitionValue(subscriptionsKey(queueId)).sortValue(name).build();
    }

    public static Key subscriptions(String queueId) {
        return Key.builder().partitionValue(subscriptionsKey(queueId)).build();
    }

    public static Key deletedQueue(String queueId) {
        return Key.builder().partitionValue(DELETED_QUEUES).sortValue(queueId).build();
    }

    /** A key as the low-level client takes it. */
    public static Map<String, AttributeValue> attributes(Key key) {
        return key.primaryKeyMap(CatalogSchemas.QUEUE);
    }
}
