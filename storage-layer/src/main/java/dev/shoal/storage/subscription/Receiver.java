package dev.shoal.storage.subscription;

import dev.shoal.storage.ReceiveRequest;
import dev.shoal.storage.ReceivedMessage;
import dev.shoal.storage.Sleeper;
import dev.shoal.storage.catalog.SubscriptionRef;
import dev.shoal.storage.log.IndexEntry;
import dev.shoal.storage.log.LogIndex;
import dev.shoal.storage.s3.ObjectNotFoundException;
import dev.shoal.storage.segment.SegmentRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Receive for standard queues. Per partition, in a rotating order:
 * <ol>
 *   <li>redeliveries: chunks whose lease ended or whose delay passed, found through the sparse
 *       {@code due} index (one query, whatever the backlog), each re-leased with one
 *       conditional write;</li>
 *   <li>fresh messages: the next records after the frontier, claimed as a new chunk with one
 *       conditional put; records not yet due become a delayed chunk of their own.</li>
 * </ol>
 * Long polling repeats this with growing pauses until a message arrives or the wait runs out.
 */
public final class Receiver {

    private static final Logger log = LoggerFactory.getLogger(Receiver.class);
    /** Claims per partition per receive: small segments need several to fill a large receive. */
    static final int MAX_CLAIM_ATTEMPTS = 32;

    private final ChunkTable chunks;
    private final LogIndex index;
    private final Deliveries deliveries;
    private final DeadLetterMover deadLetters;
    private final Clock clock;
    private final LongPoll longPoll;

    public Receiver(ChunkTable chunks, LogIndex index, Deliveries deliveries, DeadLetterMover deadLetters, Clock clock, Sleeper sleeper) {
        this.chunks = chunks;
        this.index = index;
        this.deliveries = deliveries;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.longPoll = new LongPoll(clock, sleeper);
    }

    public List<ReceivedMessage> receive(SubscriptionRef sub, ReceiveRequest request) {
        Duration visibility = request.visibilityOverride().orElse(sub.settings().visibilityTimeout());
        int max = request.maxMessages();
        return longPoll.receive(sub.queue().partitions(), max, request.waitTime(),
                (partition, out) -> receivePartition(sub, partition, max - out.size(), visibility, out));
    }

    private void receivePartition(SubscriptionRef sub, int partition, int want, Duration visibility, List<ReceivedMessage> out) {
        String stateKey = sub.stateKey(partition);
        long now = clock.millis();
        ChunkTable.Head head = chunks.head(stateKey, sub.startOffset(partition));
        long gen = head.cursor().gen();
        int before = out.size();
        for (long start : chunks.dueStarts(stateKey, gen, now, Math.min(want, 25))) {
            if (out.size() - before >= want) break;
            chunks.get(stateKey, gen, start)
                    .filter(c -> c.visibleAt(now))
                    .ifPresent(c -> redeliver(sub, partition, c, want - (out.size() - before), visibility, now, out));
        }
        claimFresh(sub, partition, head, want - (out.size() - before), visibility, now, out);
    }

    private void redeliver(SubscriptionRef sub, int partition, Chunk chunk, int want, Duration visibility, long now, List<ReceivedMessage> out) {
        String stateKey = sub.stateKey(partition);
        var dlq = sub.settings().deadLetterPolicy();
        // a dead-letter queue that is gone moves nothing: the message is delivered again, as in SQS
        if (dlq.isPresent() && chunk.receiveCount() >= dlq.get().maxReceiveCount() && deadLetters.move(sub, partition, chunk, now)) {
            return;
        }
        long[] unacked = chunk.unackedOffsets();
        if (unacked.length == 0) {
            return;
        }
        int take = Math.min(want, unacked.length);
        long cut = take == unacked.length ? chunk.end() : unacked[take];
        String lease = LeaseIds.next();
        Chunk leased = chunk.slice(chunk.start(), cut).leased(lease, now, now + visibility.toMillis());
        List<Chunk> pieces = cut == chunk.end() ? List.of(leased) : List.of(leased, chunk.slice(cut, chunk.end()));
        List<SegmentRecord> records;
        try {
            records = deliveries.records(chunk);
        } catch (ObjectNotFoundException expired) {
            log.info("segment {} is gone (retention); dropping chunk {} of {}", chunk.segmentKey(), chunk.start(), stateKey);
            chunks.replace(stateKey, chunk, List.of(chunk.withEverythingAcked()), now);
            return;
        }
        if (chunks.replace(stateKey, chunk, pieces, now)) {
            out.addAll(deliveries.messages(sub, partition, leased, records.subList(0, leased.size())));
        }
    }

    private void claimFresh(SubscriptionRef sub, int partition, ChunkTable.Head head, int want, Duration visibility, long now, List<ReceivedMessage> out) {
        String stateKey = sub.stateKey(partition);
        String logKey = sub.queue().partitionKey(partition);
        long gen = head.cursor().gen();
        long frontier = head.frontier();
        for (int attempt = 0; attempt < MAX_CLAIM_ATTEMPTS && want > 0; attempt++) {
            now = clock.millis(); // segments committed since the receive began are due now, not "delayed"
            long at = frontier;
            Optional<IndexEntry> segment = index.containing(logKey, at).or(() -> index.from(logKey, at, 1).stream().findFirst());
            if (segment.isEmpty()) {
                return;
            }
            IndexEntry entry = segment.get();
            long start = Math.max(frontier, entry.baseOffset()); // a retention gap is skipped
            int count = (int) Math.min(want, entry.endOffset() - start);
            List<SegmentRecord> records;
            try {
                records = deliveries.segmentRecords(entry, (int) (start - entry.baseOffset()), count);
            } catch (ObjectNotFoundException expired) {
                return; // retention is deleting this segment right now; the janitor removes its entry
            }
            List<Chunk> pieces = FreshChunks.split(gen, start, entry, records, LeaseIds.next(), now, visibility.toMillis());
            if (chunks.claim(stateKey, pieces, now)) {
                for (Chunk piece : pieces) {
                    if (piece.state() == Chunk.State.LEASED) {
                        int from = (int) (piece.start() - start);
                        List<ReceivedMessage> msgs = deliveries.messages(sub, partition, piece, records.subList(from, from + piece.size()));
                        out.addAll(msgs);
                        want -= msgs.size();
                    }
                }
                frontier = pieces.getLast().end();
            } else {
                frontier = chunks.head(stateKey, sub.startOffset(partition)).frontier(); // another receiver won
            }
        }
    }
}
