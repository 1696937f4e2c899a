package dev.shoal.storage.dynamodb;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static dev.shoal.storage.dynamodb.Items.n;
import static dev.shoal.storage.dynamodb.ShoalTables.STATE_TTL_ATTRIBUTE;

/**
 * Dead-letter move markers: one item per moved source range and target partition, under
 * {@code dlq#<stateKey>}, put in the transaction that commits the dead letters, on the condition
 * that it is not there yet, so that a range is moved at most once. They expire after
 * {@link #MARKER_TTL}, long after any retry of the move.
 */
public final class DeadLetterItems {

    public static final Duration MARKER_TTL = Duration.ofDays(14);

    private DeadLetterItems() {
    }

    /** The source position of a standard queue's chunk: {@code <gen>#<start>}. */
    public static String chunkPosition(long gen, long start) {
        return gen + "#" + start;
    }

    /** The source position of a FIFO gate's moved messages: {@code <gen>#<group>#<first offset>}. */
    public static String gatePosition(long gen, String group, long firstOffset) {
        return gen + "#" + group + "#" + firstOffset;
    }

    /** The guard that lets the move of {@code position} to {@code targetPartition} commit once. */
    public static Guard marker(String stateKey, String position, int targetPartition, long nowMillis) {
        Map<String, AttributeValue> item = new HashMap<>(StateItems.key("dlq#" + stateKey, position + "#" + targetPartition));
        item.put(STATE_TTL_ATTRIBUTE, n((nowMillis + MARKER_TTL.toMillis()) / 1000));
        return Guard.absent(item);
    }
}
