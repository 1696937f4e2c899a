package dev.shoal.storage.log;

import dev.shoal.storage.catalog.QueueRef;
import dev.shoal.storage.dynamodb.JanitorItems;
import dev.shoal.storage.dynamodb.ShoalTables;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.HashMap;
import java.util.Map;

import static dev.shoal.storage.StoreErrors.guard;
import static dev.shoal.storage.dynamodb.Items.s;
import static dev.shoal.storage.dynamodb.ShoalTables.STATE_PARTITION_KEY;

/**
 * The janitor's checkpoints in the state table ({@link JanitorItems}). Written only by the
 * janitor, never on the produce or receive path. Passes that race each write a checkpoint that
 * keeps {@link LogCheckpoint}'s invariant, so the last writer winning is safe.
 */
public final class LogCheckpoints {

    private final DynamoDbClient dynamo;
    private final String table;

    public LogCheckpoints(DynamoDbClient dynamo, ShoalTables tables) {
        this.dynamo = dynamo;
        this.table = tables.stateTable();
    }

    /** The queue's checkpoints by partition, in one query; partitions never visited are absent. */
    public Map<Integer, LogCheckpoint> read(QueueRef queue) {
        Map<Integer, LogCheckpoint> out = new HashMap<>();
        guard("the read of the janitor's checkpoints of " + queue.name(), () -> dynamo.queryPaginator(b -> b.tableName(table)
                .keyConditionExpression(STATE_PARTITION_KEY + " = :pk")
                .expressionAttributeValues(Map.of(":pk", s(JanitorItems.partitionKey(queue.id())))))
                .items().forEach(item -> {
                    int p = JanitorItems.partitionOf(item);
                    if (p >= 0) out.put(p, JanitorItems.decode(item, queue.segmentPrefix(p)));
                }));
        return out;
    }

    /**
     * Replaces the partition's checkpoint. An update rather than a put: the janitor's role may
     * update and delete items but not put them (infra-cdk's AccessPolicies).
     */
    public void write(QueueRef queue, int partition, LogCheckpoint checkpoint) {
        JanitorItems.Replacement update = JanitorItems.replacement(
                JanitorItems.encode(queue.id(), partition, queue.segmentPrefix(partition), checkpoint));
        guard("the write of the janitor's checkpoint of " + queue.name(), () -> dynamo.updateItem(b -> b.tableName(table)
                .key(JanitorItems.key(queue.id(), partition)).updateExpression(update.expression())
                .expressionAttributeNames(update.names()).expressionAttributeValues(update.values())));
    }

    /** Deletes the checkpoint of a deleted queue's partition. */
    public void forget(String queueId, int partition) {
        guard("the deletion of the janitor's checkpoint of " + queueId,
                () -> dynamo.deleteItem(b -> b.tableName(table).key(JanitorItems.key(queueId, partition))));
    }
}
