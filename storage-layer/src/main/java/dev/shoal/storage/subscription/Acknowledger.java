package dev.shoal.storage.subscription;

import dev.shoal.storage.api.ConflictException;
import dev.shoal.storage.api.InvalidReceiptException;
import dev.shoal.storage.api.InvalidRequestException;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.NackEntry;
import dev.shoal.storage.api.ReceiptResult;
import dev.shoal.storage.api.ShoalException;
import dev.shoal.storage.api.Sleeper;
import dev.shoal.storage.batching.NewestClaims;
import dev.shoal.storage.catalog.SubscriptionRef;
import dev.shoal.storage.dynamodb.LostRaces;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Ack, nack and change visibility, batched: receipts are grouped by the chunk that holds their
 * message, and each chunk is written once (a conditional update, or a split when only some of
 * its messages change schedule). A chunk this process wrote last is written as it remembers it,
 * without a read ({@link ChunkMemory}); a chunk an ack finishes below the newest is left to the
 * table's TTL, not to maintenance.
 * A lost race re-reads the chunk and tries again after a
 * jittered backoff, a bounded number of times; throttling stops the call at once with
 * {@code ServiceUnavailable} (from {@link ChunkTable}). A split that would need more than one
 * transaction's items is done in rounds.
 *
 * <p>Receipt rules: a receipt whose lease was superseded (the message was delivered again) can
 * neither ack, extend nor nack; a receipt whose lease merely expired still acks, as in SQS
 * standard queues, unless {@code expiredReceiptsRejected} (FIFO queues).
 */
public final class Acknowledger {

    static final int MAX_ATTEMPTS = LostRaces.MAX_ATTEMPTS;
    /** A DynamoDB transaction takes at most 100 items. */
    static final int MAX_PIECES = 99;
    /**
     * How long a chunk finished below the newest stays before the table's TTL may delete it: far
     * longer than any claim may act on a head it read ({@link FreshClaims#MAX_HEAD_AGE_MILLIS}),
     * so that no claim takes the deleted chunk's start for the frontier (ADR 0018).
     */
    static final Duration FINISHED_CHUNK_TTL = Duration.ofHours(1);
    /**
     * The longest an ack waits for a newer chunk, whatever the batching window: a consumer that
     * deletes before it receives again is slowed by as much (ADR 0018).
     */
    static final Duration MAX_WAIT_FOR_NEWER = Duration.ofMillis(50);

    private final ChunkTable chunks;
    private final ChunkMemory memory;
    private final ReceiptCodec receipts;
    private final Clock clock;
    private final Sleeper sleeper;
    private final LostRaces races;

    /** @param memory shared with this process's {@link Receiver}: the chunks it claimed are acked without a read */
    public Acknowledger(ChunkTable chunks, ChunkMemory memory, ReceiptCodec receipts, Clock clock, Sleeper sleeper) {
        this.chunks = chunks;
        this.memory = memory;
        this.receipts = receipts;
        this.clock = clock;
        this.sleeper = sleeper;
        this.races = new LostRaces(sleeper);
    }

    /** What to do to one message: return its new schedule, or null to ack it. May throw to fail that entry. */
    interface Operation {
        Splitter.Schedule apply(Chunk chunk, long now);

        boolean isAck();
    }

    public List<ReceiptResult> ack(SubscriptionRef sub, List<String> handles, boolean expiredReceiptsRejected) {
        Operation ack = new Operation() {
            public Splitter.Schedule apply(Chunk chunk, long now) {
                if (expiredReceiptsRejected && chunk.due() <= now) {
                    throw new ConflictException("ReceiptHandleExpired", "receipt handle has expired: the lease ended before the ack; receive the message again");
                }
                return null;
            }
            public boolean isAck() { return true; }
        };
        return apply(sub, handles, h -> ack);
    }

    public List<ReceiptResult> nack(SubscriptionRef sub, Map<String, NackEntry> entries) {
        return apply(sub, new ArrayList<>(entries.keySet()), h -> new Operation() {
            public Splitter.Schedule apply(Chunk chunk, long now) {
                NackEntry entry = entries.get(h);
                Duration delay = entry.explicitDelay().orElseGet(() -> sub.settings().retryPolicy().backoff(chunk.receiveCount()));
                return new Splitter.Schedule(Chunk.State.DELAYED, now + delay.toMillis(), entry.counted() ? 0 : -1);
            }
            public boolean isAck() { return false; }
        });
    }

    public List<ReceiptResult> changeVisibility(SubscriptionRef sub, Map<String, Duration> timeouts) {
        return apply(sub, new ArrayList<>(timeouts.keySet()), h -> new Operation() {
            public Splitter.Schedule apply(Chunk chunk, long now) {
                long due = now + timeouts.get(h).toMillis();
                long cap = chunk.leasedAt() + Limits.MAX_VISIBILITY_TIMEOUT.toMillis();
                if (due > cap) {
                    throw new InvalidRequestException("visibilityTimeout", "would keep the message invisible for more than 12h after it was received; at most "
                            + Limits.human(Duration.ofMillis(Math.max(0, cap - now))) + " more is allowed");
                }
                return new Splitter.Schedule(Chunk.State.LEASED, due);
            }
            public boolean isAck() { return false; }
        });
    }

