package dev.shoal.functions.dispatcher;

import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.NackEntry;
import dev.shoal.storage.api.PushTarget;
import dev.shoal.storage.api.QueueService;
import dev.shoal.storage.api.ReceiptResult;
import dev.shoal.storage.api.ReceiveRequest;
import dev.shoal.storage.api.ReceivedMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One push subscription during one pass: receives batches, invokes the target with each (up to
 * the pacer's limit at once), and settles each batch from the outcome.
 */
final class Lane {

    private static final Logger LOG = LoggerFactory.getLogger(Lane.class);

    private final QueueService service;
    private final Clock clock;
    private final TargetInvoker invoker;
    private final ExecutorService executor;
    private final PushSubscription sub;
    private final Pacer pacer;
    private final DispatchReport.Tally tally;
    private final SqsSource sqsSource;

    Lane(QueueService service, Clock clock, TargetInvoker invoker, ExecutorService executor, PushSubscription sub,
         Pacer pacer, DispatchReport.Tally tally, SqsSource sqsSource) {
        this.service = service;
        this.clock = clock;
        this.invoker = invoker;
        this.executor = executor;
        this.sub = sub;
        this.pacer = pacer;
        this.tally = tally;
        this.sqsSource = sqsSource;
    }

    /**
     * Starts batches until nothing is visible, the target pushes back, or {@code lastStart}
     * passes; returns once every batch it started is settled.
     */
    void run(Instant lastStart) {
        List<Future<?>> started = new ArrayList<>();
        int max = sub.target().maxConcurrency();
        try {
            while (pacer.acquire(max, lastStart, clock)) {
                List<ReceivedMessage> batch;
                try {
                    batch = collect(lastStart);
                } catch (RuntimeException e) {
                    pacer.release();
                    tally.errors.incrementAndGet();
                    LOG.warn("{}: receive failed, trying again next pass: {}", sub.key(), e.toString());
                    break;
                }
                if (batch.isEmpty()) {
                    pacer.release();
                    break;
                }
                started.add(executor.submit(() -> {
                    try {
                        deliver(batch);
                    } finally {
                        pacer.release();
                    }
                }));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        awaitAll(started);
    }

    /**
     * Receives up to batchSize messages. A batch that is not full waits (long polling) until the
     * batching window has passed since its oldest message was sent; when the window would outlast
     * {@code lastStart}, the messages are given back uncounted until it ends, and the batch is
     * empty. Empty, too, when nothing is visible.
     */
    List<ReceivedMessage> collect(Instant lastStart) {
        PushTarget t = sub.target();
        List<ReceivedMessage> batch = new ArrayList<>();
        boolean drained = false;
        while (batch.size() < t.batchSize()) {
            Duration wait = Duration.ZERO;
            if (drained) {
                Instant now = clock.instant();
                Instant windowEnd = oldestSent(batch).plus(t.batchingWindow());
                if (!now.isBefore(windowEnd)) {
                    break;
                }
                if (windowEnd.isAfter(lastStart)) {
                    release(batch, Duration.between(now, windowEnd));
                    return List.of();
                }
                wait = min(Duration.between(now, windowEnd), Limits.MAX_WAIT_TIME);
            }
            int want = Math.min(t.batchSize() - batch.size(), Limits.MAX_RECEIVE_MESSAGES);
            List<ReceivedMessage> got = service.receive(sub.queue(), sub.subscription(),
                    new ReceiveRequest(want, sub.leaseTime(), wait, null));
            if (got.isEmpty() && batch.isEmpty()) {
                return List.of();
            }
            batch.addAll(got);
            drained = got.size() < want;
        }
        return batch;
    }

    /**
     * Invokes the target with {@code received} (cut to what one invocation carries, the rest given
     * back uncounted after the invoked part is settled) and settles it from the outcome.
     */
    void deliver(List<ReceivedMessage> received) {
        tally.batches.incrementAndGet();
        EventEncoder encoder;
        PayloadCut cut;
        try {
            encoder = EventEncoder.of(sub.target().eventFormat(), sqsSource, () -> service.queueId(sub.queue()));
            cut = PayloadCut.of(sub, encoder, received);
        } catch (RuntimeException e) {
            // counted, so a message that cannot be written is dead-lettered instead of coming back forever
            LOG.warn("{}: could not write the event for {} messages; the batch fails whole: {}", sub.key(), received.size(), e.toString());
            settle(Settlement.allFailed(received));
            return;
        }
        Duration tailDelay = invokeAndSettle(cut.head(), cut.event(), encoder);
        if (!cut.tail().isEmpty()) {
            LOG.info("{}: {} messages did not fit one invocation's payload; they go in a later batch", sub.key(), cut.tail().size());
            release(cut.tail(), tailDelay);
        }
    }

    /** Returns how long to keep back messages of the same receive that were not invoked: the pause after a throttle. */
    private Duration invokeAndSettle(List<ReceivedMessage> batch, byte[] event, EventEncoder encoder) {
        InvocationOutcome outcome;
        try {
            outcome = invoker.invoke(sub.target(), event);
        } catch (RuntimeException e) {
            outcome = new InvocationOutcome.Failed(e.toString());
        }
        int max = sub.target().maxConcurrency();
        switch (outcome) {
            case InvocationOutcome.Completed c -> {
                pacer.delivered(max);
                settle(settlement(batch, c.response(), encoder));
                return Duration.ZERO;
            }
            case InvocationOutcome.Failed f -> {
                LOG.info("{}: batch of {} failed whole: {}", sub.key(), batch.size(), f.reason());
                settle(Settlement.allFailed(batch));
                return Duration.ZERO;
            }
            case InvocationOutcome.NotDelivered n -> {
                Duration pause = pacer.throttled(clock.instant(), n.retryAfter(), max);
                LOG.info("{}: target turned a batch of {} away ({}); pausing {} ms at concurrency {}", sub.key(),
                        batch.size(), n.reason(), pause.toMillis(), pacer.limit(max));
                release(batch, pause);
                return pause;
            }
        }
    }

    /**
     * A completed invocation's settlement: from its partial batch response, or (a target whose
     * answers are not read, as Lambda without ReportBatchItemFailures) every message handled.
     */
    private Settlement settlement(List<ReceivedMessage> batch, byte[] answer, EventEncoder encoder) {
        if (!sub.target().reportBatchItemFailures()) {
            return Settlement.allHandled(batch);
        }
        Set<String> ids = batch.stream().map(encoder::itemIdentifier).collect(Collectors.toSet());
        BatchResponse response = BatchResponse.parse(answer, ids);
        if (response.isMalformed()) {
            LOG.info("{}: batch of {} failed whole: {}", sub.key(), batch.size(), response.malformed());
            return Settlement.allFailed(batch);
        }
        return Settlement.of(batch, response.failed(), encoder::itemIdentifier, sub.fifo());
    }

    /** Acks first: on FIFO queues a nack holds the group's lease back, and the acks must land before it. */
    private void settle(Settlement s) {
        tally.acked.addAndGet(apply(s.ack(), chunk -> service.ack(sub.queue(), sub.subscription(),
                chunk.stream().map(ReceivedMessage::receipt).toList())));
        tally.nacked.addAndGet(apply(s.nack(), chunk -> service.nack(sub.queue(), sub.subscription(),
                chunk.stream().map(m -> NackEntry.of(m.receipt())).toList())));
    }

    /** Gives messages back without counting the delivery: they never reached the target. */
    private void release(List<ReceivedMessage> messages, Duration delay) {
        Duration d = min(delay, Limits.MAX_VISIBILITY_TIMEOUT);
        tally.released.addAndGet(apply(messages, chunk -> service.nack(sub.queue(), sub.subscription(),
                chunk.stream().map(m -> NackEntry.undelivered(m.receipt(), d)).toList())));
    }

    /**
     * Applies a settlement call 1,000 receipts at a time. A failed call or entry is logged and
     * counted, not retried: its messages come back when their lease ends.
     */
    private int apply(List<ReceivedMessage> messages, Function<List<ReceivedMessage>, List<ReceiptResult>> call) {
        int applied = 0;
        for (int from = 0; from < messages.size(); from += Limits.MAX_BATCH_MESSAGES) {
            List<ReceivedMessage> chunk = messages.subList(from, Math.min(messages.size(), from + Limits.MAX_BATCH_MESSAGES));
            try {
                for (ReceiptResult r : call.apply(chunk)) {
                    if (r.succeeded()) {
                        applied++;
                    } else {
                        tally.errors.incrementAndGet();
                        LOG.warn("{}: settling a message failed: {}", sub.key(), r.error().getMessage());
                    }
                }
            } catch (RuntimeException e) {
                tally.errors.incrementAndGet();
                LOG.warn("{}: settling {} messages failed; they come back after their lease: {}", sub.key(), chunk.size(), e.toString());
            }
        }
        return applied;
    }

    private static Instant oldestSent(List<ReceivedMessage> batch) {
        return batch.stream().map(ReceivedMessage::sentAt).min(Comparator.naturalOrder()).orElseThrow();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void awaitAll(List<Future<?>> futures) {
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                LOG.warn("a batch failed unexpectedly: {}", e.getCause().toString());
            }
        }
    }
}
