package dev.shoal.storage.subscription;

import dev.shoal.storage.api.MessageId;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.catalog.SubscriptionRef;
import dev.shoal.storage.log.IndexEntry;
import dev.shoal.storage.log.SegmentLocation;
import dev.shoal.storage.log.SegmentStore;
import dev.shoal.storage.segment.SegmentRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Turns a leased chunk into the messages a receive returns: records read from the segment, plus a receipt each. */
public final class Deliveries {

    private final SegmentStore segments;
    private final ReceiptCodec receipts;

    public Deliveries(SegmentStore segments, ReceiptCodec receipts) {
        this.segments = segments;
        this.receipts = receipts;
    }

    /**
     * The chunk's records, all of them, in offset order (index i is offset {@code start + i}).
     * A chunk keeps its segment's location itself, so this needs no log read (but for an inline
     * segment this process does not have cached).
     *
     * @param partitionKey the log partition of the chunk's subscription-partition
     */
    List<SegmentRecord> records(String partitionKey, Chunk chunk) {
        var at = new SegmentLocation(partitionKey, chunk.segmentBase(), chunk.segmentKey(), chunk.segmentBytes(), chunk.headerLength());
        return segments.read(at, (int) (chunk.start() - chunk.segmentBase()), chunk.size());
    }

    public String receipt(Receipt receipt) {
        return receipts.encode(receipt);
    }

    /** Records {@code [first, first + count)} of the segment an entry names, counted from its first record. */
    public List<SegmentRecord> read(IndexEntry entry, int first, int count) {
        return segments.read(entry, first, count);
    }

    /** The unacked messages of a chunk just leased, given its records. */
    List<ReceivedMessage> messages(SubscriptionRef sub, int partition, Chunk leased, List<SegmentRecord> records) {
        List<ReceivedMessage> out = new ArrayList<>(leased.unackedCount());
        for (long offset : leased.unackedOffsets()) {
            SegmentRecord r = records.get((int) (offset - leased.start()));
            Receipt receipt = new Receipt(sub.queue().id(), sub.name(), partition, leased.gen(), offset, leased.lease(), "");
            out.add(new ReceivedMessage(new MessageId(partition, offset), r.body(), r.attributes(), r.groupId(), r.dedupId(),
                    leased.receiveCount(), Instant.ofEpochMilli(r.timestampMillis()), Instant.ofEpochMilli(leased.firstReceivedAt()),
                    receipts.encode(receipt)));
        }
        return out;
    }
}
