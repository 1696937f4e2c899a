package dev.shoal.storage.fifo;

import dev.shoal.storage.api.ConflictException;
import dev.shoal.storage.api.InvalidReceiptException;
import dev.shoal.storage.api.InvalidRequestException;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.NackEntry;
import dev.shoal.storage.api.ReceiptResult;
import dev.shoal.storage.api.RetryableException;
import dev.shoal.storage.api.ShoalException;
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

/**
 * Ack, nack and change visibility on FIFO queues. Receipts are grouped by their group's gate,
 * and each gate is written once per batch. Visibility is per message, as SQS's: a visibility
 * change moves that message alone. A nack gives back the message and the later messages of the
 * same delivery (the consumer does not go on with a group past a failed message). Acking after
 * the message's visibility ran out is rejected, as SQS FIFO does.
 */
public final class FifoAcknowledger {

    static final int MAX_ATTEMPTS = 8;

    /** What an entry does to its message's gate, given the delivery that holds it; throws to fail that entry alone. */
    @FunctionalInterface
    interface Change {
        Gate apply(Gate gate, long offset, Gate.Hold hold, long now);
    }

    private final GateTable gates;
    private final ReceiptCodec receipts;
    private final Clock clock;

    public FifoAcknowledger(GateTable gates, ReceiptCodec receipts, Clock clock) {
        this.gates = gates;
        this.receipts = receipts;
        this.clock = clock;
    }

    public List<ReceiptResult> ack(SubscriptionRef sub, List<String> handles) {
        Map<String, Change> changes = new LinkedHashMap<>();
        for (String h : handles) {
            changes.put(h, (gate, offset, hold, now) -> {
                if (hold.due() <= now) {
                    throw new ConflictException("ReceiptHandleExpired", "receipt handle has expired: the visibility timeout ended before the ack; receive the message again");
                }
                return gate.acked(offset, now);
            });
        }
        return apply(sub, changes, true);
    }

    public List<ReceiptResult> nack(SubscriptionRef sub, Map<String, NackEntry> entries) {
        Map<String, Change> changes = new LinkedHashMap<>();
        entries.forEach((h, entry) -> changes.put(h, (gate, offset, hold, now) -> {
            Duration d = entry.explicitDelay().orElseGet(() -> sub.settings().retryPolicy().backoff(gate.receiveCounts().get(gate.indexOf(offset))));
            return gate.nacked(offset, now + d.toMillis(), entry.counted(), now);
        }));
        return apply(sub, changes, false);
    }

    public List<ReceiptResult> changeVisibility(SubscriptionRef sub, Map<String, Duration> timeouts) {
        Map<String, Change> changes = new LinkedHashMap<>();
        timeouts.forEach((h, t) -> changes.put(h, (gate, offset, hold, now) -> {
            long due = now + t.toMillis();
            if (due > hold.leasedAt() + Limits.MAX_VISIBILITY_TIMEOUT.toMillis()) {
                throw new InvalidRequestException("visibilityTimeout", "would keep the message invisible for more than 12h after it was received");
            }
            return gate.withVisibility(offset, due, now);
        }));
        return apply(sub, changes, false);
    }

    private List<ReceiptResult> apply(SubscriptionRef sub, Map<String, Change> changes, boolean ack) {
        Map<String, ReceiptResult> results = new LinkedHashMap<>();
        Map<String, List<Map.Entry<String, Receipt>>> byGate = new LinkedHashMap<>();
        for (String h : changes.keySet()) {
            try {
                Receipt r = receipts.decode(h);
                if (!r.queueId().equals(sub.queue().id()) || !r.subscription().equals(sub.name()) || r.group().isEmpty()) {
                    throw new InvalidReceiptException("belongs to another queue or subscription (or to a deleted incarnation of this queue)");
                }
                byGate.computeIfAbsent(r.partition() + "/" + r.gen() + "/" + r.group(), k -> new ArrayList<>()).add(Map.entry(h, r));
            } catch (ShoalException e) {
                results.put(h, ReceiptResult.failed(h, e));
            }
        }
        for (var entries : byGate.values()) {
            applyToGate(sub, entries, changes, ack, results);
        }
        List<ReceiptResult> ordered = new ArrayList<>();
        for (String h : changes.keySet()) ordered.add(results.get(h));
        return ordered;
    }

    private void applyToGate(SubscriptionRef sub, List<Map.Entry<String, Receipt>> entries, Map<String, Change> changes, boolean ack,
                             Map<String, ReceiptResult> results) {
        Receipt first = entries.getFirst().getValue();
        String stateKey = sub.stateKey(first.partition());
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            long now = clock.millis();
            Optional<Gate> read = gates.get(stateKey, first.gen(), first.group());
            Gate gate = read.orElse(null);
            List<String> applied = new ArrayList<>();
            Gate updated = gate;
            for (var e : entries) {
                String h = e.getKey();
                Receipt r = e.getValue();
                int position = updated == null ? -1 : updated.indexOf(r.offset());
                if (position < 0 && updated != null && updated.ackedUnderAnotherLease(r.offset(), r.lease())) {
                    results.put(h, ReceiptResult.failed(h, new ConflictException("ReceiptSuperseded",
                            "the message was delivered again and acked since this receipt was issued")));
                    continue;
                }
                if (position < 0) {
                    results.put(h, ack ? ReceiptResult.ok(h) : ReceiptResult.failed(h,
                            new ConflictException("MessageNotInflight", "message " + r.partition() + "-" + r.offset() + " was already acked")));
                    continue;
                }
                Gate.Hold hold = updated.hold(position);
                if (hold == null || !r.lease().equals(hold.lease())) {
                    results.put(h, ReceiptResult.failed(h, new ConflictException("ReceiptSuperseded",
                            "the message was delivered again since this receipt was issued; use the newest receipt")));
                    continue;
                }
                try {
                    updated = changes.get(h).apply(updated, r.offset(), hold, now);
                    applied.add(h);
                } catch (ShoalException ex) {
                    results.put(h, ReceiptResult.failed(h, ex));
                }
            }
            if (applied.isEmpty() || gates.put(stateKey, updated, gate)) {
                applied.forEach(h -> results.put(h, ReceiptResult.ok(h)));
                return;
            }
        }
        entries.forEach(e -> results.putIfAbsent(e.getKey(), ReceiptResult.failed(e.getKey(),
                new RetryableException("too much contention on this message group; retry", null))));
    }
}
