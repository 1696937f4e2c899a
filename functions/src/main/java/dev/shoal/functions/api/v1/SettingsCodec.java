package dev.shoal.functions.api.v1;

import dev.shoal.functions.api.ApiException;
import dev.shoal.functions.api.Durations;
import dev.shoal.functions.api.v1.Requests.DeadLetterBody;
import dev.shoal.functions.api.v1.Requests.PushBody;
import dev.shoal.functions.api.v1.Requests.QueueBody;
import dev.shoal.functions.api.v1.Requests.RetryPolicyBody;
import dev.shoal.functions.api.v1.Requests.SubscriptionBody;
import dev.shoal.functions.api.v1.Responses.QueueView;
import dev.shoal.functions.api.v1.Responses.StatsView;
import dev.shoal.functions.api.v1.Responses.SubscriptionView;
import dev.shoal.storage.api.DeadLetterPolicy;
import dev.shoal.storage.api.DeduplicationScope;
import dev.shoal.storage.api.FifoThroughputLimit;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.PushTarget.EventFormat;
import dev.shoal.storage.api.PushTarget;
import dev.shoal.storage.api.QueueDescription;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.RetryPolicy;
import dev.shoal.storage.api.SubscriptionDescription;
import dev.shoal.storage.api.SubscriptionSettings;
import dev.shoal.storage.api.SubscriptionStats;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Queue and subscription settings between their JSON shape and the domain records. Defaults
 * are applied here; ranges are checked by the records themselves, whose errors name the field
 * the same way the JSON does.
 */
final class SettingsCodec {

    static final String UNLIMITED = "unlimited";
    static final String REPORT_BATCH_ITEM_FAILURES = "ReportBatchItemFailures";

    private SettingsCodec() {
    }

    static QueueSettings queueSettings(String queue, QueueBody body) {
        boolean fifo = body.fifo() != null ? body.fifo() : queue.endsWith(Limits.FIFO_SUFFIX);
        Limits.checkQueueName("queue", queue, fifo);
        QueueSettings.Builder b = QueueSettings.builder().fifo(fifo);
        if (body.partitions() != null) b.partitions(body.partitions());
        if (body.retention() != null) {
            b.retention(UNLIMITED.equals(body.retention()) ? null : Durations.parse("retention", body.retention()));
        }
        if (body.deliveryDelay() != null) b.deliveryDelay(Durations.parse("deliveryDelay", body.deliveryDelay()));
        if (body.contentBasedDeduplication() != null) b.contentBasedDeduplication(body.contentBasedDeduplication());
        if (body.maxMessageBytes() != null) b.maxMessageBytes(body.maxMessageBytes());
        if (body.deleteOnAck() != null) b.deleteOnAck(body.deleteOnAck());
        if (body.batchWindow() != null) b.batchWindow(Durations.parse("batchWindow", body.batchWindow()));
        if (body.batchWindowMessages() != null) b.batchWindowMessages(body.batchWindowMessages());
        if (body.deduplicationScope() != null) b.deduplicationScope(DeduplicationScope.of("deduplicationScope", body.deduplicationScope()));
        if (body.fifoThroughputLimit() != null) b.fifoThroughputLimit(FifoThroughputLimit.of("fifoThroughputLimit", body.fifoThroughputLimit()));
        b.defaultSubscription(subscriptionSettings(
                new SubscriptionBody(body.visibilityTimeout(), body.retryPolicy(), body.deadLetter(), body.push())));
        return b.build();
    }

    static SubscriptionSettings subscriptionSettings(SubscriptionBody body) {
        SubscriptionSettings.Builder b = SubscriptionSettings.builder();
        if (body.visibilityTimeout() != null) b.visibilityTimeout(Durations.parse("visibilityTimeout", body.visibilityTimeout()));
        if (body.retryPolicy() != null) b.retryPolicy(retryPolicy(body.retryPolicy()));
        if (body.deadLetter() != null) b.deadLetter(deadLetter(body.deadLetter()));
        if (body.push() != null) b.push(push(body.push()));
        return b.build();
    }

    private static RetryPolicy retryPolicy(RetryPolicyBody body) {
        RetryPolicy d = RetryPolicy.DEFAULT;
        return new RetryPolicy(
                orDefault(Durations.parse("retryPolicy.initialDelay", body.initialDelay()), d.initialDelay()),
                body.multiplier() != null ? body.multiplier() : d.multiplier(),
                orDefault(Durations.parse("retryPolicy.maxDelay", body.maxDelay()), d.maxDelay()));
    }

