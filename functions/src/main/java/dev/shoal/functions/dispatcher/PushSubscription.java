package dev.shoal.functions.dispatcher;

import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.PushTarget;

import java.time.Duration;

/** A subscription the dispatcher pushes: where it is, and its target's settings. */
record PushSubscription(String queue, String subscription, PushTarget target) {

    /** Room after a target's timeout to ack or nack what it answered. */
    static final Duration SETTLE_MARGIN = Duration.ofSeconds(30);

    boolean fifo() {
        return queue.endsWith(Limits.FIFO_SUFFIX);
    }

    String key() {
        return queue + "/" + subscription;
    }

    /**
     * How long received messages stay leased: a batch may be held for its batching window, then
     * invoked for up to the target's timeout, then settled. A dispatcher that dies meanwhile
     * leaves them to come back after this.
     */
    Duration leaseTime() {
        Duration d = target.batchingWindow().plus(target.timeout()).plus(SETTLE_MARGIN);
        return d.compareTo(Limits.MAX_VISIBILITY_TIMEOUT) > 0 ? Limits.MAX_VISIBILITY_TIMEOUT : d;
    }
}
