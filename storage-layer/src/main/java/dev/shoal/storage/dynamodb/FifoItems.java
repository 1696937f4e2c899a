package dev.shoal.storage.dynamodb;

import java.util.Map;

/**
 * The keys of the FIFO items in the state table (docs/design.md, "Tables"): the one place their
 * formats are spelled. Claimed ranges live next to the cursor of their
 * subscription-partition ({@code <queueId>#<sub>#<partition>}); the others under a partition key
 * of their own kind.
 *
 * <p>Numbers in sort keys are zero-padded so that string order is numeric order: a query for
 * a generation's claimed ranges from the ack floor on reads them in offset order.
 */
public final class FifoItems {

    private FifoItems() {
    }

    /**
     * Sort keys of a generation's gates begin with this: {@code g#<gen, 10 digits>#}. Gates are the
     * consumer state of the layout before ADR 0013 part 2: no longer written, only looked for.
     */
    public static String gatePrefix(long gen) {
        return String.format("g#%010d#", gen);
    }

    /** Sort key of a group's gate (the layout before ADR 0013 part 2): {@code g#<gen>#<group>}. */
    public static String gateSortKey(long gen, String group) {
        return gatePrefix(gen) + group;
    }

    /**
     * The update that leaves a claimed range to the state table's TTL from {@code :t} (epoch
     * seconds) on. The attribute's name is a reserved word, so it goes by {@link #TTL_NAME}.
     */
    public static final String SET_TTL = "SET #ttl = :t";
    public static final Map<String, String> TTL_NAME = Map.of("#ttl", ShoalTables.STATE_TTL_ATTRIBUTE);

    /** Sort key of the claimed range starting at {@code start}: {@code r#<gen>#<start, 19 digits>}. */
    public static String claimSortKey(long gen, long start) {
        return String.format("r#%010d#%019d", gen, start);
    }

    /** The start offset a claimed range's sort key names. */
    public static long claimStart(String sortKey) {
        return Long.parseLong(sortKey.substring(sortKey.lastIndexOf('#') + 1));
    }

    /** Partition key of a queue's deduplication ids (the items of queues not checked against their chains). */
    public static String deduplicationIds(String queueId) {
        return "dedup#" + queueId;
    }

    /** Partition key of a queue's purge floors (sort key: the partition number). */
    public static String deduplicationFloors(String queueId) {
        return "dedupfloor#" + queueId;
    }

    /** Partition key of the idempotent producers' sequences of a queue partition (sort key: the producer id). */
    public static String producerSequences(String partitionKey) {
        return "producer#" + partitionKey;
    }

    /** Partition key of a subscription's remembered receive attempts (sort key: the attempt id). */
    public static String receiveAttempts(String queueId, String subscription) {
        return "attempt#" + queueId + "#" + subscription;
    }

    /** The dead-letter move marker of a group's head: {@code <gen>#<group>#<first offset>}. */
    public static String deadLetterMarker(long gen, String group, long firstOffset) {
        return gen + "#" + group + "#" + firstOffset;
    }

    /** Sort key of a deduplication id item (and the key a chain check compares): {@code id:<dedupId>}. */
    public static String deduplicationSortKey(String dedupId) {
        return "id:" + dedupId;
    }

    /** Sort key under content-based deduplication: {@code sha256:<hex of the body's SHA-256>}. */
    public static String contentSortKey(String sha256Hex) {
        return "sha256:" + sha256Hex;
    }
}
