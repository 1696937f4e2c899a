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
import dev.shoal.storage.subscription.DeadLetterMover;
import dev.shoal.storage.subscription.Deliveries;
import dev.shoal.storage.subscription.LongPoll;
import dev.shoal.storage.subscription.Receipt;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Receive for FIFO queues. Per partition: read the live window (one query: every claimed range
 * from the ack floor on), take what the group rule allows ({@link GroupRule}), oldest groups
 * first, one conditional write per range taken from; while more is wanted, claim the next
 * records after the frontier as a new range and put it with what is taken of it, in one write.
 * A group's messages come out in offset order, as many as the receive asks for, and no later
 * message of a group is handed out while an earlier one is in flight (visibility is per
 * message). Partitions and waiting as {@link LongPoll} does.
 */
public final class FifoReceiver {

    private static final SecureRandom RANDOM = new SecureRandom();
    static final int MAX_ROUNDS = 4;
    /** The floor moves once this many ranges at the window's start are done: done ranges are small, a floor write per range would not be. */
    static final int FLOOR_STEP = 8;
    /**
     * A claim is put only from a window read less than this long ago. The range its frontier
     * rests on is then still stored, so a claim at a frontier others have moved past fails: a
     * done range expires no sooner than an hour after a newer one is known (ADR 0019).
     */
    static final Duration MAX_WINDOW_AGE = Duration.ofSeconds(10);

    private final RangeTable ranges;
    private final RecentWindows windows;
    private final FifoClaims claims;
    private final FifoReader reader;
    private final Deliveries deliveries;
    private final DeadLetterMover deadLetters;
    private final ReceiveAttempts attempts;
    private final Clock clock;
    private final LongPoll longPoll;
    private final Map<String, ReentrantLock> turns = new ConcurrentHashMap<>();

    public FifoReceiver(RangeTable ranges, LogIndex index, SegmentStore segments, Deliveries deliveries,
                        DeadLetterMover deadLetters, ReceiveAttempts attempts, Clock clock, Sleeper sleeper, Signals signals) {
        this.ranges = ranges;
        this.windows = new RecentWindows(ranges);
        this.claims = new FifoClaims(index, segments);
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
        // counted while under way: an ack here may wait for what this receive claims
        List<ReceivedMessage> got = ranges.newest().receives().during(sub.key(), () -> longPoll.receive(sub.queue().id(), sub.key(),
                sub.queue().partitions(), max, request.waitTime(), new LongPoll.PartitionReceive() {
                    @Override
                    public void receive(int partition, List<ReceivedMessage> out) {
                        receivePartition(sub, partition, max - out.size(), visibility, false, out);
                    }

                    @Override
                    public void receiveFresh(int partition, List<ReceivedMessage> out) {
                        receivePartition(sub, partition, max - out.size(), visibility, true, out);
                    }
                }));
        if (request.receiveAttemptId() != null) {
            attempts.remember(sub, request.receiveAttemptId(), got);
        }
        return got;
    }

    /** {@code fresh}: a look sent by news of a commit in this process (see {@link FifoClaims#claimNext}). */
    private void receivePartition(SubscriptionRef sub, int partition, int want, Duration visibility, boolean fresh,
                                  List<ReceivedMessage> out) {
        if (want <= 0) return;
        String stateKey = sub.stateKey(partition);
        String logKey = sub.queue().partitionKey(partition);
        // Receivers of this process take turns at a partition: woken together by a commit, they would otherwise
        // all write the same ranges, and every write but one fails (and is billed). Other processes race, safely.
        ReentrantLock turn = turns.computeIfAbsent(stateKey, k -> new ReentrantLock());
        turn.lock();
        WindowLease lease;
        try {
            lease = pass(sub, partition, want, visibility, fresh, true);
            if (lease == null) { // a seek or purge since the window was known here: once more, on the new generation
                lease = pass(sub, partition, want, visibility, fresh, false);
            }
        } finally {
            turn.unlock();
        }
        for (WindowLease.Held h : lease.held()) {
            out.add(message(sub, partition, h.range(), h.offset(), h.record()));
        }
    }

    /**
     * One receive's work on a partition, with its turn held. The window is the one this process
     * knows ({@link RecentWindows}) when {@code recentWindow} allows and it has one, else it is
     * read; before a claim is put, the cursor is read if it was not (a claim belongs to the
     * generation the cursor names). Null when that read shows a new generation: nothing was
     * claimed, and the caller looks again on the new one.
     */
    private WindowLease pass(SubscriptionRef sub, int partition, int want, Duration visibility, boolean fresh, boolean recentWindow) {
        String stateKey = sub.stateKey(partition);
        String logKey = sub.queue().partitionKey(partition);
        long startedAt = clock.millis();
        Optional<RangeTable.Window> recent = recentWindow ? windows.recent(stateKey, startedAt) : Optional.empty();
        long readAtLeast = recent.isPresent() ? startedAt - RecentWindows.REFRESH.toMillis() : startedAt;
        boolean cursorRead = recent.isEmpty();
        RangeTable.Window window = recent.orElseGet(() -> {
            long now = clock.millis();
            long lostRaces = ranges.lostRaces(stateKey); // before the read: a race lost during it makes the next receive read again
            var read = ranges.live(stateKey, ranges.cursor(stateKey, sub.startOffset(partition)));
            windows.read(stateKey, read, now, lostRaces);
            return read;
        });
        WindowLease lease = new WindowLease(stateKey, logKey, ranges, reader, clock, window, newLease(), visibility.toMillis(), claimAllowance(want));
        WindowLease.DeadLetters dlq = (l, take, now) -> deadLetter(sub, partition, l, take, now);
        lease.take(want, dlq);
        // claim while the window cannot fill the receive (its groups are in flight): a short poll finds another
        // group's message behind a busy one, as SQS's does
        for (int round = 0; round < MAX_ROUNDS && lease.taken() < want; round++) {
            var claim = claims.claimNext(logKey, lease.window(), claimLimit(want, round), clock.millis(), fresh);
            if (claim.isEmpty() || clock.millis() - readAtLeast > MAX_WINDOW_AGE.toMillis()) break; // the next receive reads it again
            if (!cursorRead) {
                cursorRead = true;
                if (ranges.cursor(stateKey, sub.startOffset(partition)).gen() != window.cursor().gen()) {
                    windows.forget(stateKey);
                    return null; // what it took is of the generation before the seek or purge: not handed out
                }
            }
            lease.claimed(claim.get().range(), claim.get().records());
            lease.take(want, dlq);
        }
        windows.left(stateKey, lease.window());
        moveFloor(stateKey, lease.window());
        return lease;
    }

