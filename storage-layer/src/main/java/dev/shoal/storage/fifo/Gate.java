package dev.shoal.storage.fifo;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A message group's consumer state in one subscription-partition: the group's claimed but not
 * yet acked offsets in order ({@code pending}), and at most one lease over a prefix of them.
 * Because a group has a single lease, no later message of the group is delivered while an
 * earlier one is in flight or waiting out a backoff; other groups have their own gates and go
 * on in parallel.
 *
 * @param gen            subscription generation
 * @param group          the message group id
 * @param pending        claimed, unacked offsets of the group, ascending
 * @param receiveCounts  deliveries of each pending offset so far
 * @param firstReceived  epoch millis of each pending offset's first delivery, 0 if none
 * @param upTo           every offset of the group below this that was claimed is in pending (or was acked)
 * @param leased         how many offsets at the head of pending the current lease covers (0: no lease)
 * @param acked          bit i: pending offset i of the lease is acked
 * @param lease          lease id, or null
 * @param delayed        the lease was nacked: the group waits for {@code due}
 * @param due            epoch millis when the group is visible again
 * @param leasedAt       epoch millis the current lease began
 * @param version        optimistic version; every write is conditional on it
 */
public record Gate(long gen, String group, List<Long> pending, List<Integer> receiveCounts, List<Long> firstReceived,
                   long upTo, int leased, BitSet acked, String lease, boolean delayed, long due, long leasedAt, long version) {

    public Gate {
        pending = List.copyOf(pending);
        receiveCounts = List.copyOf(receiveCounts);
        firstReceived = List.copyOf(firstReceived);
        acked = (BitSet) acked.clone();
    }

    static Gate empty(long gen, String group) {
        return new Gate(gen, group, List.of(), List.of(), List.of(), 0, 0, new BitSet(), null, false, 0, 0, -1);
    }

    boolean visibleAt(long now) {
        return !pending.isEmpty() && due <= now;
    }

    boolean inFlightAt(long now) {
        return leased > 0 && !delayed && due > now;
    }

    int indexOf(long offset) {
        return pending.indexOf(offset);
    }

    /** Drops the acked offsets of an ended lease, so that the next lease starts at the earliest unacked one. */
    Gate withoutAcked() {
        if (acked.isEmpty()) {
            return new Gate(gen, group, pending, receiveCounts, firstReceived, upTo, 0, new BitSet(), lease, false, due, leasedAt, version);
        }
        List<Long> p = new ArrayList<>();
        List<Integer> rc = new ArrayList<>();
        List<Long> fr = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            if (i < leased && acked.get(i)) continue;
            p.add(pending.get(i));
            rc.add(receiveCounts.get(i));
            fr.add(firstReceived.get(i));
        }
        return new Gate(gen, group, p, rc, fr, upTo, 0, new BitSet(), lease, false, due, leasedAt, version);
    }

    /** A new lease over the first {@code count} pending offsets. */
    Gate leasedTo(String newLease, int count, long now, long visibleAgain) {
        List<Integer> rc = new ArrayList<>(receiveCounts);
        List<Long> fr = new ArrayList<>(firstReceived);
        for (int i = 0; i < count; i++) {
            rc.set(i, rc.get(i) + 1);
            if (fr.get(i) == 0) fr.set(i, now);
        }
        return new Gate(gen, group, pending, rc, fr, upTo, count, new BitSet(), newLease, false, visibleAgain, now, version);
    }

    /** Acks lease positions; when the whole lease is acked the group moves on at once. */
    Gate ackedAt(BitSet positions, long now) {
        BitSet bits = (BitSet) acked.clone();
        bits.or(positions);
        Gate g = new Gate(gen, group, pending, receiveCounts, firstReceived, upTo, leased, bits, lease, delayed, due, leasedAt, version);
        if (bits.cardinality() < leased) {
            return g;
        }
        Gate released = g.withoutAcked();
        return new Gate(gen, group, released.pending, released.receiveCounts, released.firstReceived, upTo, 0, new BitSet(), null,
                false, now, leasedAt, version);
    }

    /** The current lease's delivery did not count (the messages never reached a handler). */
    Gate withLeaseUncounted() {
        List<Integer> rc = new ArrayList<>(receiveCounts);
        for (int i = 0; i < leased; i++) {
            rc.set(i, Math.max(0, rc.get(i) - 1));
        }
        return new Gate(gen, group, pending, rc, firstReceived, upTo, leased, acked, lease, delayed, due, leasedAt, version);
    }

    Gate rescheduled(boolean nacked, long newDue) {
        return new Gate(gen, group, pending, receiveCounts, firstReceived, upTo, leased, acked, lease, nacked, newDue, leasedAt, version);
    }

    /** Drops the given pending offsets (expired by retention); the lease, if any, ends. */
    Gate without(List<Long> gone, long now) {
        List<Long> p = new ArrayList<>();
        List<Integer> rc = new ArrayList<>();
        List<Long> fr = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            if (gone.contains(pending.get(i))) continue;
            p.add(pending.get(i));
            rc.add(receiveCounts.get(i));
            fr.add(firstReceived.get(i));
        }
        return new Gate(gen, group, p, rc, fr, upTo, 0, new BitSet(), null, false, now, leasedAt, version);
    }

    /** Drops the first {@code count} pending offsets (dead-lettered). */
    Gate withoutHead(int count, long now) {
        return new Gate(gen, group, pending.subList(count, pending.size()), receiveCounts.subList(count, receiveCounts.size()),
                firstReceived.subList(count, firstReceived.size()), upTo, 0, new BitSet(), null, false, now, leasedAt, version);
    }
}
