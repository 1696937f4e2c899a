package dev.shoal.storage;

import dev.shoal.storage.api.DeadLetterPolicy;
import dev.shoal.storage.api.InvalidRequestException;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.LogPage;
import dev.shoal.storage.api.MaintenanceReport;
import dev.shoal.storage.api.NackEntry;
import dev.shoal.storage.api.NotFoundException;
import dev.shoal.storage.api.PeekRequest;
import dev.shoal.storage.api.ProduceRequest;
import dev.shoal.storage.api.ProducedMessage;
import dev.shoal.storage.api.QueueDescription;
import dev.shoal.storage.api.QueueService;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.ReceiptResult;
import dev.shoal.storage.api.ReceiveRequest;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.api.RedriveRequest;
import dev.shoal.storage.api.RedriveResult;
import dev.shoal.storage.api.SeekTarget;
import dev.shoal.storage.api.Sleeper;
import dev.shoal.storage.api.SubscriptionDescription;
import dev.shoal.storage.api.SubscriptionSettings;
import dev.shoal.storage.api.SubscriptionStats;
import dev.shoal.storage.api.VisibilityChange;
import dev.shoal.storage.batching.Signals;
import dev.shoal.storage.catalog.QueueCatalog;
import dev.shoal.storage.catalog.QueueRef;
import dev.shoal.storage.catalog.SubscriptionRef;
import dev.shoal.storage.dynamodb.ShoalTables;
import dev.shoal.storage.fifo.Deduplication;
import dev.shoal.storage.fifo.FifoAcknowledger;
import dev.shoal.storage.fifo.FifoConsumption;
import dev.shoal.storage.fifo.FifoReceiver;
import dev.shoal.storage.fifo.FifoState;
import dev.shoal.storage.fifo.RangeTable;
import dev.shoal.storage.fifo.ProducerSequences;
import dev.shoal.storage.fifo.ReceiveAttempts;
import dev.shoal.storage.log.LogCheckpoints;
import dev.shoal.storage.log.LogIndex;
import dev.shoal.storage.log.PartitionLog;
import dev.shoal.storage.log.Retention;
import dev.shoal.storage.log.SegmentStore;
import dev.shoal.storage.s3.S3ObjectStore;
import dev.shoal.storage.subscription.Acknowledger;
import dev.shoal.storage.subscription.ChunkMemory;
import dev.shoal.storage.subscription.ChunkTable;
import dev.shoal.storage.subscription.Consumption;
import dev.shoal.storage.subscription.DeadLetterMover;
import dev.shoal.storage.subscription.Deliveries;
import dev.shoal.storage.subscription.Maintenance;
import dev.shoal.storage.subscription.Positions;
import dev.shoal.storage.subscription.ReceiptCodec;
import dev.shoal.storage.subscription.Receiver;
import dev.shoal.storage.subscription.StandardConsumption;
import dev.shoal.storage.subscription.StateReader;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The storage engine: {@link QueueService} over S3 and DynamoDB. Build one per process and
 * share it; it is thread-safe and keeps nothing between calls that correctness depends on
 * (segments and settings are cached; settings for at most {@link CatalogCache#TTL}).
 */
public final class ShoalEngine implements QueueService {

    private final Clock clock;
    private final QueueCatalog catalog;
    private final CatalogCache cache;
    private final PartitionLog log;
    private final Producer producer;
    private final Consumption standard;
    private final Consumption fifo;
    private final Positions positions;
    private final Maintenance maintenance;
    private final JanitorPass janitor;
    private final Redriver redriver;
    private final Signals signals = new Signals();

    private ShoalEngine(Builder b) {
        this.clock = b.clock;
        this.catalog = new QueueCatalog(b.dynamo, b.tables, b.clock);
        this.cache = new CatalogCache(catalog);
        LogIndex index = new LogIndex(b.dynamo, b.tables);
        SegmentStore segments = new SegmentStore(new S3ObjectStore(b.s3, b.bucket), index, b.segmentCacheBytes);
        this.log = new PartitionLog(index, segments, b.clock, b.sleeper, signals, b.inlineSegmentLimit);
        this.producer = new Producer(log, new Deduplication(b.dynamo, b.tables, log, b.clock), new ProducerSequences(b.dynamo, b.tables), b.clock);
        ChunkTable chunks = new ChunkTable(b.dynamo, b.tables);
        ReceiptCodec receipts = new ReceiptCodec(b.receiptSecret);
        Deliveries deliveries = new Deliveries(segments, receipts);
        DeadLetterMover deadLetters = new DeadLetterMover(catalog, log, chunks, deliveries, b.tables);
        this.maintenance = new Maintenance(chunks, b.clock);
        ChunkMemory memory = new ChunkMemory(b.clock); // what the receiver writes, the acknowledger acks without a read
        this.standard = new StandardConsumption(new Receiver(chunks, memory, index, deliveries, deadLetters, b.clock, b.sleeper, signals,
                sub -> latestOrSame(sub)), new Acknowledger(chunks, memory, receipts, b.clock, b.sleeper), new StateReader(chunks, index, b.clock), maintenance, b.clock, b.sleeper);
        this.positions = new Positions(chunks, log, b.sleeper);
        this.redriver = new Redriver(this, b.clock, b.sleeper);
        RangeTable ranges = new RangeTable(b.dynamo, b.tables, chunks, b.clock);
        this.fifo = new FifoConsumption(new FifoReceiver(ranges, index, segments, deliveries, deadLetters,
                new ReceiveAttempts(b.dynamo, b.tables, receipts, b.clock), b.clock, b.sleeper, signals),
                new FifoAcknowledger(ranges, receipts, b.clock, b.sleeper), new FifoState(ranges, chunks, index, b.clock));
        this.janitor = new JanitorPass(catalog, this::consumption, new Retention(index, segments.objects(), new LogCheckpoints(b.dynamo, b.tables)), maintenance);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * For a stop: long polls waiting now, or starting from now on, answer with what they have at
     * once instead of waiting out their time, so a server's drain of requests in flight is short.
     */
    public void endLongPolls() {
        signals.endWaits();
    }

    /** The log below the service, for tools that read by offset (replay, benchmarks). */
    public PartitionLog log() {
        return log;
    }

    // ---- queues

    @Override
    public QueueDescription createQueue(String name, QueueSettings settings) {
        Objects.requireNonNull(settings, "settings");
        settings.defaultSubscription().deadLetterPolicy().ifPresent(d -> checkDeadLetterQueue(name, settings.fifo(), d));
        QueueRef queue = catalog.create(name, settings);
        cache.forget(name);
        return describe(queue);
    }

    @Override
    public QueueDescription updateQueue(String name, QueueSettings settings) {
        Objects.requireNonNull(settings, "settings");
        settings.defaultSubscription().deadLetterPolicy().ifPresent(d -> checkDeadLetterQueue(name, settings.fifo(), d));
        QueueRef queue = catalog.update(name, settings);
        cache.forget(name);
        return describe(queue);
    }

    @Override
    public QueueDescription describeQueue(String name) {
        Limits.checkQueueNameSyntax("queue", name);
        return describe(catalog.require(name));
    }

    @Override
    public String queueId(String name) {
        return cache.queue(name).id();
    }

    @Override
    public QueueSettings queueSettings(String name) {
        return cache.queue(name).settings();
    }

    private QueueDescription describe(QueueRef queue) {
        SubscriptionRef sub = catalog.requireSubscription(queue, Limits.DEFAULT_SUBSCRIPTION);
        return new QueueDescription(queue.name(), queue.settings(), queue.createdAt(), stats(sub));
    }

    @Override
    public List<String> listQueues(String prefix) {
        return catalog.list(prefix == null ? "" : prefix);
    }

    @Override
    public void deleteQueue(String name) {
        Limits.checkQueueNameSyntax("queue", name);
        catalog.delete(name);
        cache.forget(name);
    }

    @Override
    public void purgeQueue(String name) {
        QueueRef queue = cache.queue(name);
        for (SubscriptionRef sub : catalog.subscriptions(queue)) {
            positions.seek(sub, SeekTarget.latest());
        }
        producer.forgetDeduplication(queue);
    }

    private void checkDeadLetterQueue(String source, boolean sourceFifo, DeadLetterPolicy policy) {
        if (policy.queue().equals(source)) {
            throw new InvalidRequestException("deadLetter.queue", "must not be the queue itself");
        }
        QueueRef dlq = catalog.find(policy.queue()).orElseThrow(() -> new InvalidRequestException("deadLetter.queue",
                "queue '" + policy.queue() + "' does not exist; create the dead-letter queue first"));
        if (dlq.fifo() != sourceFifo) {
            throw new InvalidRequestException("deadLetter.queue", "the dead-letter queue of a " + (sourceFifo ? "FIFO" : "standard")
                    + " queue must be " + (sourceFifo ? "FIFO" : "standard") + " too");
        }
    }

    // ---- subscriptions

    @Override
    public SubscriptionDescription createSubscription(String queue, String name, SubscriptionSettings settings) {
        QueueRef q = cache.queue(queue);
        settings.deadLetterPolicy().ifPresent(d -> checkDeadLetterQueue(queue, q.fifo(), d));
        Map<Integer, Long> starts = new LinkedHashMap<>();
        for (int p = 0; p < q.partitions(); p++) {
            starts.put(p, log.endOffset(q, p)); // a new subscription sees what is produced from now on
        }
        return describe(catalog.createSubscription(q, name, settings, starts));
    }

    @Override
    public SubscriptionDescription updateSubscription(String queue, String name, SubscriptionSettings settings) {
        QueueRef q = cache.queue(queue);
        settings.deadLetterPolicy().ifPresent(d -> checkDeadLetterQueue(queue, q.fifo(), d));
        SubscriptionRef sub = catalog.updateSubscription(q, name, settings);
        cache.forget(queue);
        return describe(sub);
    }

    @Override
    public SubscriptionDescription describeSubscription(String queue, String name) {
        return describe(catalog.requireSubscription(cache.queue(queue), name));
    }

    private SubscriptionDescription describe(SubscriptionRef sub) {
        return new SubscriptionDescription(sub.queue().name(), sub.name(), sub.settings(), sub.createdAt(), stats(sub));
    }

    private SubscriptionStats stats(SubscriptionRef sub) {
        return consumption(sub).stats(sub);
    }

    /** The subscription as the catalog has it now, or as it was when it cannot be read (deleted meanwhile). */
    private SubscriptionRef latestOrSame(SubscriptionRef sub) {
        try {
            SubscriptionRef now = cache.subscription(sub.queue().name(), sub.name());
            return now.queue().id().equals(sub.queue().id()) ? now : sub;
        } catch (NotFoundException gone) {
            return sub;
        }
    }

    /** The one place where standard and FIFO queues part ways on the consuming side. */
    private Consumption consumption(SubscriptionRef sub) {
        return sub.queue().fifo() ? fifo : standard;
    }

    @Override
    public List<SubscriptionDescription> listSubscriptions(String queue) {
        return catalog.subscriptions(cache.queue(queue)).stream().map(this::describe).toList();
    }

    @Override
    public void deleteSubscription(String queue, String name) {
        QueueRef q = cache.queue(queue);
        SubscriptionRef sub = catalog.requireSubscription(q, name);
        catalog.deleteSubscription(q, name);
        maintenance.forget(sub);
        cache.forget(queue);
    }

    @Override
    public void seek(String queue, String subscription, SeekTarget target) {
        Objects.requireNonNull(target, "target");
        positions.seek(cache.subscription(queue, subscription), target);
    }

    // ---- messages

    @Override
    public List<ProducedMessage> produce(String queue, ProduceRequest request) {
        return producer.produce(cache.queue(queue), request);
    }

    @Override
    public List<ReceivedMessage> receive(String queue, String subscription, ReceiveRequest request) {
        SubscriptionRef sub = cache.subscription(queue, subscription);
        return consumption(sub).receive(sub, request);
    }

    @Override
    public List<ReceiptResult> ack(String queue, String subscription, List<String> receipts) {
        SubscriptionRef sub = cache.subscription(queue, subscription);
        return consumption(sub).ack(sub, receipts);
    }

    @Override
    public List<ReceiptResult> nack(String queue, String subscription, List<NackEntry> entries) {
        Map<String, NackEntry> byReceipt = new LinkedHashMap<>();
        entries.forEach(e -> byReceipt.put(e.receipt(), e));
        SubscriptionRef sub = cache.subscription(queue, subscription);
        return consumption(sub).nack(sub, byReceipt);
    }

    @Override
    public List<ReceiptResult> changeVisibility(String queue, String subscription, List<VisibilityChange> changes) {
        Map<String, Duration> timeouts = new LinkedHashMap<>();
        changes.forEach(c -> timeouts.put(c.receipt(), c.timeout()));
        SubscriptionRef sub = cache.subscription(queue, subscription);
        return consumption(sub).changeVisibility(sub, timeouts);
    }

    @Override
    public RedriveResult redrive(String deadLetterQueue, RedriveRequest request) {
        return redriver.redrive(cache.queue(deadLetterQueue), request);
    }

    @Override
    public LogPage peek(String queue, PeekRequest request) {
        QueueRef q = cache.queue(queue);
        int p = request.partition();
        if (p >= q.partitions()) {
            throw new InvalidRequestException("partition", "must be between 0 and " + (q.partitions() - 1) + " (queue '" + queue
                    + "' has " + q.partitions() + " partitions), was " + p);
        }
        long start = log.startOffset(q, p), end = log.endOffset(q, p);
        long from = request.offset() == null ? start : request.offset();
        List<LogPage.Message> messages = new ArrayList<>();
        long next = from;
        for (var r : log.read(q, p, from, request.max())) {
            var rec = r.record();
            messages.add(new LogPage.Message(r.id(), rec.body(), rec.attributes(), rec.groupId(), rec.dedupId(),
                    Instant.ofEpochMilli(rec.timestampMillis()), Instant.ofEpochMilli(rec.deliverAtMillis())));
            next = r.id().offset() + 1;
        }
        return new LogPage(p, start, end, Math.max(next, Math.min(Math.max(from, start), end)), messages);
    }

    /**
     * Messages committed to the queue (every partition) at or after {@code since}, from the log's
     * commit times: one query per partition when nothing was committed since, a binary search
     * over the chain (O(log n) queries) otherwise. For the janitor's ProducedPerMinute.
     */
    public long producedSince(String queue, Instant since) {
        QueueRef q = cache.queue(queue);
        long produced = 0;
        for (int p = 0; p < q.partitions(); p++) {
            var newest = log.index().last(q.partitionKey(p));
            if (newest.isPresent() && !newest.get().committedAt().isBefore(since)) {
                produced += newest.get().endOffset() - log.offsetAt(q, p, since);
            }
        }
        return produced;
    }

    // ---- maintenance

    /**
     * One janitor pass: raises ack floors, applies retention, deletes orphans and the data of
     * deleted queues, and gathers counts. Idempotent; safe to run from several places at once.
     */
    public MaintenanceReport maintenance(Instant now) {
        return janitor.run(now);
    }

    public static final class Builder {
        private DynamoDbClient dynamo;
        private S3Client s3;
        private ShoalTables tables = ShoalTables.withDefaultPrefix();
        private String bucket;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;
        private byte[] receiptSecret;
        private long segmentCacheBytes = 64L * 1024 * 1024;
        private long inlineSegmentLimit = PartitionLog.DEFAULT_INLINE_LIMIT;

        public Builder dynamo(DynamoDbClient v) { this.dynamo = v; return this; }
        public Builder s3(S3Client v) { this.s3 = v; return this; }
        public Builder tables(ShoalTables v) { this.tables = v; return this; }
        public Builder bucket(String v) { this.bucket = v; return this; }
        /** The clock every time decision uses; tests inject a manual one. */
        public Builder clock(Clock v) { this.clock = v; return this; }
        /** How backoff and long polling wait; tests inject one that moves their clock. */
        public Builder sleeper(Sleeper v) { this.sleeper = v; return this; }
        /** The deployment secret that authenticates receipt handles (at least 32 bytes). */
        public Builder receiptSecret(byte[] v) { this.receiptSecret = v.clone(); return this; }
        /** Bytes of segments kept in memory (default 64 MiB; 0 turns the cache off). */
        public Builder segmentCacheBytes(long v) { this.segmentCacheBytes = v; return this; }
        /** The largest segment kept inline in its log entry instead of S3 (ADR 0016); 0 sends every segment to S3. */
        public Builder inlineSegmentLimit(long v) { this.inlineSegmentLimit = v; return this; }

        public ShoalEngine build() {
            Objects.requireNonNull(dynamo, "dynamo");
            Objects.requireNonNull(s3, "s3");
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(receiptSecret, "receiptSecret");
            if (receiptSecret.length < 32) throw new IllegalArgumentException("receiptSecret must be at least 32 bytes");
            return new ShoalEngine(this);
        }
    }
}
