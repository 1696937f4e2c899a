package dev.shoal.client.consumer.internal;

import dev.shoal.client.ChangeVisibilityRequest;
import dev.shoal.client.ShoalClient;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.ReceiptResult;
import dev.shoal.storage.api.VisibilityChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Keeps held messages' leases alive: each tick, every lease ending within half a visibility
 * timeout is extended by a full one (one changeVisibility call per 1,000), so a handler that
 * runs longer than the visibility timeout is not raced by a redelivery. Leases held longer than
 * {@code maxExtension} are let go (a stuck handler should not hold a message forever).
 */
public final class Heartbeater implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Heartbeater.class);

    private final ShoalClient client;
    private final String queue;
    private final String subscription;
    private final LeaseTracker leases;
    private final Duration visibility;
    private final long maxExtensionMillis;
    private final Clock clock;

    public Heartbeater(ShoalClient client, String queue, String subscription, LeaseTracker leases, Duration visibility,
                       Duration maxExtension, Clock clock) {
        this.client = client;
        this.queue = queue;
        this.subscription = subscription;
        this.leases = leases;
        this.visibility = visibility;
        this.maxExtensionMillis = maxExtension.toMillis();
        this.clock = clock;
    }

    /** How often to look: a quarter of the visibility timeout, between 100 ms and 5 s. */
    public static Duration interval(Duration visibility) {
        Duration quarter = visibility.dividedBy(4);
        return quarter.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100)
                : quarter.compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : quarter;
    }

    @Override
    public void run() {
        try {
            long now = clock.millis();
            List<Lease> due = leases.dueForExtension(now, visibility.toMillis() / 2, maxExtensionMillis);
            for (int from = 0; from < due.size(); from += Limits.MAX_RECEIVE_MESSAGES) {
                extend(due.subList(from, Math.min(due.size(), from + Limits.MAX_RECEIVE_MESSAGES)), now);
            }
        } catch (RuntimeException e) {
            LOG.warn("extending leases on {}/{} failed; trying again next tick: {}", queue, subscription, e.toString());
        }
    }

    private void extend(List<Lease> due, long now) {
        List<VisibilityChange> changes = due.stream().map(l -> new VisibilityChange(l.receipt(), visibility)).toList();
        List<ReceiptResult> results = client.changeVisibility(new ChangeVisibilityRequest(queue, subscription, changes));
        for (int i = 0; i < results.size(); i++) {
            Lease lease = due.get(i);
            ReceiptResult r = results.get(i);
            if (r.succeeded()) {
                lease.extendedTo(now + visibility.toMillis());
            } else if (!dev.shoal.client.internal.Calls.retryable(r.error(), true)) {
                lease.markLost();
                LOG.warn("lost the lease of message {} on {}/{} ({}); it may be delivered again", lease.message().id(), queue,
                        subscription, r.error().getMessage());
            }
        }
    }
}
