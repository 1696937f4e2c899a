package dev.shoal.storage.fifo;

import dev.shoal.storage.api.MessageId;
import dev.shoal.storage.api.ReceiveRequest;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.api.Sleeper;
import dev.shoal.storage.batching.Signals;
import dev.shoal.storage.catalog.SubscriptionRef;
import dev.shoal.storage.dynamodb.FifoItems;
import dev.shoal.storage.log.LogIndex;
import dev.shoal.storage.log.SegmentStore;
import dev.shoal.storage.segment.SegmentRecord;
import dev.shoal.storage.subscription.ChunkTable;
import dev.shoal.storage.subscription.DeadLetterMover;
import dev.shoal.storage.subscription.Deliveries;
import dev.shoal.storage.subscription.LongPoll;
import dev.shoal.storage.subscription.Receipt;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Receive for FIFO queues. Per partition: lease the gates that are due (one conditional write
 * per group, however many of its messages it returns), oldest first; if more is wanted, claim
 * the next records after the frontier into their groups' gates and lease those. A group's
 * messages come out in offset order, as many as the receive asks for, and no later message of
 * a group is handed out while an earlier one is in flight (visibility is per message, see
 * {@link Gate}). Partitions and waiting as {@link LongPoll} does.
 */
public final class FifoReceiver {

    private static final SecureRandom RANDOM = new SecureRandom();
    static final int MAX_ROUNDS = 4;

    private final GateTable gates;
    private final ChunkTable cursors;
    private final FifoClaims claims;
    private final FifoReader reader;
    private final Deliveries deliveries;
    private final DeadLetterMover deadLetters;
    private final ReceiveAttempts attempts;
    private final Clock clock;
    private final LongPoll longPoll;
    private final Map<String, ReentrantLock> claimTurns = new ConcurrentHashMap<>();

    public FifoReceiver(GateTable gates, ChunkTable cursors, LogIndex index, SegmentStore segments, Deliveries deliveries,
                        DeadLetterMover deadLetters, ReceiveAttempts attempts, Clock clock, Sleeper sleeper, Signals signals) {
        this.gates = gates;
        this.cursors = cursors;
        this.claims = new FifoClaims(gates, index, segments);
        this.reader = new FifoReader(index, segments);
        this.deliveries = deliveries;
        this.deadLetters = deadLetters;
        this.attempts = attempts;
        this.clock = clock;
        this.longPoll = new LongPoll(clock, sleeper, signals);
    }

    public List<ReceivedMessage> receive(SubscriptionRef sub, ReceiveRequest request) {
        if (request.receiveAttemptId() != null) {
            Optional<List<ReceivedMessage>> repeated = attempts.repeat(sub, request.receiveAttemptId(), this::stillLeased);
            if (repeated.isPresent()) {
                return repeated.get();
            }
        }
        Duration visibility = request.visibilityOverride().orElse(sub.settings().visibilityTimeout());
        int max = request.maxMessages();
        List<ReceivedMessage> got = longPoll.receive(sub.queue().id(), sub.key(), sub.queue().partitions(), max,
                request.waitTime(),
                (partition, out) -> receivePartition(sub, partition, max, visibility, out));
        if (request.receiveAttemptId() != null) {
            attempts.remember(sub, request.receiveAttemptId(), got);
        }
        return got;
    }

    private void receivePartition(SubscriptionRef sub, int partition, int max, Duration visibility, List<ReceivedMessage> out) {
        String stateKey = sub.stateKey(partition);
        String logKey = sub.queue().partitionKey(partition);
        long now = clock.millis();
        var cursor = cursors.head(stateKey, sub.startOffset(partition)).cursor();
        long gen = cursor.gen();
        // Claim first, so that a group's newest messages can go out with its older ones in this receive,
        // and go on claiming while the groups claimed so far cannot fill it (they are in flight): a short
        // poll finds another group's message behind a busy one, as SQS's does.
        Map<String, Gate> candidates = new LinkedHashMap<>(); // null: not read yet
        // Receivers of this process claim a partition one at a time: woken together by a commit, they would
        // otherwise all append the same records to the same gates, and every append but one fails (and is billed).
        // The next one in turn claims what is after the first's claim. Other processes still race, safely.
        ReentrantLock turn = claimTurns.computeIfAbsent(stateKey, k -> new ReentrantLock());
        turn.lock();
        try {
            for (int round = 0; round < MAX_ROUNDS && deliverable(candidates, now) < max; round++) {
                long frontier = cursor.frontier(gates.newestClaimEnd(stateKey, gen).orElse(0L));
                // a small claim first (its cost is a gate write per group), growing while the groups found are busy
                int limit = Math.max(max, 10) << round;
                Optional<FifoClaims.Claim> claim = claims.claimNext(stateKey, logKey, gen, frontier, limit, now);
                if (claim.isEmpty()) break;
                candidates.putAll(claim.get().gates());
            }
        } finally {
            turn.unlock();
        }
        for (String group : gates.dueGroups(stateKey, gen, now, Math.max(max, 25))) {
            candidates.putIfAbsent(group, null);
        }
        List<Gate> visible = new ArrayList<>();
        for (var e : candidates.entrySet()) {
            Optional<Gate> gate = e.getValue() != null ? Optional.of(e.getValue()) : gates.get(stateKey, gen, e.getKey());
            gate.filter(g -> g.visibleAt(now)).ifPresent(visible::add);
        }
        visible.sort(Comparator.comparing(g -> g.pending().getFirst()));
        for (Gate gate : visible) {
            if (out.size() >= max) break;
            lease(sub, partition, logKey, gate, max - out.size(), visibility, now, out);
        }
    }

