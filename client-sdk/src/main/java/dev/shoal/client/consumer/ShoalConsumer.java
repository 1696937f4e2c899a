package dev.shoal.client.consumer;

import dev.shoal.client.ReceiveMessagesRequest;
import dev.shoal.client.ShoalClient;
import dev.shoal.client.ShoalMetrics;
import dev.shoal.client.consumer.internal.Capacity;
import dev.shoal.client.consumer.internal.Dispatcher;
import dev.shoal.client.consumer.internal.Heartbeater;
import dev.shoal.client.consumer.internal.Lease;
import dev.shoal.client.consumer.internal.LeaseTracker;
import dev.shoal.client.consumer.internal.PollLoop;
import dev.shoal.client.consumer.internal.Settlement;
import dev.shoal.client.internal.DefaultShoalClient;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Consumes a subscription with a {@link MessageHandler}: a poll loop long-polls for messages,
 * at most {@code maxConcurrency} are held at a time, each handler runs on a virtual thread, and
 * the outcome is settled in batches (return = ack, throw = nack). While a message is held its
 * lease is extended (heartbeats). On a FIFO queue the messages of one group are handled one at
 * a time, in order. {@link #close()} is graceful: no new receives, unstarted messages released
 * at once (visibility 0), running handlers finished, their acks flushed.
 *
 * <pre>{@code
 * try (ShoalConsumer consumer = ShoalConsumer.builder(client, "orders", message -> process(message)).build().start()) {
 *     ...
 * }
 * }</pre>
 */
public final class ShoalConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ShoalConsumer.class);

    private final Builder config;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final LeaseTracker leases = new LeaseTracker();
    private final Capacity capacity;
    private ScheduledExecutorService timers;
    private ExecutorService handlers;
    private Settlement settlement;
    private PollLoop poll;
    private Dispatcher dispatcher;
    private Thread pollThread;

    private ShoalConsumer(Builder b) {
        this.config = b;
        this.capacity = new Capacity(b.maxConcurrency);
    }

    public static Builder builder(ShoalClient client, String queue, MessageHandler handler) {
        return new Builder(client, queue, handler);
    }

    /** Starts polling. Reads the subscription's visibility timeout first when none was configured. */
    public ShoalConsumer start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("this consumer was already started");
        }
        Builder b = config;
        Duration visibility = b.visibilityTimeout != null ? b.visibilityTimeout
                : b.client.describeSubscription(b.queue, b.subscription).settings().visibilityTimeout();
        if (visibility.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalStateException("the consumer needs a visibility timeout of at least 1s to keep leases alive; "
                    + b.queue + "/" + b.subscription + " has " + Limits.human(visibility) + ": set visibilityTimeout(...)");
        }
        ShoalMetrics metrics = b.metrics != null ? b.metrics
                : b.client instanceof DefaultShoalClient d ? d.calls().metrics() : ShoalMetrics.NONE;
        timers = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("shoal-consumer-timers").factory());
        handlers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("shoal-handler-", 0).factory());
        settlement = new Settlement(b.client, b.queue, b.subscription, leases, capacity, b.ackBatchSize, metrics, timers);
        dispatcher = new Dispatcher(b.handler, b.queue.endsWith(Limits.FIFO_SUFFIX), handlers, settlement, b.clock,
                metrics, b.queue);
        Heartbeater heartbeats = new Heartbeater(b.client, b.queue, b.subscription, leases, visibility, b.maxLeaseExtension, b.clock);
        long beat = Heartbeater.interval(visibility).toMillis();
        timers.scheduleWithFixedDelay(heartbeats, beat, beat, TimeUnit.MILLISECONDS);
        long flush = b.ackFlushInterval.toMillis();
        timers.scheduleWithFixedDelay(settlement::flush, flush, flush, TimeUnit.MILLISECONDS);
        ReceiveMessagesRequest template = ReceiveMessagesRequest.builder().queue(b.queue).subscription(b.subscription)
                .maxMessages(b.maxMessagesPerReceive).visibilityTimeout(visibility).waitTime(b.waitTime).build();
        poll = new PollLoop(b.client, template, capacity, leases, dispatcher, settlement, b.clock, b.sleeper);
        pollThread = Thread.ofVirtual().name("shoal-poll-" + b.queue + "/" + b.subscription).start(poll);
        LOG.debug("consuming {}/{} (visibility {}, concurrency {})", b.queue, b.subscription, visibility, b.maxConcurrency);
        return this;
    }

    /** Messages held now: received and not yet settled (waiting or being handled). */
    public int inFlight() {
        return leases.size();
    }

    /** Graceful shutdown within the configured {@code shutdownTimeout}; see {@link #close(Duration)}. */
    @Override
    public void close() {
        close(config.shutdownTimeout);
    }

    /**
     * Stops receiving (waiting for a long poll in progress, up to its wait time), releases the
     * messages no handler has started, lets running handlers finish and flushes their acks and
     * nacks. Handlers still running after {@code timeout} are abandoned: their messages come back
     * when their leases end.
     *
     * @return true when every handler finished in time
     */
    public boolean close(Duration timeout) {
        if (!started.get() || !closed.compareAndSet(false, true)) {
            return true;
        }
        long deadline = System.nanoTime() + (timeout.compareTo(Duration.ofDays(3650)) > 0 ? Long.MAX_VALUE / 4 : timeout.toNanos());
        dispatcher.close();
        poll.stop();
        boolean clean = false;
        try {
            pollThread.join(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())).plus(config.waitTime));
            // FIFO groups release their waiting messages themselves, once the running one is acked
            settlement.release(leases.all().stream().filter(l -> l.state() == Lease.State.WAITING && !fifo(l)).toList());
            clean = capacity.awaitIdle(deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!clean) {
            LOG.warn("{} message(s) of {}/{} were still being handled when the consumer closed; they come back when their leases end",
                    leases.size(), config.queue, config.subscription);
        }
        settlement.flush();
        timers.shutdownNow();
        handlers.shutdown();
        return clean;
    }

    private boolean fifo(Lease lease) {
        return config.queue.endsWith(Limits.FIFO_SUFFIX) && lease.group() != null;
    }

    /**
     * Tests only: dies the way a killed process does. Nothing is released, acked or flushed, no
     * more heartbeats; handler threads are interrupted. What it held comes back when the leases end.
     */
    void kill() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        settlement.kill();
        poll.stop();
        timers.shutdownNow();
        handlers.shutdownNow();
        pollThread.interrupt();
    }

    public static final class Builder {
        private final ShoalClient client;
        private final String queue;
        private final MessageHandler handler;
        private String subscription = Limits.DEFAULT_SUBSCRIPTION;
        private int maxConcurrency = 10;
        private int maxMessagesPerReceive = 10;
        private Duration waitTime = Duration.ofSeconds(5);
        private Duration visibilityTimeout;
        private Duration maxLeaseExtension = Duration.ofHours(1);
        private int ackBatchSize = 100;
        private Duration ackFlushInterval = Duration.ofMillis(100);
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;
        private ShoalMetrics metrics;

        private Builder(ShoalClient client, String queue, MessageHandler handler) {
            this.client = Objects.requireNonNull(client, "client");
            Limits.checkQueueNameSyntax("queue", queue);
            this.queue = queue;
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        /** The subscription to consume (default "default"). */
        public Builder subscription(String v) { Limits.checkSubscriptionName("subscription", v); this.subscription = v; return this; }
        /** Messages held at once, waiting or being handled (default 10). */
        public Builder maxConcurrency(int v) { this.maxConcurrency = v; return this; }
        /** At most this many messages per receive call (default 10, at most 1,000). */
        public Builder maxMessagesPerReceive(int v) { this.maxMessagesPerReceive = v; return this; }
        /** Long polling: how long a receive waits for a first message (default 5 s, at most 20 s). close() waits for one in progress. */
        public Builder waitTime(Duration v) { this.waitTime = v; return this; }
        /** Lease length for receives and each heartbeat extension; default: the subscription's. */
        public Builder visibilityTimeout(Duration v) { this.visibilityTimeout = v; return this; }
        /** Stop extending a message's lease this long after it was received (default 1 h). */
        public Builder maxLeaseExtension(Duration v) { this.maxLeaseExtension = v; return this; }
        /** Acks (and nacks) sent together (default 100, at most 1,000). */
        public Builder ackBatchSize(int v) { this.ackBatchSize = v; return this; }
        /** Acks waiting are sent at least this often (default 100 ms). */
        public Builder ackFlushInterval(Duration v) { this.ackFlushInterval = v; return this; }
        /** How long close() waits for running handlers (default 30 s). */
        public Builder shutdownTimeout(Duration v) { this.shutdownTimeout = v; return this; }
        public Builder clock(Clock v) { this.clock = v; return this; }
        public Builder sleeper(Sleeper v) { this.sleeper = v; return this; }
        /** Metrics hooks; default: the client's. */
        public Builder metrics(ShoalMetrics v) { this.metrics = v; return this; }

        public ShoalConsumer build() {
            Limits.checkRange("maxConcurrency", maxConcurrency, 1, 100_000);
            Limits.checkRange("maxMessagesPerReceive", maxMessagesPerReceive, 1, Limits.MAX_RECEIVE_MESSAGES);
            Limits.checkRange("waitTime", waitTime, Duration.ZERO, Limits.MAX_WAIT_TIME);
            Limits.checkRange("ackBatchSize", ackBatchSize, 1, Limits.MAX_RECEIVE_MESSAGES);
            if (!ackFlushInterval.isPositive() || shutdownTimeout.isNegative()) {
                throw new IllegalArgumentException("ackFlushInterval must be positive and shutdownTimeout not negative");
            }
            return new ShoalConsumer(this);
        }
    }
}
