package dev.shoal.client.consumer.internal;

import dev.shoal.client.AckMessagesRequest;
import dev.shoal.client.ChangeVisibilityRequest;
import dev.shoal.client.NackMessagesRequest;
import dev.shoal.client.ShoalClient;
import dev.shoal.client.ShoalMetrics;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.NackEntry;
import dev.shoal.storage.api.VisibilityChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * How a held message leaves the consumer: acked (batched), nacked (batched; the subscription's
 * retry policy picks the delay), or released unstarted (visibility 0, at once, so that another
 * consumer can take it now). After {@link #kill()} nothing is settled: the leases simply run out,
 * as they would if the process had died.
 */
public final class Settlement {

    private static final Logger LOG = LoggerFactory.getLogger(Settlement.class);

    private final ShoalClient client;
    private final String queue;
    private final String subscription;
    private final LeaseTracker leases;
    private final Capacity capacity;
    private final ReceiptBatcher<String> acks;
    private final ReceiptBatcher<NackEntry> nacks;
    private final Executor flusher;
    private volatile boolean killed;

    public Settlement(ShoalClient client, String queue, String subscription, LeaseTracker leases, Capacity capacity,
                      int batchSize, ShoalMetrics metrics, Executor flusher) {
        this.client = client;
        this.queue = queue;
        this.subscription = subscription;
        this.leases = leases;
        this.capacity = capacity;
        this.flusher = flusher;
        this.acks = new ReceiptBatcher<>("ack", queue, batchSize,
                receipts -> client.ack(new AckMessagesRequest(queue, subscription, receipts)), r -> r, metrics);
        this.nacks = new ReceiptBatcher<>("nack", queue, batchSize,
                entries -> client.nack(new NackMessagesRequest(queue, subscription, entries)), NackEntry::receipt, metrics);
    }

    /** The handler returned: ack (in the next batch). */
    public void ack(Lease lease) {
        settle(lease, acks.add(lease.receipt()));
    }

    /** The handler threw: nack (in the next batch), redelivery after the retry policy's backoff. */
    public void nack(Lease lease) {
        settle(lease, nacks.add(NackEntry.of(lease.receipt())));
    }

    private void settle(Lease lease, boolean batchFull) {
        leases.remove(lease);
        capacity.release(1);
        if (batchFull && !killed) {
            flusher.execute(this::flush);
        }
    }

    /** Releases leases no handler has started: visible again at once. Those already started are left alone. */
    public void release(List<Lease> candidates) {
        List<Lease> released = new ArrayList<>();
        for (Lease l : candidates) {
            if (l.release()) {
                released.add(l);
            }
        }
        if (released.isEmpty()) {
            return;
        }
        if (!killed) {
            for (int from = 0; from < released.size(); from += Limits.MAX_RECEIVE_MESSAGES) {
                List<VisibilityChange> changes = released.subList(from, Math.min(released.size(), from + Limits.MAX_RECEIVE_MESSAGES))
                        .stream().map(l -> new VisibilityChange(l.receipt(), Duration.ZERO)).toList();
                try {
                    client.changeVisibility(new ChangeVisibilityRequest(queue, subscription, changes));
                } catch (RuntimeException e) {
                    LOG.warn("could not release {} unstarted message(s) on {}/{}; they come back when their lease ends: {}",
                            changes.size(), queue, subscription, e.toString());
                }
            }
        }
        released.forEach(leases::remove);
        capacity.release(released.size());
    }

    /** Stops tracking leases without a call: the nack of an earlier message of their group brings them back. */
    public void forget(List<Lease> candidates) {
        int n = 0;
        for (Lease l : candidates) {
            if (l.release()) {
                leases.remove(l);
                n++;
            }
        }
        capacity.release(n);
    }

    /** Sends the acks and nacks waiting. */
    public synchronized void flush() {
        if (killed) {
            return;
        }
        acks.flush();
        nacks.flush();
    }

    public boolean killed() {
        return killed;
    }

    public void kill() {
        killed = true;
    }
}
