package dev.shoal.storage.fifo;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The consumer state of one claimed range of a FIFO subscription-partition (ADR 0013 part 2):
 * for each offset of {@code [start, end)}, its message group and where it stands. Groups have
 * no state of their own: the group rule ({@link GroupRule}) is computed from the live ranges.
 * One range is one item ({@link RangeTable}); claiming, leasing and acking any number of its
 * messages, of any number of groups, is one conditional write of it.
 *
 * <p>Each offset is in one {@link SlotState}; the transitions are the methods below, named for
 * what a receive, an ack, a visibility change, a nack, a dead-letter move or retention does,
 * and each checks that it starts from a state it may (as Kafka's share partitions do).
 *
 * @param gen        subscription generation
 * @param start      first offset of the range
 * @param groups     the message groups of the range, each once, in order of first offset
 * @param slots      one per offset of the range, in offset order
 * @param deliveries the receives that leased some slot of the range (a slot names its latest)
 * @param doneAt     epoch millis when the last slot was acked or dropped; 0 while any is live
 * @param expiresAt  epoch seconds when the table's TTL may delete a done range, 0 for never: only a
 *                   range known not to be the newest gets one (ADR 0019)
 * @param version    optimistic version; every write is conditional on it; -1: not stored yet
 */
record ClaimedRange(long gen, long start, List<String> groups, List<Slot> slots, List<Delivery> deliveries,
                    long doneAt, long expiresAt, long version) {

    /** Where one offset stands (as stored; {@link Slot#at} adds the clock). */
    enum SlotState {
        /** Claimed, never delivered. */
        NEW,
        /** Delivered under a lease until {@code due}; visible again after it. */
        LEASED,
        /** Given back (nacked): waits out its backoff until {@code due}, then is visible again. */
        BACKING_OFF,
        /** Acked under the slot's delivery (kept so that a receipt of another delivery is refused). */
        ACKED,
        /** Left its group without an ack: dead-lettered or past retention. */
        DROPPED
    }

    /** What a slot means to a receive at one moment. */
    enum Visibility { AVAILABLE, IN_FLIGHT, BACKING_OFF, GONE }

    /**
     * One receive's lease: its id (in the receipts), when it was taken (visibility can reach 12 h
     * past it), and the highest offset the receive took under it when it wrote this range (so a
     * nack knows how far its group's later messages of the same delivery can lie).
     */
    record Delivery(String lease, long leasedAt, long reach) {
        Delivery {
            Objects.requireNonNull(lease, "lease");
        }
    }

    /**
     * One offset's state.
     *
     * @param group         index into {@link #groups}; -1 once acked or dropped
     * @param receiveCount  deliveries so far (no longer kept once acked or dropped, as the first-received time)
     * @param firstReceived epoch millis of the first delivery, 0 if none
     * @param delivery      index into {@link #deliveries} of the latest delivery, -1 if none
     * @param due           LEASED and BACKING_OFF: epoch millis when it is visible again
     */
    record Slot(SlotState state, int group, int receiveCount, long firstReceived, int delivery, long due) {

        static Slot fresh(int group) {
            return new Slot(SlotState.NEW, group, 0, 0, -1, 0);
        }

        Visibility at(long now) {
            return switch (state) {
                case NEW -> Visibility.AVAILABLE;
                case LEASED -> due <= now ? Visibility.AVAILABLE : Visibility.IN_FLIGHT;
                case BACKING_OFF -> due <= now ? Visibility.AVAILABLE : Visibility.BACKING_OFF;
                case ACKED, DROPPED -> Visibility.GONE;
            };
        }

        boolean live() {
            return state != SlotState.ACKED && state != SlotState.DROPPED;
        }

        Slot in(SlotState s, int d, long newDue) {
            return new Slot(s, group, receiveCount, firstReceived, d, newDue);
        }
    }

    ClaimedRange {
        groups = List.copyOf(groups);
        slots = List.copyOf(slots);
        deliveries = List.copyOf(deliveries);
    }

    /** A range claimed now and not stored yet: every offset NEW, of the given groups. */
    static ClaimedRange claimed(long gen, long start, List<String> groupOfEachOffset) {
        List<String> groups = new ArrayList<>();
        List<Slot> slots = new ArrayList<>();
        java.util.Map<String, Integer> index = new java.util.HashMap<>();
        for (String g : groupOfEachOffset) {
            slots.add(Slot.fresh(index.computeIfAbsent(g, k -> {
                groups.add(k);
                return groups.size() - 1;
            })));
        }
        return new ClaimedRange(gen, start, groups, slots, List.of(), 0, 0, -1);
    }

    long end() {
        return start + slots.size();
    }

    boolean contains(long offset) {
        return offset >= start && offset < end();
    }

    boolean stored() {
        return version >= 0;
    }

    /** Whether every offset was acked or dropped. */
    boolean done() {
        return slots.stream().noneMatch(Slot::live);
    }

    Slot slot(long offset) {
        return slots.get(index(offset));
    }

    /** The group of a live offset. */
    String group(long offset) {
        Slot s = slot(offset);
        if (s.group() < 0) throw new IllegalStateException("offset " + offset + " is acked or dropped: it has no group any more");
        return groups.get(s.group());
    }

    /** The latest delivery of {@code offset}, or null if it was never delivered. */
    Delivery delivery(long offset) {
        int d = slot(offset).delivery();
        return d < 0 ? null : deliveries.get(d);
    }

    /** How far the receive that holds {@code lease} reached when it last wrote this range, or -1 if it never did. */
    long reachOf(String lease) {
        for (Delivery d : deliveries) if (d.lease().equals(lease)) return d.reach();
        return -1;
    }

    /** Whether {@code offset} is leased to {@code lease} and its visibility has not run out. */
    boolean heldBy(long offset, String lease, long now) {
        Slot s = slot(offset);
        return s.state() == SlotState.LEASED && s.due() > now && lease.equals(deliveries.get(s.delivery()).lease());
    }

    /**
     * Leases {@code offsets} (each available at {@code leasedAt}) to one receive, visible again at
     * {@code visibleAgain}; {@code reach} is the highest offset the receive takes in all ranges.
     */
    ClaimedRange leased(Collection<Long> offsets, String lease, long leasedAt, long visibleAgain, long reach) {
        List<Delivery> d = new ArrayList<>(deliveries);
        int index = -1;
        for (int i = 0; i < d.size(); i++) if (d.get(i).lease().equals(lease)) index = i;
        if (index < 0) {
            d.add(new Delivery(lease, leasedAt, reach));
            index = d.size() - 1;
        } else {
            d.set(index, new Delivery(lease, d.get(index).leasedAt(), Math.max(reach, d.get(index).reach())));
        }
        int delivery = index;
        List<Slot> s = new ArrayList<>(slots);
        for (long o : offsets) {
            Slot old = s.get(index(o));
            if (old.at(leasedAt) != Visibility.AVAILABLE) {
                throw new IllegalStateException("offset " + o + ": lease of a message that is " + old.at(leasedAt));
            }
            s.set(index(o), new Slot(SlotState.LEASED, old.group(), old.receiveCount() + 1,
                    old.firstReceived() == 0 ? leasedAt : old.firstReceived(), delivery, visibleAgain));
        }
        return with(s, d, doneAt);
    }

    /** Acks a delivered offset: it leaves its group, and the group's next message is deliverable once visible. */
    ClaimedRange acked(long offset, long now) {
        Slot old = delivered(offset, "ack");
        return replaced(offset, new Slot(SlotState.ACKED, -1, 0, 0, old.delivery(), 0), now);
    }

    /** Sets the visibility of one delivered offset (its group's later messages keep theirs). */
    ClaimedRange withVisibility(long offset, long newDue, long now) {
        return replaced(offset, delivered(offset, "visibility change").in(SlotState.LEASED, slot(offset).delivery(), newDue), now);
    }

    /**
     * Gives back a delivered offset and the later offsets of its group held by the same
     * delivery, backing off until {@code newDue}: a consumer that failed a message does not go on
     * with its group. {@code counted=false} takes those deliveries back from the receive counts.
     */
    ClaimedRange nacked(long offset, long newDue, boolean counted, long now) {
        Slot failed = delivered(offset, "nack");
        int rc = counted ? failed.receiveCount() : Math.max(0, failed.receiveCount() - 1);
        ClaimedRange r = replaced(offset, new Slot(SlotState.BACKING_OFF, failed.group(), rc, failed.firstReceived(), failed.delivery(), newDue), now);
        return offset + 1 < end() ? r.backedOff(offset + 1, failed.group(), failed.delivery(), newDue, counted) : r;
    }

    /**
     * The later offsets (from {@code from} on) of {@code group} leased by {@code lease}, backing
     * off until {@code newDue}: a nack's reach into the ranges after the nacked message's.
     */
    ClaimedRange followingNack(long from, String group, String lease, long newDue, boolean counted) {
        int g = groups.indexOf(group);
        int d = -1;
        for (int i = 0; i < deliveries.size(); i++) if (deliveries.get(i).lease().equals(lease)) d = i;
        return g < 0 || d < 0 || from >= end() ? this : backedOff(Math.max(from, start), g, d, newDue, counted);
    }

    /** Drops live offsets (dead-lettered, or past retention): they leave their groups unacked. */
    ClaimedRange dropped(Collection<Long> offsets, long now) {
        ClaimedRange r = this;
        for (long o : offsets) {
            Slot old = r.slot(o);
            if (!old.live()) continue;
            r = r.replaced(o, new Slot(SlotState.DROPPED, -1, 0, 0, old.delivery(), 0), now);
        }
        return r;
    }

    /** The earliest live offset, or {@link #end} when the range is done. */
    long firstLive() {
        for (int i = 0; i < slots.size(); i++) if (slots.get(i).live()) return start + i;
        return end();
    }

    /** This range after a successful write of it as version {@code v}. */
    ClaimedRange storedAs(long v) {
        return new ClaimedRange(gen, start, groups, slots, deliveries, doneAt, expiresAt, v);
    }

    /** This done range, left to the table's TTL from {@code epochSeconds} on. */
    ClaimedRange expiringAt(long epochSeconds) {
        if (!done()) throw new IllegalStateException("range " + start + " has live offsets: only a done range may expire");
        return new ClaimedRange(gen, start, groups, slots, deliveries, doneAt, epochSeconds, version);
    }

    /** The LEASED offsets from {@code from} on of one group and one delivery, backing off until {@code newDue}. */
    private ClaimedRange backedOff(long from, int group, int delivery, long newDue, boolean counted) {
        List<Slot> s = new ArrayList<>(slots);
        for (int i = index(from); i < s.size(); i++) {
            Slot old = s.get(i);
            if (old.group() != group || old.delivery() != delivery || old.state() != SlotState.LEASED) continue;
            int rc = counted ? old.receiveCount() : Math.max(0, old.receiveCount() - 1);
            s.set(i, new Slot(SlotState.BACKING_OFF, group, rc, old.firstReceived(), delivery, newDue));
        }
        return with(s, deliveries, doneAt);
    }

    private Slot delivered(long offset, String transition) {
        Slot s = slot(offset);
        if (s.delivery() < 0 || !s.live()) {
            throw new IllegalStateException("offset " + offset + ": " + transition + " of a message that is " + s.state());
        }
        return s;
    }

    private ClaimedRange replaced(long offset, Slot slot, long now) {
        List<Slot> s = new ArrayList<>(slots);
        s.set(index(offset), slot);
        ClaimedRange r = with(s, deliveries, 0);
        // a done range has no live offset, so no group: it keeps only what refuses a superseded receipt
        return r.done() ? new ClaimedRange(gen, start, List.of(), s, deliveries, doneAt == 0 ? now : doneAt, expiresAt, version) : r;
    }

    private ClaimedRange with(List<Slot> s, List<Delivery> d, long done) {
        return new ClaimedRange(gen, start, groups, s, d, done, expiresAt, version);
    }

    private int index(long offset) {
        if (!contains(offset)) throw new IllegalArgumentException("offset " + offset + " is not in [" + start + ", " + end() + ")");
        return (int) (offset - start);
    }
}
