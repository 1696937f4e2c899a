package dev.shoal.functions.dispatcher;

import dev.shoal.storage.api.NotFoundException;
import dev.shoal.storage.api.QueueService;
import dev.shoal.storage.api.SubscriptionDescription;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The subscriptions with a push target, listed from the catalog and remembered for a moment:
 * listing describes every subscription (with its counts), too much to repeat for every stream
 * nudge. Staleness is bounded in real time (the monotonic clock), as the engine's own catalog
 * cache does: a new or changed push subscription is seen within {@code refresh}.
 */
final class PushSubscriptions {

    private final QueueService service;
    private final long refreshNanos;
    private List<PushSubscription> cached;
    private long listedAtNanos;

    PushSubscriptions(QueueService service, Duration refresh) {
        this.service = service;
        this.refreshNanos = refresh.toNanos();
    }

    synchronized List<PushSubscription> current() {
        long now = System.nanoTime();
        if (cached == null || now - listedAtNanos >= refreshNanos) {
            cached = list();
            listedAtNanos = now;
        }
        return cached;
    }

    private List<PushSubscription> list() {
        List<PushSubscription> out = new ArrayList<>();
        for (String queue : service.listQueues("")) {
            List<SubscriptionDescription> subs;
            try {
                subs = service.listSubscriptions(queue);
            } catch (NotFoundException deletedMeanwhile) {
                continue;
            }
            for (SubscriptionDescription s : subs) {
                s.settings().pushTarget().ifPresent(t -> out.add(new PushSubscription(queue, s.name(), t)));
            }
        }
        return List.copyOf(out);
    }
}