    private static int deliverable(Map<String, Gate> gates, long now) {
        int n = 0;
        for (Gate g : gates.values()) {
            if (g != null) n += g.deliverable(now);
        }
        return n;
    }

    private void lease(SubscriptionRef sub, int partition, String logKey, Gate gate, int want, Duration visibility, long now,
                       List<ReceivedMessage> out) {
        String stateKey = sub.stateKey(partition);
        int deliverable = gate.deliverable(now);
        var dlq = sub.settings().deadLetterPolicy();
        if (dlq.isPresent() && gate.receiveCounts().getFirst() >= dlq.get().maxReceiveCount()) {
            int dead = 0;
            while (dead < deliverable && gate.receiveCounts().get(dead) >= dlq.get().maxReceiveCount()) dead++;
            List<Long> offsets = gate.pending().subList(0, dead);
            Map<Long, SegmentRecord> records = reader.read(logKey, offsets);
            if (records.size() < offsets.size()) {
                dropExpired(stateKey, gate, offsets, records, now);
                return;
            }
            String marker = FifoItems.deadLetterMarker(gate.gen(), gate.group(), offsets.getFirst());
            if (deadLetters.moveRecords(sub, partition, offsets, offsets.stream().map(records::get).toList(),
                    gate.receiveCounts().getFirst(), marker, now)) {
                gates.put(stateKey, gate.withoutHead(dead, now), gate);
                return; // the rest of the group goes out on the next receive
            }
            // the dead-letter queue does not exist (deleted since): deliver again rather than hold the group for good
        }
        int count = Math.min(want, deliverable);
        List<Long> offsets = gate.pending().subList(0, count);
        Map<Long, SegmentRecord> records = reader.read(logKey, offsets);
        if (records.size() < count) {
            dropExpired(stateKey, gate, offsets, records, now);
            return;
        }
        String lease = newLease();
        long leasedAt = clock.millis(); // not the receive's start: the claims before may have taken a while
        Gate leased = gate.leasedTo(lease, count, leasedAt, leasedAt + visibility.toMillis());
        if (!gates.put(stateKey, leased, gate)) {
            return; // another receiver leased it first
        }
        for (int i = 0; i < count; i++) {
            out.add(message(sub, partition, leased, i, records.get(offsets.get(i))));
        }
    }

    /** Some of these messages are past retention: they leave the group, which goes on without them on the next receive. */
    private void dropExpired(String stateKey, Gate gate, List<Long> offsets, Map<Long, SegmentRecord> records, long now) {
        gates.put(stateKey, gate.without(offsets.stream().filter(o -> !records.containsKey(o)).toList(), now), gate);
    }

    private ReceivedMessage message(SubscriptionRef sub, int partition, Gate gate, int position, SegmentRecord r) {
        long offset = gate.pending().get(position);
        Receipt receipt = new Receipt(sub.queue().id(), sub.name(), partition, gate.gen(), offset, gate.hold(position).lease(), gate.group());
        return new ReceivedMessage(new MessageId(partition, offset), r.body(), r.attributes(), r.groupId(), r.dedupId(),
                gate.receiveCounts().get(position), Instant.ofEpochMilli(r.timestampMillis()),
                Instant.ofEpochMilli(gate.firstReceived().get(position)), deliveries.receipt(receipt));
    }

    /** For a repeated receive attempt: the message as delivered, if it is still pending under the same delivery and was not nacked. */
    private Optional<ReceivedMessage> stillLeased(SubscriptionRef sub, ReceiveAttempts.Delivered d) {
        String stateKey = sub.stateKey(d.partition());
        Optional<Gate> gate = gates.get(stateKey, d.gen(), d.group());
        int position = gate.map(g -> g.indexOf(d.offset())).orElse(-1);
        Gate.Hold hold = position < 0 ? null : gate.get().hold(position);
        if (hold == null || !d.lease().equals(hold.lease()) || hold.nacked()) {
            return Optional.empty();
        }
        SegmentRecord r = reader.read(sub.queue().partitionKey(d.partition()), List.of(d.offset())).get(d.offset());
        return r == null ? Optional.empty() : Optional.of(message(sub, d.partition(), gate.get(), position, r));
    }

    private static String newLease() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
