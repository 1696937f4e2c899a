package dev.shoal.storage.fifo;

import dev.shoal.storage.catalog.QueueRef;
import dev.shoal.storage.dynamodb.FifoItems;
import dev.shoal.storage.dynamodb.ShoalTables;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static dev.shoal.storage.dynamodb.Items.*;
import static dev.shoal.storage.dynamodb.ShoalTables.*;

/**
 * The idempotent producer: per (queue, partition, producer id) one item with the sequence
 * number of the producer's last committed batch and where that batch landed. A batch commits
 * only if its sequence is newer, in the same transaction as its segment: one check per batch,
 * not per message. A retried batch (same sequence) finds its own earlier commit and gets the
 * same ids back.
 */
public final class ProducerSequences {

    /** Producers idle this long are forgotten (TTL); their next batch starts a new history. */
    static final Duration IDLE_EXPIRY = Duration.ofDays(7);

    private final DynamoDbClient dynamo;
    private final String table;

    public ProducerSequences(DynamoDbClient dynamo, ShoalTables tables) {
        this.dynamo = dynamo;
        this.table = tables.stateTable();
    }

    /**
     * The producer's item when it already committed {@code sequence} or a later batch on the
     * partition. For batches whose duplicates are found before their commit's transaction (see
     * {@link ChainDeduplication}), so that the sequence is still checked first.
     */
    public Optional<Map<String, AttributeValue>> committedAtOrAfter(QueueRef queue, int partition, String producerId, long sequence) {
        var item = dynamo.getItem(b -> b.tableName(table).consistentRead(true).key(Map.of(
                STATE_PARTITION_KEY, s(FifoItems.producerSequences(queue.partitionKey(partition))), STATE_SORT_KEY, s(producerId)))).item();
        return item == null || item.isEmpty() || num(item, "seq", -1) < sequence ? Optional.empty() : Optional.of(item);
    }

    /** What the item says about the producer's last committed batch. */
    public record LastBatch(long sequence, long baseOffset, int count) {
        public static LastBatch of(Map<String, AttributeValue> item) {
            return new LastBatch(num(item, "seq", -1), num(item, "base", 0), (int) num(item, "count", 0));
        }
    }

    public TransactWriteItem guard(QueueRef queue, int partition, String producerId, long sequence, long base, int count, long nowMillis) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(STATE_PARTITION_KEY, s(FifoItems.producerSequences(queue.partitionKey(partition))));
        item.put(STATE_SORT_KEY, s(producerId));
        item.put("seq", n(sequence));
        item.put("base", n(base));
        item.put("count", n(count));
        item.put(STATE_TTL_ATTRIBUTE, n((nowMillis + IDLE_EXPIRY.toMillis()) / 1000));
        return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(" + STATE_PARTITION_KEY + ") OR seq < :seq")
                .expressionAttributeValues(Map.of(":seq", n(sequence)))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build()).build();
    }
}
