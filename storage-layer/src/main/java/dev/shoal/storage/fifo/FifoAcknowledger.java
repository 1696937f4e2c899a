package dev.shoal.storage.fifo;

import dev.shoal.storage.api.ConflictException;
import dev.shoal.storage.api.InvalidReceiptException;
import dev.shoal.storage.api.InvalidRequestException;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.NackEntry;
import dev.shoal.storage.api.ReceiptResult;
import dev.shoal.storage.api.RetryableException;
import dev.shoal.storage.api.ShoalException;
import dev.shoal.storage.api.Sleeper;
import dev.shoal.storage.batching.NewestClaims;
import dev.shoal.storage.catalog.SubscriptionRef;
import dev.shoal.storage.subscription.Receipt;
import dev.shoal.storage.subscription.ReceiptCodec;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;

/**
 * Ack, nack and change visibility on FIFO queues. Receipts are grouped by the claimed range
 * that holds their message, and each range is written once per batch (on its version).
 * Visibility is per message, as SQS's: a visibility change moves that message alone. A nack
 * gives back the message and the later messages of its group under the same delivery (the
 * consumer does not go on with a group past a failed message), in its range and the later ones.
 * Acking after the message's visibility ran out is rejected, as SQS FIFO does; a receipt of an
 * earlier delivery is refused ({@code ReceiptSuperseded}) while the range is kept. In one ack
 * call, a group's later message is not acked when the ack of an earlier one failed (it fails too,
 * to be retried with it): the group never goes on past a message that is delivered again.
 */
public final class FifoAcknowledger {

    static final int MAX_ATTEMPTS = 8;
    /** An ack that finishes the newest range waits no longer than this for a newer one (ADR 0019). */
    static final Duration MAX_WAIT_FOR_NEWER = Duration.ofMillis(100);
    /**
     * Beyond the batching window, how long the wait allows for the receive that claims the next
     * flush: the next range comes a window after the one the ack finishes, and a little later.
     */
    static final Duration CLAIM_ALLOWANCE = Duration.ofMillis(15);

    /** What an entry does to its message's range, given the slot; throws to fail that entry alone. */
    @FunctionalInterface
    interface Change {
        ClaimedRange apply(ClaimedRange range, long offset, ClaimedRange.Slot slot, long now);
    }

    /** A nack to carry into the later ranges: the group's later messages under the same delivery. */
    private record Reach(String group, String lease, long from, long upTo, long due, boolean counted) {
    }

    private final RangeTable ranges;
    private final ReceiptCodec receipts;
    private final Clock clock;
    private final Sleeper sleeper;

