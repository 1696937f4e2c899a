package dev.shoal.storage.dynamodb;

import dev.shoal.storage.api.DeadLetterPolicy;
import dev.shoal.storage.api.DeduplicationScope;
import dev.shoal.storage.api.FifoThroughputLimit;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.PushTarget;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.RetryPolicy;
import dev.shoal.storage.api.SubscriptionSettings;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.shoal.storage.dynamodb.ShoalTables.STATE_PARTITION_KEY;
import static dev.shoal.storage.dynamodb.ShoalTables.STATE_SORT_KEY;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

/**
 * Immutable table schemas of the catalog's items for the enhanced client: queues, subscriptions
 * and deleted-queue markers, as typed records instead of attribute maps. Durations are stored in
 * milliseconds, enums as their text. An attribute that is absent (an item written before the
 * setting existed) reads as the default it had then: the builders below hold those defaults,
 * which are not always the API's defaults for a new queue (no retention attribute means keep
 * forever; no push format means Shoal's event, the only format there was).
 */
public final class CatalogSchemas {

    private CatalogSchemas() {
    }

    /** A queue item: the queue's name, its incarnation's id, when it was created, and its settings (the default subscription's are in that subscription's item). */
    public record QueueEntry(String name, String id, Instant createdAt, QueueSettings settings) {
    }

    /** A subscription item. */
    public record SubscriptionEntry(String queueId, String name, Instant createdAt, SubscriptionSettings settings,
                                    Map<Integer, Long> startOffsets) {
        public SubscriptionEntry {
            startOffsets = Map.copyOf(startOffsets);
        }
    }

    /** The marker a deleted queue leaves for the janitor. */
    public record DeletedQueueEntry(String id, String name, int partitions, List<String> subscriptions, Instant deletedAt) {
        public DeletedQueueEntry {
            subscriptions = List.copyOf(subscriptions);
        }
    }

    public static final TableSchema<QueueSettings> QUEUE_SETTINGS = StaticImmutableTableSchema.builder(QueueSettings.class, QueueFields.class)
            .newItemBuilder(QueueFields::new, QueueFields::build)
            .addAttribute(Boolean.class, a -> a.name("fifo").getter(QueueSettings::fifo).setter((b, v) -> b.fifo = v))
            .addAttribute(Integer.class, a -> a.name("partitions").getter(QueueSettings::partitions).setter((b, v) -> b.partitions = v))
            .addAttribute(Long.class, a -> a.name("retentionMs").getter(s -> millis(s.retention())).setter((b, v) -> b.retentionMs = v))
            .addAttribute(Long.class, a -> a.name("delayMs").getter(s -> millis(s.deliveryDelay())).setter((b, v) -> b.delayMs = v))
            .addAttribute(Boolean.class, a -> a.name("contentDedup").getter(QueueSettings::contentBasedDeduplication)
                    .setter((b, v) -> b.contentDedup = v))
            .addAttribute(Long.class, a -> a.name("maxBytes").getter(QueueSettings::maxMessageBytes).setter((b, v) -> b.maxBytes = v))
            .addAttribute(Boolean.class, a -> a.name("deleteOnAck").getter(QueueSettings::deleteOnAck).setter((b, v) -> b.deleteOnAck = v))
            .addAttribute(Long.class, a -> a.name("batchWindowMs").getter(s -> millis(s.batchWindow())).setter((b, v) -> b.batchWindowMs = v))
            .addAttribute(Integer.class, a -> a.name("batchWindowMsgs").getter(QueueSettings::batchWindowMessages).setter((b, v) -> b.batchWindowMsgs = v))
            .addAttribute(EnhancedType.mapOf(String.class, String.class), a -> a.name("faceAttrs")
                    .getter(s -> s.faceAttributes().isEmpty() ? null : s.faceAttributes()).setter((b, v) -> b.faceAttrs = v))
            .addAttribute(String.class, a -> a.name("dedupScope").getter(s -> s.deduplicationScope().text()).setter((b, v) -> b.dedupScope = v))
            .addAttribute(String.class, a -> a.name("throughputLimit").getter(s -> s.fifoThroughputLimit().text())
                    .setter((b, v) -> b.throughputLimit = v))
            .build();

