package dev.shoal.storage.fifo;

import dev.shoal.storage.segment.SegmentRecord;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One receive's work on one partition's live window: it takes what the group rule allows,
 * writing each range it takes from once (in offset order, on its version), and puts the ranges
 * it claims with what it takes of them in the same write. A write that loses a race re-reads
 * its range and the rule is applied again; what the receive already holds stays its own.
 *
 * <p>Each range records, with the receive's delivery, how far the delivery reaches (the highest
 * offset it takes, or could still take by claiming): a nack carries into the later ranges up to
 * there and no further, so it reads a few ranges, not the window.
 */
final class WindowLease {

    static final int MAX_ATTEMPTS = 8;

    /** What the receive does about a group whose head was received too often; true when it moved it (the group waits this receive out). */
    @FunctionalInterface
    interface DeadLetters {
        boolean move(WindowLease lease, GroupRule.GroupTake take, long now);
    }

    private final String stateKey;
    private final RangeTable table;
    private final FifoReader reader;
    private final String logKey;
    private final Clock clock;
    private final String lease;
    private final long visibilityMillis;
    private final long claimAllowance;
    private final RangeTable.Window window;
    private final List<ClaimedRange> ranges;
    private final Map<Long, SegmentRecord> records = new HashMap<>();
    private final Set<String> skipped = new HashSet<>();

    WindowLease(String stateKey, String logKey, RangeTable table, FifoReader reader, Clock clock, RangeTable.Window window,
                String lease, long visibilityMillis, long claimAllowance) {
        this.stateKey = stateKey;
        this.logKey = logKey;
        this.table = table;
        this.reader = reader;
        this.clock = clock;
        this.window = window;
        this.ranges = new ArrayList<>(window.ranges());
        this.lease = lease;
        this.visibilityMillis = visibilityMillis;
        this.claimAllowance = claimAllowance;
    }

    /** The window as this receive left it (with the ranges it claimed). */
    RangeTable.Window window() {
        long frontier = ranges.isEmpty() ? window.frontier() : Math.max(window.frontier(), ranges.getLast().end());
        return new RangeTable.Window(window.cursor(), List.copyOf(ranges), frontier);
    }

    String lease() {
        return lease;
    }

    /** How many messages this receive holds in the window. */
    int taken() {
        return heldHere().size();
    }

    /** The highest offset this receive holds, or -1. */
    private long heldReach() {
        List<Held> held = heldHere();
        return held.isEmpty() ? -1 : held.getLast().offset();
    }

    /**
     * The messages this receive holds now, in offset order, with their records where they were
     * read. A lease that ran out while the receive went on (a slow one) is not held: another
     * receive may have the message already, so it is neither counted nor handed out, and the
     * group rule sees it as visible again. A receive with a visibility timeout of 0 holds what it
     * leased although the lease is over at once: SQS hands those messages out, visible again.
     */
    private List<Held> heldHere() {
        long now = visibilityMillis == 0 ? Long.MIN_VALUE : clock.millis();
        List<Held> held = new ArrayList<>();
        for (ClaimedRange r : ranges) {
            for (long o = r.start(); o < r.end(); o++) {
                if (r.heldBy(o, lease, now)) held.add(new Held(r, o, records.get(o)));
            }
        }
        return held;
    }

    /** Adds a claimed range, not stored yet, with its records (read by the claim): the next {@link #take} puts it. */
    void claimed(ClaimedRange fresh, List<SegmentRecord> covered) {
        ranges.add(fresh);
        for (int i = 0; i < covered.size(); i++) records.putIfAbsent(fresh.start() + i, covered.get(i));
    }

    /** Takes up to {@code want} more messages (in all), by the group rule; dead letters go to {@code deadLetters} first. */
    void take(int want, DeadLetters deadLetters) {
        try {
            attempt(want, deadLetters);
        } finally {
            ranges.removeIf(r -> !r.stored()); // a claim not put is no claim: the next one starts at the same place
        }
    }

