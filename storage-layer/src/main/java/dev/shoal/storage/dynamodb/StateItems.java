package dev.shoal.storage.dynamodb;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.List;
import java.util.Map;

import static dev.shoal.storage.dynamodb.Items.s;
import static dev.shoal.storage.dynamodb.ShoalTables.STATE_PARTITION_KEY;
import static dev.shoal.storage.dynamodb.ShoalTables.STATE_SORT_KEY;

/**
 * Keys of a subscription's consumer state in the state table. A subscription-partition's
 * items share one partition key ({@code <queueId>#<sub>#<partition>}); its chunks sort by
 * generation and start ({@code c#<gen>#<start>}, zero-padded so that string order is number
 * order) and the cursor ({@code cursor}) sorts after them, so one query returns the cursor and
 * the newest chunk. Items not yet done carry the {@code due} index partition key
 * {@code <stateKey>#<gen>}: a seek or purge (a new generation) hides the old ones at once.
 */
public final class StateItems {

    public static final String CURSOR = "cursor";
    static final String CHUNK = "c#";
    /** Sort key prefixes of the items kept per generation: chunks, FIFO gates, FIFO claimed ranges. */
    public static final List<String> GENERATION_PREFIXES = List.of(CHUNK, "g#", "r#");

    private StateItems() {
    }

    /** The partition key of a subscription's consumer state in one partition. */
    public static String stateKey(String queueId, String subscription, int partition) {
        return subscriptionKey(queueId, subscription) + "#" + partition;
    }

    /**
     * A subscription across its partitions ({@code <queueId>#<sub>}): the prefix of its state
     * keys, and what receives and acks of one subscription are coalesced by.
     */
    public static String subscriptionKey(String queueId, String subscription) {
        return queueId + "#" + subscription;
    }

    /** The sort key of the chunk starting at {@code start} in generation {@code gen}. */
    public static String chunkSortKey(long gen, long start) {
        return String.format("c#%010d#%019d", gen, start);
    }

    /** The start offset a chunk sort key names. */
    public static long chunkStart(String sortKey) {
        return Long.parseLong(sortKey.substring(sortKey.lastIndexOf('#') + 1));
    }

    /**
     * The sort key prefix of generation {@code gen} under one of {@link #GENERATION_PREFIXES}:
     * every item of that generation sorts after it, and every item of an earlier one before it.
     */
    public static String generationPrefix(String prefix, long gen) {
        return String.format("%s%010d#", prefix, gen);
    }

    /** The {@code due} index partition key of a subscription-partition's generation. */
    public static String dueGroup(String stateKey, long gen) {
        return stateKey + "#" + gen;
    }

    public static Map<String, AttributeValue> key(String partitionKey, String sortKey) {
        return Map.of(STATE_PARTITION_KEY, s(partitionKey), STATE_SORT_KEY, s(sortKey));
    }

    public static Map<String, AttributeValue> cursorKey(String stateKey) {
        return key(stateKey, CURSOR);
    }

    public static Map<String, AttributeValue> chunkKey(String stateKey, long gen, long start) {
        return key(stateKey, chunkSortKey(gen, start));
    }
}
