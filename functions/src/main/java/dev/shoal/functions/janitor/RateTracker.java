package dev.shoal.functions.janitor;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-minute rates from one janitor run to the next, kept in memory between runs (a warm Lambda
 * container, the local launcher):
 * <ul>
 *   <li>produced: messages committed to the queue since the previous run (the first run looks
 *       back one minute), from the log's commit times, so it needs no earlier state;</li>
 *   <li>acked: what left the subscription's unacked set since the previous run,
 *       {@code unacked before + produced - unacked now} (dead-lettered messages count, as they
 *       are acked in the source; a purge or seek counts too). Unknown (null) on a subscription's
 *       first run, and never negative.</li>
 * </ul>
 * Both are scaled to one minute by the time between runs. Thread-safe.
 */
final class RateTracker {

    static final Duration FIRST_WINDOW = Duration.ofMinutes(1);

    private final Map<String, Long> unacked = new ConcurrentHashMap<>();
    private volatile Instant previousRun;

    /** Where this run's window starts: the previous run, or one minute ago on the first. */
    Instant windowStart(Instant now) {
        Instant previous = previousRun;
        return previous != null && previous.isBefore(now) ? previous : now.minus(FIRST_WINDOW);
    }

    /** Scales a count over {@code [start, now]} to a minute. */
    static long perMinute(long count, Instant start, Instant now) {
        long millis = Math.max(1, Duration.between(start, now).toMillis());
        return Math.round(count * 60_000.0 / millis);
    }

    /**
     * The acked rate of a subscription for this run, and remembers its unacked count for the next.
     *
     * @param produced messages produced to its queue within this run's window
     * @return messages per minute, or null on the subscription's first run
     */
    Long acked(String queue, String subscription, long unackedNow, long produced, Instant start, Instant now) {
        Long before = unacked.put(queue + "\u0000" + subscription, unackedNow);
        if (before == null || previousRun == null) {
            return null;
        }
        return perMinute(Math.max(0, before + produced - unackedNow), start, now);
    }

    /** Marks the run done: the next window starts at {@code now}. */
    void finished(Instant now) {
        previousRun = now;
    }
}
