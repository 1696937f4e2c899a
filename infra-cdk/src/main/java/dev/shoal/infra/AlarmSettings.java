package dev.shoal.infra;

import java.time.Duration;
import java.util.Objects;

/**
 * Thresholds of the CloudWatch alarms. Every alarm looks at one five-minute period and
 * treats missing data as not breaching, so an idle deployment stays OK; the one exception is
 * the janitor's heartbeat, for which no data means the janitor is not running.
 *
 * @param deadLetterMessages alarm when more than this many messages are visible in dead-letter
 *                           queues (0: any dead letter alarms)
 * @param oldestMessageAge   alarm when the oldest unacknowledged message of any queue that is not
 *                           a dead-letter queue is at least this old
 * @param functionErrors     alarm when a function has at least this many errors in five minutes
 * @param functionThrottles  alarm when a function is throttled at least this many times in five minutes
 * @param topicArn           SNS topic to notify on ALARM and OK, or {@code null} for a topic the stack creates
 */
public record AlarmSettings(
        int deadLetterMessages,
        Duration oldestMessageAge,
        int functionErrors,
        int functionThrottles,
        String topicArn) {

    public AlarmSettings {
        Objects.requireNonNull(oldestMessageAge, "oldestMessageAge");
        if (deadLetterMessages < 0) {
            throw new IllegalArgumentException("deadLetterMessages must be >= 0, was " + deadLetterMessages);
        }
        if (oldestMessageAge.toSeconds() < 60) {
            throw new IllegalArgumentException("oldestMessageAge must be at least 60 s (the janitor measures"
                    + " once a minute), was " + oldestMessageAge);
        }
        if (functionErrors < 1) {
            throw new IllegalArgumentException("functionErrors must be >= 1, was " + functionErrors);
        }
        if (functionThrottles < 1) {
            throw new IllegalArgumentException("functionThrottles must be >= 1, was " + functionThrottles);
        }
        if (topicArn != null && !topicArn.startsWith("arn:")) {
            throw new IllegalArgumentException("topicArn must be an SNS topic ARN, was '" + topicArn + "'");
        }
    }
}