    public FifoAcknowledger(RangeTable ranges, ReceiptCodec receipts, Clock clock, Sleeper sleeper) {
        this.ranges = ranges;
        this.receipts = receipts;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    public List<ReceiptResult> ack(SubscriptionRef sub, List<String> handles) {
        Map<String, Change> changes = new LinkedHashMap<>();
        for (String h : handles) {
            changes.put(h, (range, offset, slot, now) -> {
                if (slot.due() <= now) {
                    throw new ConflictException("ReceiptHandleExpired", "receipt handle has expired: the visibility timeout ended before the ack; receive the message again");
                }
                return range.acked(offset, now);
            });
        }
        return apply(sub, changes, true, Map.of());
    }

    public List<ReceiptResult> nack(SubscriptionRef sub, Map<String, NackEntry> entries) {
        Map<String, Change> changes = new LinkedHashMap<>();
        Map<String, Reach> reaches = new LinkedHashMap<>();
        entries.forEach((h, entry) -> changes.put(h, (range, offset, slot, now) -> {
            Duration d = entry.explicitDelay().orElseGet(() -> sub.settings().retryPolicy().backoff(slot.receiveCount()));
            ClaimedRange.Delivery delivery = range.delivery(offset);
            reaches.put(h, new Reach(range.group(offset), delivery.lease(), range.end(), delivery.reach(), now + d.toMillis(), entry.counted()));
            return range.nacked(offset, now + d.toMillis(), entry.counted(), now);
        }));
        return apply(sub, changes, false, reaches);
    }

    public List<ReceiptResult> changeVisibility(SubscriptionRef sub, Map<String, Duration> timeouts) {
        Map<String, Change> changes = new LinkedHashMap<>();
        timeouts.forEach((h, t) -> changes.put(h, (range, offset, slot, now) -> {
            long due = now + t.toMillis();
            if (due > range.delivery(offset).leasedAt() + Limits.MAX_VISIBILITY_TIMEOUT.toMillis()) {
                throw new InvalidRequestException("visibilityTimeout", "would keep the message invisible for more than 12h after it was received");
            }
            return range.withVisibility(offset, due, now);
        }));
        return apply(sub, changes, false, Map.of());
    }

    private List<ReceiptResult> apply(SubscriptionRef sub, Map<String, Change> changes, boolean ack, Map<String, Reach> reaches) {
        Map<String, ReceiptResult> results = new LinkedHashMap<>();
        Map<String, List<Map.Entry<String, Receipt>>> byPartition = new TreeMap<>();
        for (String h : changes.keySet()) {
            try {
                Receipt r = receipts.decode(h);
                if (!r.queueId().equals(sub.queue().id()) || !r.subscription().equals(sub.name()) || r.group().isEmpty()) {
                    throw new InvalidReceiptException("belongs to another queue or subscription (or to a deleted incarnation of this queue)");
                }
                byPartition.computeIfAbsent(r.partition() + "/" + r.gen(), k -> new ArrayList<>()).add(Map.entry(h, r));
            } catch (ShoalException e) {
                results.put(h, ReceiptResult.failed(h, e));
            }
        }
        for (var entries : byPartition.values()) {
            List<Map.Entry<String, Receipt>> sorted = new ArrayList<>(entries);
            sorted.sort(Comparator.comparingLong(e -> e.getValue().offset()));
            Receipt first = sorted.getFirst().getValue();
            String stateKey = sub.stateKey(first.partition());
            Set<String> notAcked = new HashSet<>(); // groups with an entry of this call that failed, in offset order
            int i = 0;
            while (i < sorted.size()) {
                long offset = sorted.get(i).getValue().offset();
                // the range as this process last wrote it (usually the receive that delivered these): no read, the write's condition checks it
                Optional<ClaimedRange> remembered = ranges.remembered(stateKey, first.gen(), offset);
                Optional<ClaimedRange> range = remembered.isPresent() ? remembered : ranges.containing(stateKey, first.gen(), offset);
                int j = i + 1;
                while (j < sorted.size() && range.isPresent() && range.get().contains(sorted.get(j).getValue().offset())) j++;
                List<Map.Entry<String, Receipt>> slice = ack ? afterFailures(sorted.subList(i, j), notAcked, results) : sorted.subList(i, j);
                if (!slice.isEmpty()) applyToRange(sub, stateKey, range, remembered.isPresent(), slice, changes, ack, results);
                if (ack) {
                    for (var e : slice) if (!results.get(e.getKey()).succeeded()) notAcked.add(e.getValue().group());
                }
                i = j;
            }
            for (var e : sorted) {
                Reach reach = reaches.get(e.getKey());
                if (reach != null && results.get(e.getKey()).succeeded()) carry(stateKey, first.gen(), reach);
            }
        }
        List<ReceiptResult> ordered = new ArrayList<>();
        for (String h : changes.keySet()) ordered.add(results.get(h));
        return ordered;
    }

    /**
     * The entries to ack, without those of a group whose earlier message's ack in this call
     * failed (a lost race, a run-out lease): acking a later message of a group before an earlier
     * one would let the group go on past a message that is delivered again. They fail, to be
     * retried with it.
     */
    private static List<Map.Entry<String, Receipt>> afterFailures(List<Map.Entry<String, Receipt>> entries, Set<String> notAcked,
                                                                  Map<String, ReceiptResult> results) {
        List<Map.Entry<String, Receipt>> out = new ArrayList<>();
        for (var e : entries) {
            if (notAcked.contains(e.getValue().group())) {
                results.put(e.getKey(), ReceiptResult.failed(e.getKey(), new RetryableException(
                        "an earlier message of group " + e.getValue().group() + " in this call was not acked; ack it, then this one", null)));
            } else {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * Applies the entries to their range, in one conditional write. {@code remembered}: the range
     * is as this process last saw it, not read now; it is relied on only when every entry applies
     * and the write (on its version) lands. Any entry it would refuse, or find acked, is decided
     * again on the range as read.
     */
    private void applyToRange(SubscriptionRef sub, String stateKey, Optional<ClaimedRange> read, boolean remembered, List<Map.Entry<String, Receipt>> entries,
                              Map<String, Change> changes, boolean ack, Map<String, ReceiptResult> results) {
        ClaimedRange range = read.orElse(null);
        boolean current = !remembered;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            long now = clock.millis();
            List<String> applied = new ArrayList<>();
            Map<String, ReceiptResult> decided = new LinkedHashMap<>();
            ClaimedRange updated = range;
            for (var e : entries) {
                String h = e.getKey();
                Receipt r = e.getValue();
                ShoalException refused = updated == null ? gone(r, ack) : refusal(updated, r, ack);
                if (refused != null) {
                    decided.put(h, ReceiptResult.failed(h, refused));
                    continue;
                }
                if (updated == null || !updated.slot(r.offset()).live()) {
                    decided.put(h, ReceiptResult.ok(h)); // acked before, under this receipt (or no longer kept)
                    continue;
                }
                try {
                    updated = changes.get(h).apply(updated, r.offset(), updated.slot(r.offset()), now);
                    applied.add(h);
                } catch (ShoalException ex) {
                    decided.put(h, ReceiptResult.failed(h, ex));
                }
            }
            if (!current && !decided.isEmpty()) {
                // decided on a range not read now: only the stored one can say an entry is refused, or done
                range = ranges.get(stateKey, range.gen(), range.start()).orElse(null);
                current = true;
                continue;
            }
            results.putAll(decided);
            if (!applied.isEmpty() && updated.done() && newerKnownSoon(sub, stateKey, updated)) {
                // below the newest range, which holds the frontier: the table's TTL deletes it (ADR 0019)
                updated = updated.expiringAt(now / 1000 + FifoState.FINISHED_RANGE_TTL.toSeconds());
            }
            if (applied.isEmpty() || ranges.write(stateKey, updated, range).isPresent()) {
                applied.forEach(h -> results.put(h, ReceiptResult.ok(h)));
                return;
            }
            range = ranges.get(stateKey, range.gen(), range.start()).orElse(null);
            current = true;
        }
        entries.forEach(e -> results.putIfAbsent(e.getKey(), ReceiptResult.failed(e.getKey(),
                new RetryableException("too much contention on this range of messages; retry", null))));
    }

    /**
     * Whether a range that starts after this one is known, or becomes known while the ack waits
     * for it ({@link NewestClaims#newerSoon}): for at most the queue's batching window and
     * {@link #CLAIM_ALLOWANCE}, never more than {@link #MAX_WAIT_FOR_NEWER}, and never with a
     * window of 0. The newest range is passed by the floor later, and gets its TTL then, for a
     * write unit; the wait saves it, for some milliseconds of the ack's latency.
     */
    private boolean newerKnownSoon(SubscriptionRef sub, String stateKey, ClaimedRange range) {
        long window = sub.queue().settings().batchWindow().toMillis();
        long bound = window == 0 ? 0 : Math.min(window + CLAIM_ALLOWANCE.toMillis(), MAX_WAIT_FOR_NEWER.toMillis());
        return ranges.newest().newerSoon(sub.key(), stateKey, range.gen(), range.start(), bound, sleeper);
    }

    /** A receipt whose range is no longer kept: its message was acked (or dropped) long ago. */
    private static ShoalException gone(Receipt r, boolean ack) {
        return ack ? null : new ConflictException("MessageNotInflight", "message " + r.partition() + "-" + r.offset() + " was already acked");
    }

    /** Why this receipt cannot act on its message now, or null if it can (or, for an ack, it acked it already). */
    private static ShoalException refusal(ClaimedRange range, Receipt r, boolean ack) {
        ClaimedRange.Slot slot = range.slot(r.offset());
        ClaimedRange.Delivery latest = range.delivery(r.offset());
        boolean ours = latest != null && latest.lease().equals(r.lease());
        if (!slot.live()) {
            if (!ours) return new ConflictException("ReceiptSuperseded", "the message was delivered again and acked since this receipt was issued");
            return ack ? null : new ConflictException("MessageNotInflight", "message " + r.partition() + "-" + r.offset() + " was already acked");
        }
        if (!ours) {
            return new ConflictException("ReceiptSuperseded", "the message was delivered again since this receipt was issued; use the newest receipt");
        }
        return null;
    }

    /**
     * Backs off the later messages of a nacked message's group under the same delivery, in the
     * ranges after its own, as far as the delivery reached. Each range records how far the
     * delivery reached when it wrote that range; a range that says further (the receive took
     * from a claim another process had put, larger than its own would have been) extends the
     * search past it.
     */
    private void carry(String stateKey, long gen, Reach reach) {
        long from = reach.from();
        long upTo = reach.upTo();
        while (upTo >= from) { // empty when the delivery took nothing past the nacked message's range
            long further = upTo;
            for (ClaimedRange later : ranges.between(stateKey, gen, from, upTo)) {
                further = Math.max(further, later.reachOf(reach.lease()));
                backOff(stateKey, gen, later, reach);
            }
            from = upTo + 1;
            upTo = further;
        }
    }

    private void backOff(String stateKey, long gen, ClaimedRange later, Reach reach) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS && later != null; attempt++) {
            ClaimedRange moved = later.followingNack(later.start(), reach.group(), reach.lease(), reach.due(), reach.counted());
            if (moved.equals(later) || ranges.write(stateKey, moved, later).isPresent()) return;
            later = ranges.get(stateKey, gen, later.start()).orElse(null);
        }
    }
}
