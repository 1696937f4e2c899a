package dev.shoal.storage.fifo;

import dev.shoal.storage.api.DeduplicationScope;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.MessageId;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.catalog.QueueRef;
import dev.shoal.storage.dynamodb.FifoItems;
import dev.shoal.storage.dynamodb.ShoalTables;
import dev.shoal.storage.log.CommitGuards;
import dev.shoal.storage.log.PartitionLog;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.HexFormat;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.Optional;

import static dev.shoal.storage.dynamodb.Items.*;
import static dev.shoal.storage.dynamodb.ShoalTables.*;

/**
 * FIFO deduplication. Where it can, against the partition's recent chain, with no write at all
 * ({@link ChainDeduplication}); elsewhere one item per deduplication id, written in the same transaction as the
 * segment that holds the message, on the condition that no unexpired item has that id. A
 * duplicate within the window finds the original's item and returns its id. The window is
 * measured from the original produce, and outlives the message's ack (as SQS's does). Ids are
 * unique per queue, or per message group under {@link DeduplicationScope#MESSAGE_GROUP}.
 */
public final class Deduplication {

    private final DynamoDbClient dynamo;
    private final String table;
    private final ChainDeduplication chain;
    private final PartitionLog log;

    public Deduplication(DynamoDbClient dynamo, ShoalTables tables, PartitionLog log, java.time.Clock clock) {
        this.dynamo = dynamo;
        this.log = log;
        this.table = tables.stateTable();
        this.chain = new ChainDeduplication(log, dynamo, tables, clock);
    }

    /** Whether a commit of the queue carries deduplication items (a transaction), or only the chain check (a plain put). */
    public boolean writesItems(QueueRef queue) {
        return !ChainDeduplication.applies(queue.settings());
    }

    /**
     * Before a batch's segment is written: the keys the partition's chain already holds, by index
     * (a retried send then costs no segment). Empty where the check is the items' (it happens in
     * the commit). Not the check that decides (that one is {@link #guardsAt}, for the offset the
     * commit is tried at): where this process knows where the chain likely ends (its own commits,
     * nobody else's seen), it checks up to there and reads no index item for it.
     */
    public NavigableMap<Integer, MessageId> committedBefore(QueueRef queue, int partition, List<String> keys, long nowMillis) {
        if (ChainDeduplication.applies(queue.settings())) {
            long upTo = log.index().likelyEnd(queue.partitionKey(partition)).orElse(Long.MAX_VALUE);
            return chain.committedBelow(queue, partition, keys, upTo, nowMillis);
        }
        return new TreeMap<>();
    }

    /**
     * A commit of this process landed at {@code base} with these keys and records (the j-th at
     * {@code base + j}): the chain check learns it without reading it back.
     */
    public void committed(QueueRef queue, int partition, long base, List<String> keys, List<Long> producedAt) {
        if (ChainDeduplication.applies(queue.settings())) {
            chain.committed(queue, partition, base, keys, producedAt);
        }
    }

    /**
     * What a commit attempt of the batch at {@code base} writes, the j-th key naming message
     * {@code base + j}: where {@link ChainDeduplication#applies}, the batch is checked against
     * the partition's chain below {@code base}, and refused (naming the duplicates) when any is
     * there, else written with {@code leading} alone; elsewhere {@code leading} and then one
     * conditional put per key, in the same order.
     */
    public CommitGuards<NavigableMap<Integer, MessageId>> guardsAt(QueueRef queue, int partition, List<String> keys, long base,
                                                                   long nowMillis, List<TransactWriteItem> leading) {
        List<TransactWriteItem> guards = new ArrayList<>(leading);
        if (ChainDeduplication.applies(queue.settings())) {
            NavigableMap<Integer, MessageId> found = chain.committedBelow(queue, partition, keys, base, nowMillis);
            return found.isEmpty() ? CommitGuards.write(guards) : CommitGuards.refuse(found);
        }
        for (int j = 0; j < keys.size(); j++) {
            guards.add(guard(queue, keys.get(j), new MessageId(partition, base + j), nowMillis));
        }
        return CommitGuards.write(guards);
    }

    /**
     * The key a message is deduplicated by on a queue: its deduplication id, else the SHA-256 of
     * its body; with {@link DeduplicationScope#MESSAGE_GROUP} prefixed by its group (length first,
     * so that no group and id pair can spell another's).
     */
    public static String keyOf(QueueSettings queue, NewMessage message) {
        return keyOf(queue, message.groupId(), message.dedupId(), message.bodyUnsafe());
    }

    /** As {@link #keyOf(QueueSettings, NewMessage)}, from a message's parts (a committed record's, too). */
    static String keyOf(QueueSettings queue, String groupId, String dedupId, byte[] body) {
        String key = keyOf(dedupId, body);
        if (queue.deduplicationScope() == DeduplicationScope.MESSAGE_GROUP) {
            return "group:" + groupId.length() + ":" + groupId + ":" + key;
        }
        return key;
    }

    /** The id a message is deduplicated by queue-wide: its deduplication id, else the SHA-256 of its body. */
    public static String keyOf(NewMessage message) {
        return keyOf(message.dedupId(), message.bodyUnsafe());
    }

    private static String keyOf(String dedupId, byte[] body) {
        if (dedupId != null) {
            return FifoItems.deduplicationSortKey(dedupId);
        }
        try {
            return FifoItems.contentSortKey(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The conditional put that claims {@code key} for message {@code id} until the window ends. */
    public TransactWriteItem guard(QueueRef queue, String key, MessageId id, long nowMillis) {
        long expires = nowMillis + Limits.DEDUP_WINDOW.toMillis();
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(STATE_PARTITION_KEY, s(partitionKey(queue)));
        item.put(STATE_SORT_KEY, s(key));
        item.put("msg", s(id.toString()));
        item.put("exp", n(expires));
        item.put(STATE_TTL_ATTRIBUTE, n(expires / 1000 + 1));
        return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(" + STATE_PARTITION_KEY + ") OR exp <= :now")
                .expressionAttributeValues(Map.of(":now", n(nowMillis)))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build()).build();
    }

    /** The original message's id from the item that made a guard fail (or read it, if DynamoDB did not return it). */
    public Optional<MessageId> original(QueueRef queue, String key, Map<String, AttributeValue> returned) {
        Map<String, AttributeValue> item = returned != null && returned.containsKey("msg") ? returned
                : dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                        .key(Map.of(STATE_PARTITION_KEY, s(partitionKey(queue)), STATE_SORT_KEY, s(key)))).item();
        return item == null || !item.containsKey("msg") ? Optional.empty() : Optional.of(MessageId.parse(str(item, "msg")));
    }

    /** Forgets every deduplication id of the queue (purge). */
    public void clear(QueueRef queue) {
        chain.forget(queue);
        dynamo.queryPaginator(b -> b.tableName(table).keyConditionExpression(STATE_PARTITION_KEY + " = :pk")
                        .expressionAttributeValues(Map.of(":pk", s(partitionKey(queue))))
                        .projectionExpression(STATE_PARTITION_KEY + ", " + STATE_SORT_KEY))
                .items().forEach(item -> dynamo.deleteItem(d -> d.tableName(table).key(item)));
    }

    private static String partitionKey(QueueRef queue) {
        return FifoItems.deduplicationIds(queue.id());
    }
}