    private List<ReceiptResult> apply(SubscriptionRef sub, List<String> handles, Function<String, Operation> operations) {
        Map<String, ReceiptResult> results = new LinkedHashMap<>();
        Map<String, Receipt> decoded = new LinkedHashMap<>();
        for (String handle : handles) {
            try {
                Receipt r = receipts.decode(handle);
                if (!r.queueId().equals(sub.queue().id()) || !r.subscription().equals(sub.name())
                        || r.partition() >= sub.queue().partitions()) {
                    throw new InvalidReceiptException("belongs to another queue or subscription (or to a deleted incarnation of this queue)");
                }
                decoded.put(handle, r);
            } catch (ShoalException e) {
                results.put(handle, ReceiptResult.failed(handle, e));
            }
        }
        Map<String, List<String>> byPartitionAndGen = new LinkedHashMap<>();
        decoded.forEach((h, r) -> byPartitionAndGen.computeIfAbsent(r.partition() + "/" + r.gen(), k -> new ArrayList<>()).add(h));
        for (List<String> group : byPartitionAndGen.values()) {
            applyInPartition(sub, group, decoded, operations, results);
        }
        List<ReceiptResult> ordered = new ArrayList<>(handles.size());
        for (String h : handles) ordered.add(results.getOrDefault(h, ReceiptResult.ok(h)));
        return ordered;
    }

    private void applyInPartition(SubscriptionRef sub, List<String> handles, Map<String, Receipt> decoded,
                                  Function<String, Operation> operations, Map<String, ReceiptResult> results) {
        Receipt any = decoded.get(handles.getFirst());
        String stateKey = sub.stateKey(any.partition());
        List<String> pending = new ArrayList<>(handles);
        // lost races count against the bound; rounds that only continue a split that was too big do not
        int lostRaces = 0;
        while (!pending.isEmpty() && lostRaces < MAX_ATTEMPTS) {
            Map<Long, List<String>> byChunk = new LinkedHashMap<>();
            Map<Long, Chunk> found = remembered(stateKey, pending, decoded);
            for (String h : pending) {
                Receipt r = decoded.get(h);
                Chunk chunk = found.values().stream().filter(c -> c.contains(r.offset())).findFirst()
                        .or(() -> chunks.containing(stateKey, r.gen(), r.offset())).orElse(null);
                if (chunk == null) {
                    results.put(h, ReceiptResult.ok(h)); // state gone: acked and expired, or purged/sought past
                    continue;
                }
                found.put(chunk.start(), chunk);
                byChunk.computeIfAbsent(chunk.start(), k -> new ArrayList<>()).add(h);
            }
            List<String> retry = new ArrayList<>();
            boolean raced = false;
            for (var e : byChunk.entrySet()) {
                Outcome outcome = applyToChunk(sub, stateKey, found.get(e.getKey()), e.getValue(), decoded, operations, results);
                retry.addAll(outcome.left());
                raced |= outcome.lostRace();
            }
            if (raced) {
                lostRaces++;
                races.backOff(lostRaces);
            }
            pending = retry;
        }
        for (String h : pending) {
            results.put(h, ReceiptResult.failed(h, new dev.shoal.storage.api.RetryableException("too much contention on this message's chunk; retry", null)));
        }
    }

    /**
     * The chunks of these receipts as this process last wrote them, where each receipt is one
     * it could still act on (its lease is the chunk's, running, and its message not acked).
     * Anything else is read from the table: the memory may be behind another process's write
     * (a redelivery, an extension), and only a write can find that out, not a refusal.
     */
    private Map<Long, Chunk> remembered(String stateKey, List<String> pending, Map<String, Receipt> decoded) {
        long now = clock.millis();
        Map<Long, Chunk> usable = new HashMap<>();
        Map<Long, Chunk> doubtful = new HashMap<>();
        for (String h : pending) {
            Receipt r = decoded.get(h);
            memory.containing(stateKey, r.gen(), r.offset()).ifPresent(c -> {
                boolean actionable = !c.isAcked(r.offset()) && r.lease().equals(c.lease()) && c.due() > now;
                (actionable && !doubtful.containsKey(c.start()) ? usable : doubtful).put(c.start(), c);
            });
        }
        doubtful.values().forEach(c -> {
            usable.remove(c.start());
            memory.forget(stateKey, c);
        });
        return usable;
    }

    /** What is left of one chunk's entries after a write: all of them when the race was lost, some when the split was cut short. */
    private record Outcome(List<String> left, boolean lostRace) {
        static final Outcome DONE = new Outcome(List.of(), false);
    }

