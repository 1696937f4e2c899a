package dev.shoal.functions.dispatcher;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one dispatch pass did.
 *
 * @param subscriptions push subscriptions looked at
 * @param batches       target invocations
 * @param acked         messages the target handled
 * @param nacked        messages it failed (delivery counted: retried, then dead-lettered)
 * @param released      messages given back uncounted (target throttled or unreachable, or a
 *                      batching window longer than the pass)
 * @param errors        calls to Shoal that failed (their messages come back after the lease)
 */
public record DispatchReport(int subscriptions, int batches, int acked, int nacked, int released, int errors) {

    /** Counts of a pass in progress, added to from several threads. */
    static final class Tally {
        final AtomicInteger batches = new AtomicInteger();
        final AtomicInteger acked = new AtomicInteger();
        final AtomicInteger nacked = new AtomicInteger();
        final AtomicInteger released = new AtomicInteger();
        final AtomicInteger errors = new AtomicInteger();

        DispatchReport report(int subscriptions) {
            return new DispatchReport(subscriptions, batches.get(), acked.get(), nacked.get(), released.get(), errors.get());
        }
    }
}