    private void attempt(int want, DeadLetters deadLetters) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            long now = clock.millis();
            int taken = taken();
            List<Long> chosen = new ArrayList<>();
            Map<Long, Long> capOf = new HashMap<>(); // offset -> the group's hold it may not outlive
            boolean moved = false;
            for (GroupRule.GroupTake t : GroupRule.takes(ranges, now, lease)) {
                if (skipped.contains(t.group()) || chosen.size() >= want - taken) continue;
                if (!t.heldByUs() && deadLetters.move(this, t, now)) {
                    skipped.add(t.group()); // moved: the rest of the group goes out on a later receive
                    moved = true;
                    break;
                }
                List<Long> some = t.available().subList(0, Math.min(t.available().size(), want - taken - chosen.size()));
                chosen.addAll(some);
                if (t.heldUntil() != Long.MAX_VALUE) some.forEach(o -> capOf.put(o, t.heldUntil()));
            }
            if (moved) continue;
            List<Long> missing = read(chosen);
            if (!missing.isEmpty()) {
                // past retention: they leave their groups, which go on without them from the next receive
                for (long o : missing) skipped.add(rangeOf(o).group(o));
                drop(missing);
                continue;
            }
            long leasedAt = clock.millis(); // not the receive's start: the reads before may have taken a while
            // how far this delivery can reach, for a nack's carry: what it takes, and if it is not full yet, what its claims may add
            long took = Math.max(chosen.stream().mapToLong(Long::longValue).max().orElse(-1), heldReach());
            long reach = taken + chosen.size() < want ? Math.max(took, window().frontier() + claimAllowance - 1) : took;
            if (write(byRange(chosen), (r, offsets) -> leased(r, offsets, leasedAt, reach, capOf))) {
                return;
            }
        }
    }

    /**
     * Leases {@code offsets} of {@code r} to this receive for the visibility, except that a
     * message of a group this receive holds already is leased no longer than that hold
     * ({@code capOf}): a receive that took a while (a lost race, slow reads) would otherwise hold
     * a group's later message after its earlier one ran out, and another receive could then get
     * the earlier one while this one still held the later: the group out to two consumers at once.
     */
    private ClaimedRange leased(ClaimedRange r, List<Long> offsets, long leasedAt, long reach, Map<Long, Long> capOf) {
        Map<Long, List<Long>> byDue = new TreeMap<>();
        for (long o : offsets) {
            long due = Math.min(leasedAt + visibilityMillis, capOf.getOrDefault(o, Long.MAX_VALUE));
            byDue.computeIfAbsent(due, d -> new ArrayList<>()).add(o);
        }
        ClaimedRange out = r;
        for (var e : byDue.entrySet()) out = out.leased(e.getValue(), lease, leasedAt, e.getKey(), reach);
        return out;
    }

    /** Records of these offsets (read from their segments once per receive); returns the offsets past retention. */
    List<Long> read(List<Long> offsets) {
        List<Long> todo = offsets.stream().filter(o -> !records.containsKey(o)).sorted().toList();
        records.putAll(reader.read(logKey, todo));
        return todo.stream().filter(o -> !records.containsKey(o)).toList();
    }

    SegmentRecord record(long offset) {
        return records.get(offset);
    }

    /** Drops offsets from their groups (dead-lettered, past retention); false when a write lost a race (the caller looks again). */
    boolean drop(Collection<Long> offsets) {
        long now = clock.millis();
        return write(byRange(offsets), (r, o) -> r.dropped(o, now));
    }

    /** Every message this receive holds, each group's in offset order, the groups by their earliest message. */
    List<Held> held() {
        Map<String, List<Held>> byGroup = new TreeMap<>();
        List<Held> all = heldHere().stream().filter(h -> h.record() != null).toList();
        for (Held h : all) byGroup.computeIfAbsent(h.range().group(h.offset()), g -> new ArrayList<>()).add(h);
        return byGroup.values().stream().sorted(Comparator.comparingLong(l -> l.getFirst().offset())).flatMap(List::stream).toList();
    }

    /** A message the receive holds, in the range as written. */
    record Held(ClaimedRange range, long offset, SegmentRecord record) {
    }

    private interface Change {
        ClaimedRange apply(ClaimedRange range, List<Long> offsets);
    }

    /**
     * Writes, in offset order, every range with offsets to change and every range not stored yet.
     * Stops at the first write that loses a race (that range is read again): false.
     */
    private boolean write(Map<Integer, List<Long>> byRange, Change change) {
        for (int i = 0; i < ranges.size(); i++) {
            ClaimedRange r = ranges.get(i);
            List<Long> offsets = byRange.getOrDefault(i, List.of());
            if (offsets.isEmpty() && r.stored()) continue;
            var written = table.write(stateKey, offsets.isEmpty() ? r : change.apply(r, offsets), r);
            if (written.isEmpty()) {
                reread(i);
                return false;
            }
            ranges.set(i, written.get());
        }
        return true;
    }

    private void reread(int i) {
        ClaimedRange r = ranges.get(i);
        var now = table.get(stateKey, r.gen(), r.start());
        if (now.isPresent()) {
            ranges.set(i, now.get());
            return;
        }
        ranges.remove(i); // gone below the floor since (done), or a claim that lost to one not visible yet
        while (ranges.size() > i && !ranges.get(i).stored()) ranges.remove(i);
    }

    private ClaimedRange rangeOf(long offset) {
        return ranges.stream().filter(r -> r.contains(offset)).findFirst().orElseThrow();
    }

    private Map<Integer, List<Long>> byRange(Collection<Long> offsets) {
        Map<Integer, List<Long>> out = new HashMap<>();
        for (long o : offsets) {
            for (int i = 0; i < ranges.size(); i++) {
                if (ranges.get(i).contains(o)) {
                    out.computeIfAbsent(i, k -> new ArrayList<>()).add(o);
                    break;
                }
            }
        }
        return out;
    }
}