    /** Applies the entries to one chunk, or as many as one transaction can take (the rest are left for the next round). */
    private Outcome applyToChunk(SubscriptionRef sub, String stateKey, Chunk chunk, List<String> handles, Map<String, Receipt> decoded,
                                 Function<String, Operation> operations, Map<String, ReceiptResult> results) {
        long now = clock.millis();
        BitSet acked = (BitSet) chunk.acked().clone();
        Map<Long, Splitter.Schedule> changes = new HashMap<>();
        Map<Long, String> changed = new HashMap<>();
        List<String> applied = new ArrayList<>();
        for (String h : handles) {
            Receipt r = decoded.get(h);
            Operation op = operations.apply(h);
            if (chunk.isAcked(r.offset()) || chunk.done()) {
                results.put(h, op.isAck() ? ReceiptResult.ok(h) : ReceiptResult.failed(h,
                        new ConflictException("MessageNotInflight", "message " + r.partition() + "-" + r.offset() + " was already acked")));
                continue;
            }
            if (!r.lease().equals(chunk.lease())) {
                results.put(h, ReceiptResult.failed(h, new ConflictException("ReceiptSuperseded",
                        "the message was delivered again since this receipt was issued; use the newest receipt")));
                continue;
            }
            try {
                Splitter.Schedule schedule = op.apply(chunk, now);
                if (schedule == null) {
                    acked.set((int) (r.offset() - chunk.start()));
                    applied.add(h);
                } else {
                    changes.put(r.offset(), schedule);
                    changed.put(r.offset(), h);
                }
            } catch (ShoalException e) {
                results.put(h, ReceiptResult.failed(h, e));
            }
        }
        Chunk updated = chunk.withAcked(acked);
        Map<Long, Splitter.Schedule> fits = fitting(updated, changes);
        List<String> left = new ArrayList<>();
        changed.forEach((offset, h) -> (fits.containsKey(offset) ? applied : left).add(h));
        if (applied.isEmpty()) {
            return Outcome.DONE;
        }
        List<Chunk> pieces = fits.isEmpty() ? List.of(updated) : Splitter.split(updated, fits);
        if (pieces.size() == 1 && updated.done() && newerKnownSoon(sub, stateKey, chunk)) {
            // below the newest chunk, which holds the frontier: the table's TTL deletes it, not maintenance
            pieces = List.of(updated.expiringAt(now / 1000 + FINISHED_CHUNK_TTL.toSeconds()));
        }
        if (!chunks.replace(stateKey, chunk, pieces, now).landed()) {
            memory.forget(stateKey, chunk);
            List<String> all = new ArrayList<>(applied);
            all.addAll(left);
            return new Outcome(all, true);
        }
        pieces.forEach(piece -> memory.wrote(stateKey, piece.versionAfter(chunk)));
        applied.forEach(h -> results.put(h, ReceiptResult.ok(h)));
        return new Outcome(left, false);
    }

    /**
     * Whether a chunk that starts after this one is known, or becomes known while the ack waits
     * for it ({@link NewestClaims#newerSoon}): for at most the queue's batching window or
     * {@link #MAX_WAIT_FOR_NEWER}. A chunk finished below the newest is left to the TTL; the
     * newest costs maintenance a delete later (ADR 0018).
     */
    private boolean newerKnownSoon(SubscriptionRef sub, String stateKey, Chunk chunk) {
        long bound = Math.min(sub.queue().settings().batchWindow().toMillis(), MAX_WAIT_FOR_NEWER.toMillis());
        return memory.newest().newerSoon(sub.key(), stateKey, chunk.gen(), chunk.start(), bound, sleeper);
    }

    /**
     * The changes, in offset order, that split the chunk into at most {@link #MAX_PIECES} pieces
     * (a DynamoDB transaction takes 100 items). The rest wait for the next round, when the
     * chunk is already cut and each of its pieces is written on its own.
     */
    static Map<Long, Splitter.Schedule> fitting(Chunk chunk, Map<Long, Splitter.Schedule> changes) {
        if (changes.isEmpty() || Splitter.split(chunk, changes).size() <= MAX_PIECES) {
            return changes;
        }
        List<Long> offsets = changes.keySet().stream().sorted().toList();
        int lo = 1;
        int hi = offsets.size() - 1;
        while (lo < hi) { // the longest prefix of the changes that fits
            int mid = (lo + hi + 1) >>> 1;
            if (Splitter.split(chunk, prefix(changes, offsets, mid)).size() <= MAX_PIECES) lo = mid; else hi = mid - 1;
        }
        return prefix(changes, offsets, lo);
    }

    private static Map<Long, Splitter.Schedule> prefix(Map<Long, Splitter.Schedule> changes, List<Long> offsets, int n) {
        Map<Long, Splitter.Schedule> first = new HashMap<>();
        for (int i = 0; i < n; i++) first.put(offsets.get(i), changes.get(offsets.get(i)));
        return first;
    }
}
