package dev.shoal.storage.fifo;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A message group's consumer state in one subscription-partition: the group's claimed but not
 * yet acked offsets in order ({@code pending}), and per message the delivery that holds it
 * ({@code holds}). Visibility is per message, as SQS's: a group delivers the longest prefix of
 * its pending messages that is visible, so no message is handed out while an earlier one of its
 * group is in flight, and an earlier message whose visibility ran out comes back even while a
 * later one's was extended. Other groups have their own gates and go on in parallel.
 *
 * <p>Acked messages leave {@code pending} at once. Only a prefix of {@code pending} was ever
 * delivered, so {@code holds} is at most as long as {@code pending}, and positions past its end
 * were never delivered.
 *
 * @param gen            subscription generation
 * @param group          the message group id
 * @param pending        claimed, unacked offsets of the group, ascending
 * @param receiveCounts  deliveries of each pending offset so far
 * @param firstReceived  epoch millis of each pending offset's first delivery, 0 if none
 * @param upTo           every offset of the group below this that was claimed is in pending (or was acked)
 * @param holds          the latest delivery of each position of a prefix of pending (null: never delivered)
 * @param due            epoch millis from which the group has a message to deliver (the head's visibility; the due index's sort key)
 * @param recentAcks     the last {@link #RECENT_ACKS} acks as {@code offset:leasePrefix}, so that a late ack with the receipt of an
 *                       earlier delivery of a message acked since is refused rather than reported done
 * @param version        optimistic version; every write is conditional on it
 *
 * <p>Each pending message is in one {@link MessageState} at a time; the transitions are the
 * methods below, named for what a claim, a receive, an ack, a visibility change, a nack, a
 * dead-letter move or retention does, and each checks that it starts from a state it may (as
 * Kafka's share-partition {@code validateTransition}). Built only by {@link #empty} (a group
 * never claimed) and {@link #stored} (as read from its item).
 */
record Gate(long gen, String group, List<Long> pending, List<Integer> receiveCounts, List<Long> firstReceived,
                   long upTo, List<Hold> holds, long due, List<String> recentAcks, long version) {

    /** Where one pending message stands at a moment. */
    enum MessageState {
        /** Claimed and never delivered, or its visibility ran out: deliverable once no earlier message of its group is in flight. */
        AVAILABLE,
        /** Delivered, and its visibility has not run out: neither it nor any later message of its group goes out. */
        IN_FLIGHT,
        /** Given back (nacked), waiting out its backoff: it and the later messages of its group wait. */
        BACKING_OFF
    }

    /** Acks remembered: an SQS batch's worth. Each keeps 8 hex digits of its lease id, enough to tell deliveries apart. */
    static final int RECENT_ACKS = 10;

    /**
     * One delivery of one message.
     *
     * @param lease    the lease id its receipt carries
     * @param due      epoch millis when it is visible again
     * @param leasedAt epoch millis it was received (visibility can reach at most 12 h past it)
     * @param nacked   given back with a backoff: waiting, not in flight
     */
    record Hold(String lease, long due, long leasedAt, boolean nacked) {
        public Hold {
            Objects.requireNonNull(lease, "lease");
        }

        Hold rescheduled(long newDue, boolean nack) {
            return new Hold(lease, newDue, leasedAt, nack);
        }
    }

    Gate {
        pending = List.copyOf(pending);
        receiveCounts = List.copyOf(receiveCounts);
        firstReceived = List.copyOf(firstReceived);
        holds = trimmed(holds, pending.size());
        recentAcks = List.copyOf(recentAcks.subList(Math.max(0, recentAcks.size() - RECENT_ACKS), recentAcks.size()));
    }

    /** The gate of a group nothing was claimed for yet. */
    static Gate empty(long gen, String group) {
        return new Gate(gen, group, List.of(), List.of(), List.of(), 0, List.of(), 0, List.of(), -1);
    }

    /** A gate as its item holds it (see {@link GateTable}). */
    static Gate stored(long gen, String group, List<Long> pending, List<Integer> receiveCounts, List<Long> firstReceived,
                       long upTo, List<Hold> holds, long due, List<String> recentAcks, long version) {
        return new Gate(gen, group, pending, receiveCounts, firstReceived, upTo, holds, due, recentAcks, version);
    }

    /** The state of pending position {@code position} at {@code now}. */
    MessageState stateAt(int position, long now) {
        Hold h = hold(position);
        if (h == null || h.due() <= now) return MessageState.AVAILABLE;
        return h.nacked() ? MessageState.BACKING_OFF : MessageState.IN_FLIGHT;
    }

    /** Whether pending position {@code position} was delivered (its receipt can act on it, by its lease). */
    boolean delivered(int position) {
        return hold(position) != null;
    }

    /** Whether {@code offset} was acked recently under a delivery other than {@code lease} (false when unknown). */
    boolean ackedUnderAnotherLease(long offset, String lease) {
        String prefix = offset + ":";
        return recentAcks.stream().anyMatch(a -> a.startsWith(prefix) && !a.equals(prefix + leasePrefix(lease)));
    }

    /** The delivery holding pending position {@code position}, or null if it was never delivered. */
    Hold hold(int position) {
        return position < holds.size() ? holds.get(position) : null;
    }

    /** How many messages at the head can be delivered at {@code now}: up to the first one that is not visible. */
    int deliverable(long now) {
        for (int i = 0; i < holds.size(); i++) {
            if (stateAt(i, now) != MessageState.AVAILABLE) return i;
        }
        return pending.size();
    }

    boolean visibleAt(long now) {
        return deliverable(now) > 0;
    }

    /** Whether position {@code i} is leased and its visibility has not run out (nacked ones are waiting, not in flight). */
    boolean inFlightAt(int i, long now) {
        return stateAt(i, now) == MessageState.IN_FLIGHT;
    }

    /** Whether position {@code i} was given back and waits out its backoff. */
    boolean waitingAt(int i, long now) {
        return stateAt(i, now) == MessageState.BACKING_OFF;
    }

    int indexOf(long offset) {
        return pending.indexOf(offset);
    }

    /** A new lease over the first {@code count} pending offsets (all visible: see {@link #deliverable}). */
    Gate leasedTo(String lease, int count, long now, long visibleAgain) {
        if (count < 1 || count > deliverable(now)) {
            throw new IllegalStateException("group " + group + ": lease of " + count + " messages, " + deliverable(now) + " available");
        }
        List<Integer> rc = new ArrayList<>(receiveCounts);
        List<Long> fr = new ArrayList<>(firstReceived);
        List<Hold> h = padded(count);
        for (int i = 0; i < count; i++) {
            rc.set(i, rc.get(i) + 1);
            if (fr.get(i) == 0) fr.set(i, now);
            h.set(i, new Hold(lease, visibleAgain, now, false));
        }
        return with(pending, rc, fr, h, 0, recentAcks).withDue(now);
    }

    /** Acks a delivered offset: it leaves the group, and the next message is deliverable as soon as it is visible. */
    Gate acked(long offset, long now) {
        List<String> acks = new ArrayList<>(recentAcks);
        acks.add(offset + ":" + leasePrefix(deliveredHold(offset, "ack").lease()));
        Gate g = without(List.of(offset), now);
        return g.with(g.pending, g.receiveCounts, g.firstReceived, g.holds, g.due, acks);
    }

    /** Sets the visibility of one delivered message (its group's later messages keep theirs). */
    Gate withVisibility(long offset, long newDue, long now) {
        Hold held = deliveredHold(offset, "visibility change");
        List<Hold> h = new ArrayList<>(holds);
        h.set(indexOf(offset), held.rescheduled(newDue, false));
        return with(pending, receiveCounts, firstReceived, h, due, recentAcks).withDue(now);
    }

    /**
     * Gives back one delivered message and every later message of the same delivery: a consumer
     * that failed a message does not go on with its group's later ones. {@code counted=false}
     * takes those deliveries back from the receive counts (they never reached a handler).
     */
    Gate nacked(long offset, long newDue, boolean counted, long now) {
        String lease = deliveredHold(offset, "nack").lease();
        int p = indexOf(offset);
        List<Hold> h = new ArrayList<>(holds);
        List<Integer> rc = new ArrayList<>(receiveCounts);
        for (int i = p; i < h.size(); i++) {
            if (h.get(i) == null || !h.get(i).lease().equals(lease)) continue;
            h.set(i, h.get(i).rescheduled(newDue, true));
            if (!counted) rc.set(i, Math.max(0, rc.get(i) - 1));
        }
        return with(pending, rc, firstReceived, h, due, recentAcks).withDue(now);
    }

    /** Drops the given pending offsets (acked, past retention); the others keep their deliveries. */
    Gate without(Collection<Long> gone, long now) {
        List<Long> p = new ArrayList<>();
        List<Integer> rc = new ArrayList<>();
        List<Long> fr = new ArrayList<>();
        List<Hold> h = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            if (gone.contains(pending.get(i))) continue;
            p.add(pending.get(i));
            rc.add(receiveCounts.get(i));
            fr.add(firstReceived.get(i));
            h.add(hold(i));
        }
        return with(p, rc, fr, h, due, recentAcks).withDue(now);
    }

    /** Drops the first {@code count} pending offsets (dead-lettered). */
    Gate withoutHead(int count, long now) {
        if (count > deliverable(now)) {
            throw new IllegalStateException("group " + group + ": " + count + " head messages dead-lettered, " + deliverable(now) + " available");
        }
        return without(pending.subList(0, count), now);
    }

    /**
     * The gate with its {@code due} recomputed: the head's visibility when the head was delivered,
     * else the time it has been deliverable since (kept when earlier, so older groups sort first).
     */
    private Gate withDue(long now) {
        Hold head = hold(0);
        long d = head != null ? head.due() : Math.min(due, now);
        return with(pending, receiveCounts, firstReceived, holds, d, recentAcks);
    }

    /** This gate's group, generation, appended range and version, with the given per-message state. */
    private Gate with(List<Long> p, List<Integer> rc, List<Long> fr, List<Hold> h, long d, List<String> acks) {
        return new Gate(gen, group, p, rc, fr, upTo, h, d, acks, version);
    }

    /** The delivery holding pending {@code offset}: a transition by receipt starts from a delivered message. */
    private Hold deliveredHold(long offset, String transition) {
        int p = indexOf(offset);
        if (p < 0 || !delivered(p)) {
            throw new IllegalStateException("group " + group + ": " + transition + " of offset " + offset + ", which is not delivered");
        }
        return hold(p);
    }

    private static String leasePrefix(String lease) {
        return lease.length() <= 8 ? lease : lease.substring(0, 8);
    }

    private List<Hold> padded(int size) {
        List<Hold> h = new ArrayList<>(holds);
        while (h.size() < size) h.add(null);
        return h;
    }

    /** Holds past the pending list, and trailing nulls, carry nothing: dropped so that equal gates are equal. */
    private static List<Hold> trimmed(List<Hold> holds, int max) {
        int end = Math.min(holds.size(), max);
        while (end > 0 && holds.get(end - 1) == null) end--;
        return java.util.Collections.unmodifiableList(new ArrayList<>(holds.subList(0, end)));
    }
}
