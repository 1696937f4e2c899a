package dev.shoal.storage.api;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Push delivery: the dispatcher receives batches for the subscription and invokes
 * {@code target}, a Lambda function ARN ({@code arn:aws:lambda:...}) or an HTTP(S) URL.
 *
 * @param eventFormat             the shape of the event the target gets (docs/triggers.md)
 * @param reportBatchItemFailures whether the target's answer is read as a partial batch response
 *                                (Lambda's {@code ReportBatchItemFailures}); when false, a target
 *                                that answers at all handled the whole batch, whatever it answered
 */
public record PushTarget(String target, int batchSize, Duration batchingWindow, int maxConcurrency, Duration timeout,
                         EventFormat eventFormat, boolean reportBatchItemFailures) {

    /** The shape of a push event. */
    public enum EventFormat {
        /** Lambda's SQS event ({@code {"Records": [...]}}), so handlers written for SQS run unchanged. */
        SQS,
        /** Shoal's own event ({@code {"source": "shoal", "messages": [...]}}), with offsets and binary bodies. */
        SHOAL;

        /** The name in settings and on the wire: {@code sqs} or {@code shoal}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @throws InvalidRequestException naming {@code field} when {@code name} is neither {@code sqs} nor {@code shoal} */
        public static EventFormat parse(String field, String name) {
            for (EventFormat f : values()) {
                if (f.wireName().equals(name)) {
                    return f;
                }
            }
            throw new InvalidRequestException(field, "must be 'sqs' (Lambda's SQS event) or 'shoal', was '" + name + "'");
        }
    }

    /** What a new push subscription's target gets unless it says otherwise. */
    public static final EventFormat DEFAULT_FORMAT = EventFormat.SQS;

    public PushTarget {
        if (target == null || !(target.startsWith("arn:aws:lambda:") || target.startsWith("http://") || target.startsWith("https://"))) {
            throw new InvalidRequestException("push.target", "must be a Lambda function ARN (arn:aws:lambda:...) or an http(s) URL, was '" + target + "'");
        }
        Limits.checkRange("push.batchSize", batchSize, 1, 10_000);
        Limits.checkRange("push.batchingWindow", batchingWindow, Duration.ZERO, Duration.ofSeconds(300));
        Limits.checkRange("push.maxConcurrency", maxConcurrency, 1, 1_000);
        Limits.checkRange("push.timeout", timeout, Duration.ofSeconds(1), Duration.ofMinutes(15));
        Objects.requireNonNull(eventFormat, "eventFormat");
    }

    /** A target in the default event format that reports batch item failures. */
    public PushTarget(String target, int batchSize, Duration batchingWindow, int maxConcurrency, Duration timeout) {
        this(target, batchSize, batchingWindow, maxConcurrency, timeout, DEFAULT_FORMAT, true);
    }

    public static PushTarget of(String target) {
        return new PushTarget(target, 10, Duration.ZERO, 2, Duration.ofSeconds(30));
    }

    public PushTarget withEventFormat(EventFormat format) {
        return new PushTarget(target, batchSize, batchingWindow, maxConcurrency, timeout, format, reportBatchItemFailures);
    }

    /** The same target, reading answers as partial batch responses ({@code true}) or ignoring them. */
    public PushTarget withReportBatchItemFailures(boolean report) {
        return new PushTarget(target, batchSize, batchingWindow, maxConcurrency, timeout, eventFormat, report);
    }
}
