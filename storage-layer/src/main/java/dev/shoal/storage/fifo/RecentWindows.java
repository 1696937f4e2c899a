package dev.shoal.storage.fifo;

import dev.shoal.storage.subscription.Cursor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live windows as this process's receives last left them, so that a receive shortly after
 * another one need not read the window again. A window is kept as its cursor, the starts of its
 * ranges and its frontier; its ranges are taken, when it is served, from what {@link RangeTable}
 * remembers of them (the newest version this process wrote or read: an ack made here since is in
 * it). It is served for {@link #REFRESH} after the window was last read whole; then the next
 * receive reads it again.
 *
 * <p>Why a window known this way is safe: every write a receive makes is conditional on the
 * version it read, and a range only moves forward (acked and dropped offsets stay so), so a
 * range another process wrote since can only make a write fail (the range is then read again,
 * and, another writer being about, the next receive reads the whole window) or make this
 * receive hold back a message it could have had (until the next read). A receive never holds a message whose group
 * has an earlier message in flight elsewhere: that earlier message is not acked in any version
 * of its range, so the receive takes it too, and its write, first in offset order, fails. What
 * only a read of the cursor can tell is a new generation (a seek or purge): a receive reads the
 * cursor before it puts a claim ({@link FifoReceiver}), so nothing committed after a seek or
 * purge is ever claimed in the generation before it; messages claimed before one may still go
 * out for up to {@link #REFRESH} after it, as SQS's purge lets them for up to a minute.
 */
final class RecentWindows {

    /** How long a window is served from memory after it was last read whole. */
    static final Duration REFRESH = Duration.ofMillis(250);

    /** A window as known: {@code lostRaces}, the table's count of lost writes when it was last read whole. */
    private record Known(Cursor cursor, List<Long> starts, long frontier, long readAt, long lostRaces) {
    }

    private final RangeTable table;
    private final Map<String, Known> windows = new ConcurrentHashMap<>();

    RecentWindows(RangeTable table) {
        this.table = table;
    }

    /**
     * The window as this process knows it, if it was read whole less than {@link #REFRESH} ago,
     * no write of its ranges lost a race since, and each of its ranges is remembered.
     */
    Optional<RangeTable.Window> recent(String stateKey, long now) {
        Known k = windows.get(stateKey);
        if (k == null || now < k.readAt() || now - k.readAt() >= REFRESH.toMillis()) return Optional.empty();
        if (table.lostRaces(stateKey) != k.lostRaces()) return Optional.empty(); // another writer is about: read it
        List<ClaimedRange> ranges = new ArrayList<>(k.starts().size());
        for (long start : k.starts()) {
            Optional<ClaimedRange> r = table.remembered(stateKey, k.cursor().gen(), start).filter(c -> c.start() == start);
            if (r.isEmpty()) return Optional.empty(); // a write lost a race on it, or it was forgotten: read the window
            // a gap is done ranges the TTL deleted (ADR 0019); an overlap is not a window: read it
            if (!ranges.isEmpty() && ranges.getLast().end() > start) return Optional.empty();
            ranges.add(r.get());
        }
        return Optional.of(new RangeTable.Window(k.cursor(), ranges, k.frontier()));
    }

    /** The window was read whole at {@code now}. */
    void read(String stateKey, RangeTable.Window window, long now, long lostRaces) {
        windows.put(stateKey, known(window, now, lostRaces));
    }

    /** A receive left the window so (what it claimed included); it counts as read when it was last read whole. */
    void left(String stateKey, RangeTable.Window window) {
        Known before = windows.get(stateKey);
        if (before == null || before.cursor().gen() != window.cursor().gen()) return;
        windows.put(stateKey, known(window, before.readAt(), before.lostRaces()));
    }

    /** The floor moved to {@code floor}: the ranges below it are done and leave the window. */
    void floorRaised(String stateKey, long floor) {
        Known k = windows.get(stateKey);
        if (k == null) return;
        Cursor c = k.cursor();
        windows.put(stateKey, new Known(new Cursor(c.gen(), c.genStart(), Math.max(c.floor(), floor), c.swept()),
                k.starts().stream().filter(s -> s >= floor).toList(), k.frontier(), k.readAt(), k.lostRaces()));
    }

    /** What this process knows of the window is not to be trusted (another wrote the cursor): the next receive reads it. */
    void forget(String stateKey) {
        windows.remove(stateKey);
    }

    private static Known known(RangeTable.Window window, long readAt, long lostRaces) {
        return new Known(window.cursor(), window.ranges().stream().map(ClaimedRange::start).toList(), window.frontier(), readAt, lostRaces);
    }
}