    public static final TableSchema<SubscriptionSettings> SUBSCRIPTION_SETTINGS = StaticImmutableTableSchema
            .builder(SubscriptionSettings.class, SubscriptionFields.class)
            .newItemBuilder(SubscriptionFields::new, SubscriptionFields::build)
            .addAttribute(Long.class, a -> a.name("visibilityMs").getter(s -> millis(s.visibilityTimeout())).setter((b, v) -> b.visibilityMs = v))
            .addAttribute(Long.class, a -> a.name("retryInitialMs").getter(s -> millis(s.retryPolicy().initialDelay()))
                    .setter((b, v) -> b.retryInitialMs = v))
            .addAttribute(Double.class, a -> a.name("retryMultiplier").getter(s -> s.retryPolicy().multiplier())
                    .setter((b, v) -> b.retryMultiplier = v))
            .addAttribute(Long.class, a -> a.name("retryMaxMs").getter(s -> millis(s.retryPolicy().maxDelay())).setter((b, v) -> b.retryMaxMs = v))
            .addAttribute(String.class, a -> a.name("dlq").getter(s -> s.deadLetterPolicy().map(DeadLetterPolicy::queue).orElse(null))
                    .setter((b, v) -> b.dlq = v))
            .addAttribute(Integer.class, a -> a.name("maxReceiveCount")
                    .getter(s -> s.deadLetterPolicy().map(DeadLetterPolicy::maxReceiveCount).orElse(null)).setter((b, v) -> b.maxReceiveCount = v))
            .addAttribute(String.class, a -> a.name("pushTarget").getter(s -> push(s, PushTarget::target)).setter((b, v) -> b.pushTarget = v))
            .addAttribute(Integer.class, a -> a.name("pushBatchSize").getter(s -> push(s, PushTarget::batchSize)).setter((b, v) -> b.pushBatchSize = v))
            .addAttribute(Long.class, a -> a.name("pushWindowMs").getter(s -> push(s, p -> millis(p.batchingWindow())))
                    .setter((b, v) -> b.pushWindowMs = v))
            .addAttribute(Integer.class, a -> a.name("pushConcurrency").getter(s -> push(s, PushTarget::maxConcurrency))
                    .setter((b, v) -> b.pushConcurrency = v))
            .addAttribute(Long.class, a -> a.name("pushTimeoutMs").getter(s -> push(s, p -> millis(p.timeout()))).setter((b, v) -> b.pushTimeoutMs = v))
            .addAttribute(String.class, a -> a.name("pushFormat").getter(s -> push(s, p -> p.eventFormat().wireName()))
                    .setter((b, v) -> b.pushFormat = v))
            .addAttribute(Boolean.class, a -> a.name("pushReportFailures").getter(s -> push(s, PushTarget::reportBatchItemFailures))
                    .setter((b, v) -> b.pushReportFailures = v))
            .build();

    public static final TableSchema<QueueEntry> QUEUE = StaticImmutableTableSchema.builder(QueueEntry.class, QueueEntryFields.class)
            .newItemBuilder(QueueEntryFields::new, QueueEntryFields::build)
            .addAttribute(String.class, a -> a.name(STATE_PARTITION_KEY).getter(e -> CatalogItems.QUEUES).setter((b, v) -> { })
                    .tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(STATE_SORT_KEY).getter(QueueEntry::name).setter((b, v) -> b.name = v).tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name(CatalogItems.QUEUE_ID).getter(QueueEntry::id).setter((b, v) -> b.id = v))
            .addAttribute(Long.class, a -> a.name("createdAt").getter(e -> e.createdAt().toEpochMilli()).setter((b, v) -> b.createdAtMs = v))
            .flatten(QUEUE_SETTINGS, QueueEntry::settings, (b, v) -> b.settings = v)
            .build();

