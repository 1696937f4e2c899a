package dev.shoal.functions.dispatcher;

import java.time.Duration;

/**
 * Tuning of the dispatcher; the defaults suit both the Lambda function and the launcher.
 *
 * @param listRefresh    how long the list of push subscriptions is reused
 * @param initialBackoff the first pause of a subscription whose target turned an invocation away
 * @param maxBackoff     the longest pause (the pause doubles with each throttle in a row)
 * @param sqsSource      the region and account SQS-shaped events name (the SQS face's)
 */
public record DispatcherOptions(Duration listRefresh, Duration initialBackoff, Duration maxBackoff, SqsSource sqsSource) {

    public static final DispatcherOptions DEFAULT =
            new DispatcherOptions(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(1), SqsSource.LOCAL);

    public DispatcherOptions {
        // a zero backoff would let a lane hammer a throttling target for the rest of its pass
        if (listRefresh.isNegative() || !initialBackoff.isPositive() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("listRefresh must not be negative, initialBackoff must be positive and maxBackoff not below it");
        }
        java.util.Objects.requireNonNull(sqsSource, "sqsSource");
    }

    public DispatcherOptions withListRefresh(Duration d) {
        return new DispatcherOptions(d, initialBackoff, maxBackoff, sqsSource);
    }

    public DispatcherOptions withBackoff(Duration initial, Duration max) {
        return new DispatcherOptions(listRefresh, initial, max, sqsSource);
    }

    public DispatcherOptions withSqsSource(SqsSource source) {
        return new DispatcherOptions(listRefresh, initialBackoff, maxBackoff, source);
    }
}
