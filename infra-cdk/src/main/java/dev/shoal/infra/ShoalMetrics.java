package dev.shoal.infra;

/**
 * The CloudWatch metrics the alarms and the dashboard read: the contract with the janitor,
 * which publishes them as embedded-metric-format (EMF) log lines once a run, so no function
 * needs {@code cloudwatch:PutMetricData}.
 *
 * <p>A queue is a <b>dead-letter queue</b> when some queue or subscription names it as its
 * dead-letter queue (SQS's meaning; no naming convention). Per run the janitor emits:
 * <ul>
 *   <li>for every queue: {@link #VISIBLE} and {@link #OLDEST_AGE} with dimensions
 *       ({@link #DEPLOYMENT}, {@link #QUEUE});</li>
 *   <li>for every queue that is not a dead-letter queue: {@link #OLDEST_AGE} also with the
 *       dimension ({@link #DEPLOYMENT}) alone;</li>
 *   <li>for every dead-letter queue: {@link #DEAD_LETTERS}, its visible count, with the
 *       dimension ({@link #DEPLOYMENT}) alone.</li>
 * </ul>
 * One EMF line per queue may carry both dimension sets. The alarms read the deployment-wide
 * metrics with the {@code Maximum} statistic, so CloudWatch takes the maximum over queues and
 * the janitor never has to aggregate. The {@link #DEPLOYMENT} value is the table prefix
 * ({@code SHOAL_TABLE_PREFIX}), so deployments sharing an account do not mix.
 */
public final class ShoalMetrics {

    public static final String NAMESPACE = "Shoal";
    public static final String DEPLOYMENT = "Deployment";
    public static final String QUEUE = "Queue";

    /** Messages that could be received now (count). */
    public static final String VISIBLE = "ApproximateVisible";
    /** Age of the oldest message not yet acknowledged, in seconds. */
    public static final String OLDEST_AGE = "OldestMessageAgeSeconds";
    /** Messages produced to a queue per minute, between two janitor runs (count; dashboard only). */
    public static final String PRODUCED_PER_MINUTE = "ProducedPerMinute";
    /** Messages acknowledged per minute on a queue's default subscription (count; dashboard only). */
    public static final String ACKED_PER_MINUTE = "AckedPerMinute";
    /** Messages visible in a dead-letter queue (count). */
    public static final String DEAD_LETTERS = "DeadLetterMessagesVisible";

    private ShoalMetrics() {
    }
}