    public static final TableSchema<SubscriptionEntry> SUBSCRIPTION = StaticImmutableTableSchema
            .builder(SubscriptionEntry.class, SubscriptionEntryFields.class)
            .newItemBuilder(SubscriptionEntryFields::new, SubscriptionEntryFields::build)
            .addAttribute(String.class, a -> a.name(STATE_PARTITION_KEY).getter(e -> CatalogItems.subscriptionsKey(e.queueId()))
                    .setter((b, v) -> b.queueId = CatalogItems.queueIdOfSubscriptions(v)).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(STATE_SORT_KEY).getter(SubscriptionEntry::name).setter((b, v) -> b.name = v)
                    .tags(primarySortKey()))
            .addAttribute(Long.class, a -> a.name("createdAt").getter(e -> e.createdAt().toEpochMilli()).setter((b, v) -> b.createdAtMs = v))
            .addAttribute(EnhancedType.mapOf(String.class, Long.class), a -> a.name("start").getter(CatalogSchemas::starts)
                    .setter((b, v) -> v.forEach((p, o) -> b.starts.put(Integer.parseInt(p), o))))
            .flatten(SUBSCRIPTION_SETTINGS, SubscriptionEntry::settings, (b, v) -> b.settings = v)
            .build();

    public static final TableSchema<DeletedQueueEntry> DELETED_QUEUE = StaticImmutableTableSchema
            .builder(DeletedQueueEntry.class, DeletedFields.class)
            .newItemBuilder(DeletedFields::new, DeletedFields::build)
            .addAttribute(String.class, a -> a.name(STATE_PARTITION_KEY).getter(e -> CatalogItems.DELETED_QUEUES).setter((b, v) -> { })
                    .tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(STATE_SORT_KEY).getter(DeletedQueueEntry::id).setter((b, v) -> b.id = v).tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name("name").getter(DeletedQueueEntry::name).setter((b, v) -> b.name = v))
            .addAttribute(Integer.class, a -> a.name("partitions").getter(DeletedQueueEntry::partitions).setter((b, v) -> b.partitions = v))
            .addAttribute(EnhancedType.listOf(String.class), a -> a.name("subs").getter(DeletedQueueEntry::subscriptions).setter((b, v) -> b.subs = v))
            .addAttribute(Long.class, a -> a.name("deletedAt").getter(e -> e.deletedAt().toEpochMilli()).setter((b, v) -> b.deletedAtMs = v))
            .build();

    private static Long millis(Duration d) {
        return d == null ? null : d.toMillis();
    }

    private static <R> R push(SubscriptionSettings s, java.util.function.Function<PushTarget, R> part) {
        return s.pushTarget().map(part).orElse(null);
    }

    private static Map<String, Long> starts(SubscriptionEntry e) {
        if (e.startOffsets().isEmpty()) return null;
        Map<String, Long> out = new HashMap<>();
        e.startOffsets().forEach((p, o) -> out.put(Integer.toString(p), o));
        return out;
    }

    private static String orElse(String value, String fallback) {
        return value != null ? value : fallback; // queues written before the setting existed have the default
    }

    /** A queue's settings as read; absent attributes as the defaults they had when they did not exist yet. */
    static final class QueueFields {
        Boolean fifo;
        Integer partitions;
        Long retentionMs;
        Long delayMs;
        Boolean contentDedup;
        Long maxBytes;
        Boolean deleteOnAck;
        Long batchWindowMs;
        Integer batchWindowMsgs;
        Map<String, String> faceAttrs;
        String dedupScope;
        String throughputLimit;

