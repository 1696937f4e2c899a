package dev.shoal.storage.dynamodb;

import dev.shoal.storage.DeadLetterPolicy;
import dev.shoal.storage.Limits;
import dev.shoal.storage.DeduplicationScope;
import dev.shoal.storage.FifoThroughputLimit;
import dev.shoal.storage.PushTarget;
import dev.shoal.storage.QueueSettings;
import dev.shoal.storage.RetryPolicy;
import dev.shoal.storage.SubscriptionSettings;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static dev.shoal.storage.dynamodb.Items.*;

/** Queue and subscription settings to and from DynamoDB attributes. Durations are stored in milliseconds. */
final class SettingsItems {

    private SettingsItems() {
    }

    static Map<String, AttributeValue> queue(QueueSettings s) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("fifo", bool(s.fifo()));
        item.put("partitions", n(s.partitions()));
        if (s.retention() != null) item.put("retentionMs", n(s.retention().toMillis()));
        item.put("delayMs", n(s.deliveryDelay().toMillis()));
        item.put("contentDedup", bool(s.contentBasedDeduplication()));
        item.put("maxBytes", n(s.maxMessageBytes()));
        item.put("deleteOnAck", bool(s.deleteOnAck()));
        item.put("batchWindowMs", n(s.batchWindow().toMillis()));
        if (!s.faceAttributes().isEmpty()) {
            Map<String, AttributeValue> face = new HashMap<>();
            s.faceAttributes().forEach((k, v) -> face.put(k, s(v)));
            item.put("faceAttrs", AttributeValue.fromM(face));
        }
        item.put("dedupScope", s(s.deduplicationScope().text()));
        item.put("throughputLimit", s(s.fifoThroughputLimit().text()));
        return item;
    }

    static QueueSettings queue(Map<String, AttributeValue> item, SubscriptionSettings defaultSubscription) {
        long retention = num(item, "retentionMs", -1);
        return QueueSettings.builder()
                .fifo(flag(item, "fifo"))
                .partitions((int) num(item, "partitions", 1))
                .retention(retention < 0 ? null : Duration.ofMillis(retention))
                .deliveryDelay(Duration.ofMillis(num(item, "delayMs", 0)))
                .contentBasedDeduplication(flag(item, "contentDedup"))
                .maxMessageBytes(num(item, "maxBytes", 1))
                .deleteOnAck(flag(item, "deleteOnAck"))
                .batchWindow(Duration.ofMillis(num(item, "batchWindowMs", Limits.DEFAULT_BATCH_WINDOW.toMillis())))
                .deduplicationScope(DeduplicationScope.of("dedupScope", orElse(str(item, "dedupScope"), DeduplicationScope.QUEUE.text())))
                .fifoThroughputLimit(FifoThroughputLimit.of("throughputLimit", orElse(str(item, "throughputLimit"), FifoThroughputLimit.PER_QUEUE.text())))
                .defaultSubscription(defaultSubscription)
                .faceAttributes(faceAttributes(item))
                .build();
    }

    private static Map<String, String> faceAttributes(Map<String, AttributeValue> item) {
        AttributeValue face = item.get("faceAttrs");
        Map<String, String> out = new HashMap<>();
        if (face != null && face.hasM()) {
            face.m().forEach((k, v) -> out.put(k, v.s()));
        }
        return out;
    }

    private static String orElse(String value, String fallback) {
        return value != null ? value : fallback; // queues written before the setting existed have the default
    }

    static Map<String, AttributeValue> subscription(SubscriptionSettings s) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("visibilityMs", n(s.visibilityTimeout().toMillis()));
        item.put("retryInitialMs", n(s.retryPolicy().initialDelay().toMillis()));
        item.put("retryMultiplier", n(s.retryPolicy().multiplier()));
        item.put("retryMaxMs", n(s.retryPolicy().maxDelay().toMillis()));
        s.deadLetterPolicy().ifPresent(d -> {
            item.put("dlq", s(d.queue()));
            item.put("maxReceiveCount", n(d.maxReceiveCount()));
        });
        s.pushTarget().ifPresent(p -> {
            item.put("pushTarget", s(p.target()));
            item.put("pushBatchSize", n(p.batchSize()));
            item.put("pushWindowMs", n(p.batchingWindow().toMillis()));
            item.put("pushConcurrency", n(p.maxConcurrency()));
            item.put("pushTimeoutMs", n(p.timeout().toMillis()));
            item.put("pushFormat", s(p.eventFormat().wireName()));
            item.put("pushReportFailures", bool(p.reportBatchItemFailures()));
        });
        return item;
    }

    static SubscriptionSettings subscription(Map<String, AttributeValue> item) {
        RetryPolicy retry = new RetryPolicy(Duration.ofMillis(num(item, "retryInitialMs", 100)),
                dbl(item, "retryMultiplier", 2.0), Duration.ofMillis(num(item, "retryMaxMs", 30_000)));
        String dlq = str(item, "dlq");
        String push = str(item, "pushTarget");
        return SubscriptionSettings.builder()
                .visibilityTimeout(Duration.ofMillis(num(item, "visibilityMs", 30_000)))
                .retryPolicy(retry)
                .deadLetter(dlq == null ? null : new DeadLetterPolicy(dlq, (int) num(item, "maxReceiveCount", 1)))
                .push(push == null ? null : pushTarget(push, item))
                .build();
    }

    /**
     * Subscriptions stored before event formats existed have no {@code pushFormat}: their targets
     * were written for Shoal's event, so they keep it (new subscriptions default to SQS's).
     */
    private static PushTarget pushTarget(String target, Map<String, AttributeValue> item) {
        String format = str(item, "pushFormat");
        AttributeValue report = item.get("pushReportFailures");
        return new PushTarget(target, (int) num(item, "pushBatchSize", 10),
                Duration.ofMillis(num(item, "pushWindowMs", 0)), (int) num(item, "pushConcurrency", 2),
                Duration.ofMillis(num(item, "pushTimeoutMs", 30_000)),
                format == null ? PushTarget.EventFormat.SHOAL : PushTarget.EventFormat.parse("pushFormat", format),
                report == null || flag(item, "pushReportFailures"));
    }
}
