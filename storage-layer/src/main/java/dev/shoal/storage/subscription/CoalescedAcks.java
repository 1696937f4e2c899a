package dev.shoal.storage.subscription;

import dev.shoal.storage.ReceiptResult;
import dev.shoal.storage.batching.Coalescer;
import dev.shoal.storage.batching.Outcome;
import dev.shoal.storage.catalog.SubscriptionRef;

import java.util.ArrayList;
import java.util.List;

/**
 * Acks of a standard subscription, coalesced: ack calls that arrive while another is being
 * written join the next write, so receipts of one chunk sent by several callers (receivers that
 * shared a claim) cost one chunk update, not one each. Every receipt gets the result it would
 * have had alone.
 */
public final class CoalescedAcks {

    /** Receipts one coalesced ack takes at most. */
    static final int MAX_BATCH_RECEIPTS = 1_000;

    private record Call(SubscriptionRef sub, List<String> receipts) {
    }

    private final Acknowledger acknowledger;
    private final Coalescer<Call, List<ReceiptResult>> coalescer;

    public CoalescedAcks(Acknowledger acknowledger) {
        this.acknowledger = acknowledger;
        this.coalescer = new Coalescer<>(this::run, c -> (long) c.receipts().size(), MAX_BATCH_RECEIPTS, Coalescer.Linger.none());
    }

    public List<ReceiptResult> ack(SubscriptionRef sub, List<String> receipts) {
        if (receipts.isEmpty()) {
            return List.of();
        }
        return coalescer.submit(sub.key(), new Call(sub, receipts));
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