        QueueSettings build() {
            return QueueSettings.builder()
                    .fifo(Boolean.TRUE.equals(fifo))
                    .partitions(partitions == null ? 1 : partitions)
                    .retention(retentionMs == null ? null : Duration.ofMillis(retentionMs))
                    .deliveryDelay(Duration.ofMillis(delayMs == null ? 0 : delayMs))
                    .contentBasedDeduplication(Boolean.TRUE.equals(contentDedup))
                    .maxMessageBytes(maxBytes == null ? 1 : maxBytes)
                    .deleteOnAck(Boolean.TRUE.equals(deleteOnAck))
                    .batchWindow(batchWindowMs == null ? null : Duration.ofMillis(batchWindowMs))
                    .batchWindowMessages(batchWindowMsgs == null ? Limits.DEFAULT_BATCH_WINDOW_MESSAGES : batchWindowMsgs)
                    .deduplicationScope(DeduplicationScope.of("dedupScope", orElse(dedupScope, DeduplicationScope.QUEUE.text())))
                    .fifoThroughputLimit(FifoThroughputLimit.of("throughputLimit", orElse(throughputLimit, FifoThroughputLimit.PER_QUEUE.text())))
                    .faceAttributes(faceAttrs == null ? Map.of() : faceAttrs)
                    .build();
        }
    }

    /** A subscription's settings as read. */
    static final class SubscriptionFields {
        Long visibilityMs;
        Long retryInitialMs;
        Double retryMultiplier;
        Long retryMaxMs;
        String dlq;
        Integer maxReceiveCount;
        String pushTarget;
        Integer pushBatchSize;
        Long pushWindowMs;
        Integer pushConcurrency;
        Long pushTimeoutMs;
        String pushFormat;
        Boolean pushReportFailures;

        SubscriptionSettings build() {
            RetryPolicy retry = new RetryPolicy(Duration.ofMillis(retryInitialMs == null ? 100 : retryInitialMs),
                    retryMultiplier == null ? 2.0 : retryMultiplier, Duration.ofMillis(retryMaxMs == null ? 30_000 : retryMaxMs));
            return SubscriptionSettings.builder()
                    .visibilityTimeout(Duration.ofMillis(visibilityMs == null ? 30_000 : visibilityMs))
                    .retryPolicy(retry)
                    .deadLetter(dlq == null ? null : new DeadLetterPolicy(dlq, maxReceiveCount == null ? 1 : maxReceiveCount))
                    .push(pushTarget == null ? null : push())
                    .build();
        }

        /**
         * Subscriptions stored before event formats existed have no {@code pushFormat}: their targets
         * were written for Shoal's event, so they keep it (new subscriptions default to SQS's).
         */
        private PushTarget push() {
            return new PushTarget(pushTarget, pushBatchSize == null ? 10 : pushBatchSize,
                    Duration.ofMillis(pushWindowMs == null ? 0 : pushWindowMs), pushConcurrency == null ? 2 : pushConcurrency,
                    Duration.ofMillis(pushTimeoutMs == null ? 30_000 : pushTimeoutMs),
                    pushFormat == null ? PushTarget.EventFormat.SHOAL : PushTarget.EventFormat.parse("pushFormat", pushFormat),
                    pushReportFailures == null || pushReportFailures);
        }
    }

    static final class QueueEntryFields {
        String name;
        String id;
        Long createdAtMs;
        QueueSettings settings;

        QueueEntry build() {
            return new QueueEntry(name, id, Instant.ofEpochMilli(createdAtMs == null ? 0 : createdAtMs), settings);
        }
    }

    static final class SubscriptionEntryFields {
        String queueId;
        String name;
        Long createdAtMs;
        final Map<Integer, Long> starts = new HashMap<>();
        SubscriptionSettings settings;

        SubscriptionEntry build() {
            return new SubscriptionEntry(queueId, name, Instant.ofEpochMilli(createdAtMs == null ? 0 : createdAtMs),
                    settings == null ? new SubscriptionFields().build() : settings, starts);
        }
    }

    static final class DeletedFields {
        String id;
        String name;
        Integer partitions;
        List<String> subs;
        Long deletedAtMs;

        DeletedQueueEntry build() {
            return new DeletedQueueEntry(id, name, partitions == null ? 1 : partitions, subs == null ? List.of() : subs,
                    Instant.ofEpochMilli(deletedAtMs == null ? 0 : deletedAtMs));
        }
    }
}
