package dev.shoal.storage.dynamodb;

import dev.shoal.storage.api.DeadLetterPolicy;
import dev.shoal.storage.api.DeduplicationScope;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.RetryPolicy;
import dev.shoal.storage.api.SubscriptionSettings;
import dev.shoal.storage.dynamodb.CatalogSchemas.DeletedQueueEntry;
import dev.shoal.storage.dynamodb.CatalogSchemas.QueueEntry;
import dev.shoal.storage.dynamodb.CatalogSchemas.SubscriptionEntry;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The catalog's items as the enhanced client stores them: same attributes as before, and old items read with the defaults of their time. */
class CatalogSchemasTest {

    private static final Instant CREATED = Instant.ofEpochMilli(1_700_000_000_123L);

    @Test
    void aQueueItemKeepsItsNameIdAndEverySetting() {
        QueueSettings settings = QueueSettings.builder().fifo(true).partitions(4).retention(Duration.ofHours(5))
                .deliveryDelay(Duration.ofSeconds(3)).contentBasedDeduplication(true).maxMessageBytes(2048)
                .batchWindow(Duration.ofMillis(7)).batchWindowMessages(3).deduplicationScope(DeduplicationScope.MESSAGE_GROUP)
                .faceAttributes(Map.of("Policy", "{}")).build();
        QueueEntry entry = new QueueEntry("orders.fifo", "0a1b2c", CREATED, settings);

        Map<String, AttributeValue> item = CatalogSchemas.QUEUE.itemToMap(entry, true);

        assertEquals("queues", item.get("pk").s());
        assertEquals("orders.fifo", item.get("sk").s());
        assertEquals("18000000", item.get("retentionMs").n());
        assertEquals(true, item.get("fifo").bool());
        assertEquals(entry, CatalogSchemas.QUEUE.mapToItem(item));
    }

    @Test
    void aQueueStoredWithoutRetentionOrNewerSettingsReadsAsKeptForeverWithTheOldDefaults() {
        Map<String, AttributeValue> item = new HashMap<>(CatalogSchemas.QUEUE.itemToMap(
                new QueueEntry("old", "ff", CREATED, QueueSettings.builder().retention(null).build()), true));
        item.remove("dedupScope");
        item.remove("throughputLimit");
        item.remove("batchWindowMs");
        item.remove("batchWindowMsgs");

        QueueSettings read = CatalogSchemas.QUEUE.mapToItem(item).settings();

        assertNull(read.retention());
        assertEquals(DeduplicationScope.QUEUE, read.deduplicationScope());
        assertEquals(QueueSettings.builder().build().batchWindow(), read.batchWindow());
        assertEquals(QueueSettings.builder().build().batchWindowMessages(), read.batchWindowMessages());
    }

    @Test
    void aSubscriptionItemKeepsItsQueueStartOffsetsAndPolicies() {
        SubscriptionSettings settings = SubscriptionSettings.builder().visibilityTimeout(Duration.ofSeconds(45))
                .retryPolicy(new RetryPolicy(Duration.ofMillis(250), 1.5, Duration.ofSeconds(9)))
                .deadLetter(new DeadLetterPolicy("dlq", 3)).build();
        SubscriptionEntry entry = new SubscriptionEntry("0a1b2c", "audit", CREATED, settings, Map.of(0, 12L, 3, 40L));

        Map<String, AttributeValue> item = CatalogSchemas.SUBSCRIPTION.itemToMap(entry, true);

        assertEquals("subs#0a1b2c", item.get("pk").s());
        assertEquals("40", item.get("start").m().get("3").n());
        assertEquals(entry, CatalogSchemas.SUBSCRIPTION.mapToItem(item));
    }

    @Test
    void aSubscriptionWithoutStartOffsetsStoresNoneAndReadsNone() {
        SubscriptionEntry entry = new SubscriptionEntry("q", "default", CREATED, SubscriptionSettings.DEFAULT, Map.of());

        Map<String, AttributeValue> item = CatalogSchemas.SUBSCRIPTION.itemToMap(entry, true);

        assertNull(item.get("start"));
        assertEquals(Map.of(), CatalogSchemas.SUBSCRIPTION.mapToItem(item).startOffsets());
    }

    @Test
    void aDeletedQueueMarkerNamesItsSubscriptionsForTheJanitor() {
        DeletedQueueEntry marker = new DeletedQueueEntry("0a1b2c", "orders", 2, List.of("default", "audit"), CREATED);

        Map<String, AttributeValue> item = CatalogSchemas.DELETED_QUEUE.itemToMap(marker, true);

        assertEquals("deleted-queues", item.get("pk").s());
        assertEquals("0a1b2c", item.get("sk").s());
        assertEquals(marker, CatalogSchemas.DELETED_QUEUE.mapToItem(item));
    }
}
