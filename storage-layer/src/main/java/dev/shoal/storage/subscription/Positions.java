package dev.shoal.storage.subscription;

import dev.shoal.storage.api.InvalidRequestException;
import dev.shoal.storage.api.SeekTarget;
import dev.shoal.storage.api.Sleeper;
import dev.shoal.storage.catalog.SubscriptionRef;
import dev.shoal.storage.dynamodb.LostRaces;
import dev.shoal.storage.log.PartitionLog;

/**
 * Seek and purge: a subscription's partition moves to a new generation starting at the target
 * offset. The old generation's chunks become invisible at once (the {@code due} index is keyed
 * by generation) and maintenance deletes them later; nothing needs to be rewritten per message.
 * Each move is conditional on the generation it read, so two seeks or a seek and a purge at
 * once both take effect, one after the other, instead of one silently overwriting the other.
 */
public final class Positions {

    private final ChunkTable chunks;
    private final PartitionLog log;
    private final LostRaces races;

    public Positions(ChunkTable chunks, PartitionLog log) {
        this(chunks, log, Sleeper.SYSTEM);
    }

    public Positions(ChunkTable chunks, PartitionLog log, Sleeper sleeper) {
        this.chunks = chunks;
        this.log = log;
        this.races = new LostRaces(sleeper);
    }

    public void seek(SubscriptionRef sub, SeekTarget target) {
        int partitions = sub.queue().partitions();
        if (target instanceof SeekTarget.AtOffsets(var offsets)) {
            offsets.keySet().forEach(p -> {
                if (p >= partitions) {
                    throw new InvalidRequestException("offsets", "partition " + p + " does not exist; the queue has " + partitions);
                }
            });
        }
        for (int p = 0; p < partitions; p++) {
            Long offset = switch (target) {
                case SeekTarget.Earliest e -> log.startOffset(sub.queue(), p);
                case SeekTarget.Latest l -> log.endOffset(sub.queue(), p);
                case SeekTarget.AtTime t -> log.offsetAt(sub.queue(), p, t.time());
                case SeekTarget.AtOffsets o -> o.offsets().get(p);
            };
            if (offset != null) {
                moveTo(sub, p, offset);
            }
        }
    }

    private void moveTo(SubscriptionRef sub, int partition, long offset) {
        String stateKey = sub.stateKey(partition);
        races.untilWritten("seeks and purges of partition " + partition, attempt -> {
            Cursor current = chunks.head(stateKey, sub.startOffset(partition)).cursor();
            return chunks.moveCursor(stateKey, current, new Cursor(current.gen() + 1, offset, offset));
        });
    }
}