    /** A receive's claim in round {@code round}: a small one first, growing while the groups found are busy. */
    private static int claimLimit(int want, int round) {
        return Math.min(Math.max(want, 10) << round, FifoClaims.MAX_CLAIM);
    }

    /** How many offsets past the frontier a receive's claims can reach, at most. */
    private static long claimAllowance(int want) {
        long total = 0;
        for (int round = 0; round < MAX_ROUNDS; round++) total += claimLimit(want, round);
        return total;
    }

    /** Moves the ack floor past the done ranges at the window's start, once there are a few. */
    private void moveFloor(String stateKey, RangeTable.Window window) {
        int done = 0;
        for (ClaimedRange r : window.ranges()) {
            if (!r.done()) break;
            done++;
        }
        if (done >= FLOOR_STEP) {
            long floor = window.doneUpTo();
            if (ranges.raiseFloor(stateKey, window.cursor(), floor)) {
                windows.floorRaised(stateKey, floor);
                FifoState.expirePassed(ranges, stateKey, window, floor, clock.millis());
                ranges.forgetBelow(stateKey, floor);
            } else {
                windows.forget(stateKey); // moved by another, or a new generation: the next receive reads the cursor
            }
        }
    }

    /**
     * A group whose head was received {@code maxReceiveCount} times: its heads that were go to the
     * dead-letter queue and leave the group. False when there is nothing to move, or the
     * dead-letter queue is gone (the messages are delivered again rather than hold the group for good).
     */
    private boolean deadLetter(SubscriptionRef sub, int partition, WindowLease lease, GroupRule.GroupTake take, long now) {
        var policy = sub.settings().deadLetterPolicy();
        if (policy.isEmpty()) return false;
        int max = policy.get().maxReceiveCount();
        List<Long> dead = new ArrayList<>();
        int firstCount = -1;
        for (long o : take.available()) {
            int count = lease.window().ranges().stream().filter(r -> r.contains(o)).findFirst().orElseThrow().slot(o).receiveCount();
            if (count < max) break;
            if (firstCount < 0) firstCount = count;
            dead.add(o);
        }
        if (dead.isEmpty()) return false;
        List<Long> missing = lease.read(dead);
        if (!missing.isEmpty()) {
            lease.drop(missing); // past retention: they leave the group undelivered and are not dead-lettered
            return true;
        }
        String marker = FifoItems.deadLetterMarker(lease.window().cursor().gen(), take.group(), dead.getFirst());
        if (!deadLetters.moveRecords(sub, partition, dead, dead.stream().map(lease::record).toList(), firstCount, marker, now)) {
            return false;
        }
        lease.drop(dead); // if this loses a race, the next receive moves them again: the marker makes that a no-op
        return true;
    }

    private ReceivedMessage message(SubscriptionRef sub, int partition, ClaimedRange range, long offset, SegmentRecord r) {
        ClaimedRange.Slot slot = range.slot(offset);
        Receipt receipt = new Receipt(sub.queue().id(), sub.name(), partition, range.gen(), offset, range.delivery(offset).lease(), r.groupId());
        return new ReceivedMessage(new MessageId(partition, offset), r.body(), r.attributes(), r.groupId(), r.dedupId(),
                slot.receiveCount(), Instant.ofEpochMilli(r.timestampMillis()),
                Instant.ofEpochMilli(slot.firstReceived()), deliveries.receipt(receipt));
    }

    /** For a repeated receive attempt: the message as delivered, if it is still leased under the same delivery (not nacked). */
    private Optional<ReceivedMessage> stillLeased(SubscriptionRef sub, ReceiveAttempts.Delivered d) {
        Optional<ClaimedRange> range = ranges.containing(sub.stateKey(d.partition()), d.gen(), d.offset());
        if (range.isEmpty() || range.get().slot(d.offset()).state() != ClaimedRange.SlotState.LEASED
                || !d.lease().equals(range.get().delivery(d.offset()).lease())) {
            return Optional.empty();
        }
        SegmentRecord r = reader.read(sub.queue().partitionKey(d.partition()), List.of(d.offset())).get(d.offset());
        return r == null ? Optional.empty() : Optional.of(message(sub, d.partition(), range.get(), d.offset(), r));
    }

    private static String newLease() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
