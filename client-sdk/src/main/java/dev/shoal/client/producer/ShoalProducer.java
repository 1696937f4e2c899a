package dev.shoal.client.producer;

import dev.shoal.client.RetryOptions;
import dev.shoal.client.ShoalClient;
import dev.shoal.client.ShoalMetrics;
import dev.shoal.client.internal.DefaultShoalClient;
import dev.shoal.client.producer.internal.BatchDelivery;
import dev.shoal.client.producer.internal.BatchKey;
import dev.shoal.client.producer.internal.MemoryPool;
import dev.shoal.client.producer.internal.Partitioner;
import dev.shoal.client.producer.internal.PendingMessage;
import dev.shoal.client.producer.internal.ProducerBatch;
import dev.shoal.client.producer.internal.QueueMetadata;
import dev.shoal.client.producer.internal.RecordAccumulator;
import dev.shoal.client.producer.internal.Sender;
import dev.shoal.storage.api.InvalidRequestException;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.MessageId;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends messages in batches, Kafka-style: {@link #send} puts a message in its queue and
 * partition's open batch and returns at once with a future of its id; a background sender
 * produces a batch when it is full ({@code batchSize} messages or {@code maxBatchBytes}), when
 * it has waited {@code linger}, or on {@link #flush()}/{@link #close()}. Thread-safe; share one.
 *
 * <ul>
 *   <li><b>Back-pressure.</b> Messages not yet acknowledged may hold at most {@code bufferMemory}
 *       bytes; {@code send} blocks up to {@code maxBlock} for room, then throws
 *       {@link BufferExhaustedException}.</li>
 *   <li><b>Delivery.</b> A batch is retried on passing failures until its oldest message's
 *       {@code deliveryTimeout}; then its futures fail with {@link DeliveryTimeoutException}.
 *       One batch per partition is in flight at a time, so a partition's (and a FIFO group's)
 *       messages are written in send order.</li>
 *   <li><b>Idempotence</b> (on by default): batches carry this producer's id and a sequence
 *       number per partition, so a retry after a lost answer returns the original ids instead
 *       of writing twice. FIFO queues get the same from deduplication ids.</li>
 *   <li><b>Errors.</b> {@code send} throws for what is wrong before the message is accepted
 *       (unknown queue, message too large, closed producer, buffer exhausted); the future
 *       fails for what goes wrong after (a message the engine refuses fails alone).</li>
 * </ul>
 */
public final class ShoalProducer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ShoalProducer.class);

    private final String producerId;
    private final RecordAccumulator accumulator;
    private final MemoryPool memory;
    private final Partitioner partitioner = new Partitioner();
    private final QueueMetadata metadata;
    private final Sender sender;
    private final Clock clock;
    private final Duration maxBlock;
    private final ExecutorService deliveries;
    private final Thread senderThread;

    private ShoalProducer(Builder b) {
        this.producerId = "p" + UUID.randomUUID().toString().replace("-", "");
        ShoalClient client = b.client instanceof DefaultShoalClient d ? d.withoutRetries() : b.client;
        ShoalMetrics metrics = b.metrics != null ? b.metrics
                : b.client instanceof DefaultShoalClient d ? d.calls().metrics() : ShoalMetrics.NONE;
        this.clock = b.clock;
        this.maxBlock = b.maxBlock;
        this.accumulator = new RecordAccumulator(b.linger.toMillis(), b.batchSize, b.maxBatchBytes);
        this.memory = new MemoryPool(b.bufferMemory);
        this.metadata = new QueueMetadata(b.client);
        BatchDelivery delivery = new BatchDelivery(client, producerId, b.idempotence, b.retryBackoff, b.deliveryTimeout,
                b.clock, b.sleeper, metrics);
        if (b.manualSender) {
            this.deliveries = null;
            this.sender = new Sender(accumulator, memory, delivery, partitioner, metadata, clock, Runnable::run, metrics);
            this.senderThread = null;
        } else {
            this.deliveries = Executors.newVirtualThreadPerTaskExecutor();
            this.sender = new Sender(accumulator, memory, delivery, partitioner, metadata, clock, deliveries, metrics);
            this.senderThread = Thread.ofPlatform().daemon().name("shoal-producer-" + producerId).start(sender);
        }
    }

    public static Builder builder(ShoalClient client) {
        return new Builder(client);
    }

    /** This producer's id, as its idempotent batches carry it. */
    public String producerId() {
        return producerId;
    }

    /**
     * Enqueues {@code message} for {@code queue}. Blocks only while the buffer is full (up to
     * {@code maxBlock}) and, the first time a queue is used, to read its settings.
     *
     * @return a future of the message's id, completed when its batch is committed
     * @throws BufferExhaustedException  no room in the buffer within maxBlock
     * @throws ProducerClosedException   after close()
     * @throws dev.shoal.storage.api.NotFoundException the queue does not exist
     * @throws InvalidRequestException   the message is larger than the queue allows
     */
    public CompletableFuture<MessageId> send(String queue, NewMessage message) {
        Objects.requireNonNull(message, "message");
        if (accumulator.closed()) {
            throw new ProducerClosedException("the producer is closed; this message was not sent");
        }
        Limits.checkQueueNameSyntax("queue", queue);
        QueueSettings settings = metadata.settings(queue);
        long bytes = PendingMessage.sizeOf(message);
        if (bytes > settings.maxMessageBytes()) {
            throw new InvalidRequestException("message", "body plus attributes is " + bytes + " bytes; queue '" + queue
                    + "' allows at most " + settings.maxMessageBytes() + " (maxMessageBytes)");
        }
        try {
            memory.reserve(bytes, maxBlock);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BufferExhaustedException("interrupted while waiting for buffer memory; the message was not sent");
        }
        CompletableFuture<MessageId> future = new CompletableFuture<>();
        BatchKey key = new BatchKey(queue, partitioner.partition(queue, message, settings.partitions()));
        try {
            accumulator.append(key, new PendingMessage(message, bytes, clock.millis(), future), clock.millis());
        } catch (RuntimeException e) {
            memory.release(bytes);
            throw e;
        }
        return future;
    }

    public CompletableFuture<MessageId> send(String queue, String body) {
        return send(queue, NewMessage.of(body));
    }

    /** Sends every batch now, whatever its linger, and waits until each message sent before the call is acknowledged or failed. */
    public void flush() {
        accumulator.beginFlush();
        try {
            awaitIncomplete(Long.MAX_VALUE);
        } finally {
            accumulator.endFlush();
        }
    }

    private boolean awaitIncomplete(long deadlineNanos) {
        for (ProducerBatch batch : accumulator.incomplete()) {
            while (!batch.done().isDone()) {
                if (senderThread == null) {
                    sender.runOnce();
                    continue;
                }
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    batch.done().get(left, TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException(e); // done() never fails
                }
            }
        }
        return true;
    }

    /** Stops accepting messages, delivers every pending one (each bounded by the delivery timeout), then stops. Loses nothing. */
    @Override
    public void close() {
        close(Duration.ofMillis(Long.MAX_VALUE));
    }

    /**
     * Like {@link #close()}, but gives up after {@code timeout}: messages still waiting then fail
     * with {@link ProducerClosedException}; batches already being delivered finish on their own.
     *
     * @return true when everything was delivered (or failed) within the timeout
     */
    public boolean close(Duration timeout) {
        long deadline = System.nanoTime() + (timeout.compareTo(Duration.ofDays(3650)) > 0 ? Long.MAX_VALUE / 4 : timeout.toNanos());
        accumulator.close();
        boolean clean = true;
        while (!accumulator.idle()) {
            if (!awaitIncomplete(deadline)) {
                clean = false;
                LOG.warn("producer {} closed with messages still pending after {}; they fail with ProducerClosedException", producerId, timeout);
                sender.abort();
                break;
            }
        }
        if (senderThread != null) {
            accumulator.wakeup();
            try {
                senderThread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            deliveries.shutdown();
        }
        return clean;
    }

    /** For tests driving a manual sender: one step of the sender loop; returns ms until the next batch is due. */
    long runOnce() {
        if (senderThread != null) {
            throw new IllegalStateException("this producer has its own sender thread");
        }
        return sender.runOnce();
    }

    public static final class Builder {
        private final ShoalClient client;
        private Duration linger = Duration.ofMillis(5);
        private int batchSize = 100;
        private long maxBatchBytes = 1024 * 1024;
        private long bufferMemory = 32L * 1024 * 1024;
        private Duration maxBlock = Duration.ofSeconds(60);
        private Duration deliveryTimeout = Duration.ofMinutes(2);
        private boolean idempotence = true;
        private RetryOptions retryBackoff = new RetryOptions(Integer.MAX_VALUE, Duration.ofMillis(100), Duration.ofSeconds(2));
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;
        private ShoalMetrics metrics;
        private boolean manualSender;

        private Builder(ShoalClient client) {
            this.client = Objects.requireNonNull(client, "client");
        }

        /** How long a batch waits for more messages before it is sent (default 5 ms; 0 sends as soon as the sender is free). */
        public Builder linger(Duration v) { this.linger = v; return this; }
        /** At most this many messages per batch (1 to 1,000; default 100). */
        public Builder batchSize(int v) { this.batchSize = v; return this; }
        /**
         * At most this many bytes of bodies and attributes per batch (default 1 MiB); a larger
         * message goes alone. Over HTTP, keep batches well under the API's 6 MiB request limit
         * (JSON and base64 add up to a third).
         */
        public Builder maxBatchBytes(long v) { this.maxBatchBytes = v; return this; }
        /** Bytes of messages not yet acknowledged that the producer may hold (default 32 MiB). */
        public Builder bufferMemory(long v) { this.bufferMemory = v; return this; }
        /** How long send may block for buffer memory (default 60 s). */
        public Builder maxBlock(Duration v) { this.maxBlock = v; return this; }
        /** How long after send a message may take to be acknowledged, retries included (default 2 min). */
        public Builder deliveryTimeout(Duration v) { this.deliveryTimeout = v; return this; }
        /** Sends batches without producer id and sequence: a retry after a lost answer may then write twice. */
        public Builder withoutIdempotence() { this.idempotence = false; return this; }
        /** Backoff between retries of a batch: full jitter under {@code min(max, base * 2^(attempt-1))} (default 100 ms, 2 s). */
        public Builder retryBackoff(Duration base, Duration max) { this.retryBackoff = new RetryOptions(Integer.MAX_VALUE, base, max); return this; }
        /** The clock linger and delivery timeouts are measured on; tests inject a manual one. */
        public Builder clock(Clock v) { this.clock = v; return this; }
        /** How retries wait (default: Thread.sleep). */
        public Builder sleeper(Sleeper v) { this.sleeper = v; return this; }
        /** Metrics hooks; default: the client's. */
        public Builder metrics(ShoalMetrics v) { this.metrics = v; return this; }

        /** Tests only: no sender thread; the test steps the sender with {@code runOnce()}, deliveries run on its thread. */
        Builder manualSender() { this.manualSender = true; return this; }

        public ShoalProducer build() {
            Limits.checkRange("batchSize", batchSize, 1, Limits.MAX_BATCH_MESSAGES);
            Limits.checkRange("maxBatchBytes", maxBatchBytes, 1, Limits.MAX_MESSAGE_BYTES);
            Limits.checkRange("bufferMemory", bufferMemory, 1, Long.MAX_VALUE);
            if (linger.isNegative() || maxBlock.isNegative() || !deliveryTimeout.isPositive()) {
                throw new IllegalArgumentException("linger and maxBlock must not be negative, deliveryTimeout must be positive");
            }
            return new ShoalProducer(this);
        }
    }
}
