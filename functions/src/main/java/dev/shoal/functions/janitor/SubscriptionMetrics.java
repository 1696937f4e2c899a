package dev.shoal.functions.janitor;

import java.time.Duration;

/**
 * One subscription's numbers at the end of a janitor run.
 *
 * @param oldestUnackedAge  null when nothing is unacked
 * @param producedPerMinute messages produced to the queue in the last minute, or null when unknown
 * @param ackedPerMinute    messages acked on this subscription in the last minute, or null when unknown
 * @param deadLetterQueue   the queue is some queue's or subscription's dead-letter queue
 */
public record SubscriptionMetrics(String queue, String subscription, long visible, long inFlight, long delayed,
                                  Duration oldestUnackedAge, Long producedPerMinute, Long ackedPerMinute,
                                  boolean deadLetterQueue) {
}