    private static DeadLetterPolicy deadLetter(DeadLetterBody body) {
        if (body.maxReceiveCount() == null) {
            throw ApiException.invalid("deadLetter.maxReceiveCount", "is required: deliveries before a message moves to the dead-letter queue, 1 to "
                    + Limits.MAX_RECEIVE_COUNT_LIMIT);
        }
        return new DeadLetterPolicy(body.queue(), body.maxReceiveCount());
    }

    private static PushTarget push(PushBody body) {
        PushTarget d = PushTarget.of(body.target());
        return new PushTarget(body.target(),
                body.batchSize() != null ? body.batchSize() : d.batchSize(),
                orDefault(batchingWindow(body), d.batchingWindow()),
                body.maxConcurrency() != null ? body.maxConcurrency() : d.maxConcurrency(),
                orDefault(Durations.parse("push.timeout", body.timeout()), d.timeout()),
                body.eventFormat() != null ? EventFormat.parse("push.eventFormat", body.eventFormat()) : d.eventFormat(),
                body.functionResponseTypes() != null ? reportsFailures(body.functionResponseTypes()) : d.reportBatchItemFailures());
    }

    /** {@code batchingWindow} (a duration) or, as an SQS event source mapping has it, {@code maximumBatchingWindowInSeconds}. */
    private static Duration batchingWindow(PushBody body) {
        if (body.maximumBatchingWindowInSeconds() == null) {
            return Durations.parse("push.batchingWindow", body.batchingWindow());
        }
        if (body.batchingWindow() != null) {
            throw ApiException.invalid("push.maximumBatchingWindowInSeconds", "give either batchingWindow or maximumBatchingWindowInSeconds, not both");
        }
        Limits.checkRange("push.maximumBatchingWindowInSeconds", body.maximumBatchingWindowInSeconds(), 0, 300);
        return Duration.ofSeconds(body.maximumBatchingWindowInSeconds());
    }

    private static boolean reportsFailures(List<String> types) {
        for (String t : types) {
            if (!REPORT_BATCH_ITEM_FAILURES.equals(t)) {
                throw ApiException.invalid("push.functionResponseTypes", "may only contain '" + REPORT_BATCH_ITEM_FAILURES
                        + "' (read partial batch responses) or be empty (ignore the answer), was '" + t + "'");
            }
        }
        return !types.isEmpty();
    }

    private static Duration orDefault(Duration value, Duration fallback) {
        return value != null ? value : fallback;
    }

    static QueueView view(QueueDescription q) {
        QueueSettings s = q.settings();
        SubscriptionBody sub = body(s.defaultSubscription());
        QueueBody settings = new QueueBody(s.fifo(), s.partitions(),
                s.retention() == null ? UNLIMITED : Durations.format(s.retention()),
                Durations.format(s.deliveryDelay()), s.contentBasedDeduplication(), s.maxMessageBytes(), s.deleteOnAck(),
                Durations.format(s.batchWindow()), s.batchWindowMessages(),
                sub.visibilityTimeout(), sub.retryPolicy(), sub.deadLetter(), sub.push(),
                s.fifo() ? s.deduplicationScope().text() : null, s.fifo() ? s.fifoThroughputLimit().text() : null);
        return new QueueView(q.name(), settings, time(q.createdAt()), stats(q.stats()));
    }

    static SubscriptionView view(SubscriptionDescription d) {
        return new SubscriptionView(d.queue(), d.name(), body(d.settings()), time(d.createdAt()), stats(d.stats()));
    }

    private static SubscriptionBody body(SubscriptionSettings s) {
        RetryPolicy r = s.retryPolicy();
        DeadLetterPolicy dl = s.deadLetter();
        PushTarget p = s.push();
        return new SubscriptionBody(Durations.format(s.visibilityTimeout()),
                new RetryPolicyBody(Durations.format(r.initialDelay()), r.multiplier(), Durations.format(r.maxDelay())),
                dl == null ? null : new DeadLetterBody(dl.queue(), dl.maxReceiveCount()),
                p == null ? null : new PushBody(p.target(), p.batchSize(), Durations.format(p.batchingWindow()),
                        p.maxConcurrency(), Durations.format(p.timeout()), p.eventFormat().wireName(),
                        p.reportBatchItemFailures() ? List.of(REPORT_BATCH_ITEM_FAILURES) : List.of(), null));
    }

    private static StatsView stats(SubscriptionStats s) {
        SubscriptionStats stats = s == null ? SubscriptionStats.EMPTY : s;
        return new StatsView(stats.visible(), stats.inFlight(), stats.delayed(), Durations.format(stats.oldestUnackedAge()));
    }

    static String time(Instant t) {
        return t == null ? null : t.toString();
    }
}
