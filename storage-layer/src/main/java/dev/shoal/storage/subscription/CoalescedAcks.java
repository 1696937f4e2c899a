package dev.shoal.storage.subscription;

import dev.shoal.storage.api.ReceiptResult;
import dev.shoal.storage.api.Sleeper;
import dev.shoal.storage.batching.Coalescer;
import dev.shoal.storage.batching.Gathering;
import dev.shoal.storage.batching.Outcome;
import dev.shoal.storage.catalog.SubscriptionRef;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Acks of a standard subscription, coalesced: ack calls that arrive while another is being
 * written join the next write, so receipts of one chunk sent by several callers (receivers that
 * shared a claim) cost one chunk update, not one each. Every receipt gets the result it would
 * have had alone. Callers that keep arriving together wait for each other, up to the queue's
 * batching window ({@link Gathering}).
 */
final class CoalescedAcks {

    /** Receipts one coalesced ack takes at most. */
    static final int MAX_BATCH_RECEIPTS = 1_000;

    /** Ack calls a window from which they are held to share a write (as {@link FreshClaims#CROWD}). */
    static final int CROWD = 8;

    private record Call(SubscriptionRef sub, List<String> receipts, boolean crowded) {
    }

    private final Acknowledger acknowledger;
    private final Gathering gathering;
    private final Coalescer<Call, List<ReceiptResult>> coalescer;

    public CoalescedAcks(Acknowledger acknowledger, Clock clock, Sleeper sleeper) {
        this.acknowledger = acknowledger;
        this.gathering = new Gathering(clock, sleeper, CROWD);
        this.coalescer = new Coalescer<>(this::run, c -> (long) c.receipts().size(), MAX_BATCH_RECEIPTS, this::linger);
    }

    public List<ReceiptResult> ack(SubscriptionRef sub, List<String> receipts) {
        if (receipts.isEmpty()) {
            return List.of();
        }
        String key = sub.key();
        boolean crowded = gathering.arrive(key, sub.queue().settings().batchWindow());
        return coalescer.submit(key, new Call(sub, receipts, crowded));
    }

    /** Ack calls that keep coming together wait for each other, up to the queue's batching window, to share one write per chunk. */
    private void linger(String key, Call leader, int previousBatchSize) {
        gathering.linger(leader.crowded(), leader.sub().queue().settings().batchWindow(), previousBatchSize, () -> coalescer.waiting(key));
    }

    private List<Outcome<List<ReceiptResult>>> run(List<Call> calls) {
        List<String> all = new ArrayList<>();
        calls.forEach(c -> all.addAll(c.receipts()));
        List<ReceiptResult> results = acknowledger.ack(calls.getFirst().sub(), all, false);
        List<Outcome<List<ReceiptResult>>> outcomes = new ArrayList<>(calls.size());
        int next = 0;
        for (Call c : calls) {
            outcomes.add(Outcome.of(List.copyOf(results.subList(next, next + c.receipts().size()))));
            next += c.receipts().size();
        }
        return outcomes;
    }
}
