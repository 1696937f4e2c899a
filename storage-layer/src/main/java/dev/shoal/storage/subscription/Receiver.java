package dev.shoal.storage.subscription;

import dev.shoal.storage.api.ReceiveRequest;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.api.Sleeper;
import dev.shoal.storage.batching.Signals;
import dev.shoal.storage.catalog.SubscriptionRef;
import dev.shoal.storage.log.LogIndex;
import dev.shoal.storage.s3.ObjectNotFoundException;
import dev.shoal.storage.segment.SegmentRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Receive for standard queues. Per partition, in a rotating order:
 * <ol>
 *   <li>redeliveries: chunks whose lease ended or whose delay passed, found through the sparse
 *       {@code due} index (one query, whatever the backlog), each re-leased with one
 *       conditional write; long leases enter the index late, by a {@link LeaseSweep} that
 *       this look runs when it is due;</li>
 *   <li>fresh messages: the next records after the frontier, claimed as a new chunk with one
 *       conditional put shared by the receivers asking at the same time ({@link FreshClaims});
 *       records not yet due become a delayed chunk of their own.</li>
 * </ol>
 * Long polling ({@link LongPoll}) repeats this until a message arrives or the wait runs out,
 * woken at once by commits in this process.
 */
public final class Receiver {

    private static final Logger log = LoggerFactory.getLogger(Receiver.class);

    private final ChunkTable chunks;
    private final ChunkMemory memory;
    private final Deliveries deliveries;
    private final DeadLetterMover deadLetters;
    private final Clock clock;
    private final LongPoll longPoll;
    private final FreshClaims freshClaims;
    private final SharedStateReads reads;
    private final LeaseSweep sweep;
    private final UnaryOperator<SubscriptionRef> latest;

    /**
     * @param latest the subscription as it is now (settings changed while a long poll waits reach
     *               its next look: SQS applies a new VisibilityTimeout to receives already waiting)
     * @param memory shared with this process's {@link Acknowledger}: what this receiver writes, it acks without a read
     */
    public Receiver(ChunkTable chunks, ChunkMemory memory, LogIndex index, Deliveries deliveries, DeadLetterMover deadLetters,
                    Clock clock, Sleeper sleeper, Signals signals, UnaryOperator<SubscriptionRef> latest) {
        this.chunks = chunks;
        this.memory = memory;
        this.deliveries = deliveries;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.longPoll = new LongPoll(clock, sleeper, signals);
        this.reads = new SharedStateReads(chunks, memory, clock);
        this.sweep = new LeaseSweep(chunks, memory, clock);
        this.freshClaims = new FreshClaims(chunks, memory, index, deliveries, clock, sleeper);
        this.latest = latest;
    }

    public List<ReceivedMessage> receive(SubscriptionRef sub, ReceiveRequest request) {
        int max = request.maxMessages();
        // counted while under way: an ack here may wait for what this receive claims
        return memory.newest().receives().during(sub.key(), () -> longPoll.receive(sub.queue().id(), sub.key(), sub.queue().partitions(), max,
                request.waitTime(), new LongPoll.PartitionReceive() {
                    @Override
                    public void receive(int partition, List<ReceivedMessage> out) {
                        receivePartition(sub, request, partition, max - out.size(), true, out);
                    }

                    @Override
                    public void receiveFresh(int partition, List<ReceivedMessage> out) {
                        receivePartition(sub, request, partition, max - out.size(), false, out);
                    }
                }));
    }

    /** @param redeliveries whether to look for redeliveries too (a look sent by a local commit's news need not) */
    private void receivePartition(SubscriptionRef asked, ReceiveRequest request, int partition, int want, boolean redeliveries,
                                  List<ReceivedMessage> out) {
        SubscriptionRef sub = latest.apply(asked);
        Duration visibility = request.visibilityOverride().orElse(sub.settings().visibilityTimeout());
        String stateKey = sub.stateKey(partition);
        long now = clock.millis();
        ChunkTable.Head head = reads.head(stateKey, sub.startOffset(partition));
        long gen = head.cursor().gen();
        int before = out.size();
        if (redeliveries) {
            for (long start : dueStarts(stateKey, head)) {
                if (out.size() - before >= want) break;
                chunks.get(stateKey, gen, start)
                        .filter(c -> c.visibleAt(now))
                        .ifPresent(c -> redeliver(sub, partition, c, want - (out.size() - before), visibility, now, out));
            }
        }
        out.addAll(freshClaims.claim(new FreshClaims.Want(sub, partition, head, now, want - (out.size() - before),
                visibility.toMillis(), !redeliveries)));
    }

    /** Chunks due for redelivery: those a sweep just found expired, then those the index holds. */
    private List<Long> dueStarts(String stateKey, ChunkTable.Head head) {
        List<Long> starts = new ArrayList<>(sweep.sweep(stateKey, head));
        for (long start : reads.dueStarts(stateKey, head.cursor().gen())) {
            if (!starts.contains(start)) starts.add(start);
        }
        return starts;
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
            records = deliveries.records(sub.queue().partitionKey(partition), chunk);
        } catch (ObjectNotFoundException expired) {
            log.info("segment {} is gone (retention); dropping chunk {} of {}", chunk.segmentKey(), chunk.start(), stateKey);
            chunks.replace(stateKey, chunk, List.of(chunk.withEverythingAcked()), now);
            return;
        }
        if (chunks.replace(stateKey, chunk, pieces, now).landed()) {
            pieces.forEach(piece -> memory.wrote(stateKey, piece.versionAfter(chunk)));
            out.addAll(deliveries.messages(sub, partition, leased, records.subList(0, leased.size())));
        }
    }

}
