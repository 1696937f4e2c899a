package dev.shoal.storage.subscription;

import dev.shoal.storage.api.MessageAttribute;
import dev.shoal.storage.catalog.QueueCatalog;
import dev.shoal.storage.catalog.QueueRef;
import dev.shoal.storage.catalog.SubscriptionRef;
import dev.shoal.storage.dynamodb.DeadLetterItems;
import dev.shoal.storage.dynamodb.Guard;
import dev.shoal.storage.dynamodb.ShoalTables;
import dev.shoal.storage.log.GuardFailedException;
import dev.shoal.storage.log.PartitionLog;
import dev.shoal.storage.segment.SegmentRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Moves a chunk's unacked messages to the subscription's dead-letter queue instead of
 * delivering them again, exactly once even when the move is retried or two receivers race:
 * <ol>
 *   <li>the dead letters are committed to the dead-letter queue together with a marker item
 *       naming the source chunk, put on the condition that it does not exist yet, in one
 *       transaction: only one move can ever commit;</li>
 *   <li>then the source chunk is marked acked. A mover that finds the marker already there
 *       (its own earlier attempt, or a racer's) only does this step.</li>
 * </ol>
 * Dead letters keep body, attributes and group, and carry where they came from in
 * {@code shoal.source.*} attributes.
 */
public final class DeadLetterMover {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterMover.class);

    public static final String SOURCE_QUEUE = "shoal.source.queue";
    public static final String SOURCE_SUBSCRIPTION = "shoal.source.subscription";
    public static final String SOURCE_PARTITION = "shoal.source.partition";
    public static final String SOURCE_OFFSET = "shoal.source.offset";
    public static final String RECEIVE_COUNT = "shoal.receiveCount";

    private final QueueCatalog catalog;
    private final PartitionLog partitionLog;
    private final ChunkTable chunks;
    private final Deliveries deliveries;
    private final String stateTable;

    public DeadLetterMover(QueueCatalog catalog, PartitionLog partitionLog, ChunkTable chunks, Deliveries deliveries, ShoalTables tables) {
        this.catalog = catalog;
        this.partitionLog = partitionLog;
        this.chunks = chunks;
        this.deliveries = deliveries;
        this.stateTable = tables.stateTable();
    }

    /**
     * Moves the chunk's unacked messages. Returns false when the dead-letter queue does not
     * exist (deleted after the policy was set): nothing is moved, and the caller delivers the
     * messages again as if there were no policy, as SQS does, so that a deleted dead-letter
     * queue never stalls its sources.
     */
    public boolean move(SubscriptionRef sub, int partition, Chunk chunk, long now) {
        List<SegmentRecord> records = deliveries.records(sub.queue().partitionKey(partition), chunk);
        List<Long> offsets = new ArrayList<>();
        List<SegmentRecord> dead = new ArrayList<>();
        for (long offset : chunk.unackedOffsets()) {
            offsets.add(offset);
            dead.add(records.get((int) (offset - chunk.start())));
        }
        String position = DeadLetterItems.chunkPosition(chunk.gen(), chunk.start());
        if (!moveRecords(sub, partition, offsets, dead, chunk.receiveCount(), position, now)) {
            return false;
        }
        chunks.replace(sub.stateKey(partition), chunk, List.of(chunk.withEverythingAcked()), now);
        return true;
    }

    /**
     * Commits dead letters for {@code records} (at {@code offsets} of the source partition) to the
     * dead-letter queue, at most once per source {@code position} ({@link DeadLetterItems}): a
     * second call with the same position commits nothing. Returns false when the dead-letter
     * queue does not exist.
     */
    public boolean moveRecords(SubscriptionRef sub, int partition, List<Long> offsets, List<SegmentRecord> records,
                               int receiveCount, String position, long now) {
        String dlqName = sub.settings().deadLetter().queue();
        Optional<QueueRef> dlq = catalog.find(dlqName);
        if (dlq.isEmpty()) {
            log.warn("dead-letter queue {} of {}/{} does not exist; delivering its messages again instead", dlqName,
                    sub.queue().name(), sub.name());
            return false;
        }
        Map<Integer, List<SegmentRecord>> byTarget = new TreeMap<>();
        for (int i = 0; i < records.size(); i++) {
            SegmentRecord r = records.get(i);
            byTarget.computeIfAbsent(targetPartition(dlq.get(), r, partition), k -> new ArrayList<>())
                    .add(deadLetter(sub, partition, offsets.get(i), receiveCount, r, now));
        }
        String stateKey = sub.stateKey(partition);
        for (var e : byTarget.entrySet()) {
            Guard marker = DeadLetterItems.marker(stateKey, position, e.getKey(), now);
            try {
                // the guard is written here until PartitionLog takes Guards (see docs/adr/0015)
                partitionLog.append(dlq.get(), e.getKey(), e.getValue(), base -> List.of(marker.write(stateTable)));
            } catch (GuardFailedException alreadyMoved) {
                // moved before: by an earlier attempt of ours, or by a receiver racing us
            }
        }
        return true;
    }

    private static int targetPartition(QueueRef dlq, SegmentRecord r, int sourcePartition) {
        if (r.groupId() != null) {
            return Math.floorMod(r.groupId().hashCode(), dlq.partitions());
        }
        return sourcePartition % dlq.partitions();
    }

    private static SegmentRecord deadLetter(SubscriptionRef sub, int partition, long offset, int receiveCount, SegmentRecord r, long now) {
        Map<String, MessageAttribute> attributes = new LinkedHashMap<>(r.attributes());
        attributes.put(SOURCE_QUEUE, MessageAttribute.string(sub.queue().name()));
        attributes.put(SOURCE_SUBSCRIPTION, MessageAttribute.string(sub.name()));
        attributes.put(SOURCE_PARTITION, MessageAttribute.number(Integer.toString(partition)));
        attributes.put(SOURCE_OFFSET, MessageAttribute.number(Long.toString(offset)));
        attributes.put(RECEIVE_COUNT, MessageAttribute.number(Integer.toString(receiveCount)));
        long sent = Math.min(r.timestampMillis(), now);
        return new SegmentRecord(sent, Math.max(sent, now), r.groupId(), r.dedupId(), attributes, r.body());
    }
}
