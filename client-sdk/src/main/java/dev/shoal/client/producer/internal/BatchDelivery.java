package dev.shoal.client.producer.internal;

import dev.shoal.client.ProduceMessagesRequest;
import dev.shoal.client.RetryOptions;
import dev.shoal.client.ShoalClient;
import dev.shoal.client.ShoalMetrics;
import dev.shoal.client.internal.Calls;
import dev.shoal.client.producer.DeliveryTimeoutException;
import dev.shoal.storage.api.InvalidRequestException;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.ProducedMessage;
import dev.shoal.storage.api.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Delivers one batch: one produce call, retried on passing failures until the batch's delivery
 * timeout (this is the only layer that retries a producer's batch). Idempotent batches keep
 * their producer id and sequence across retries, so a retry after a lost answer returns the
 * original ids instead of writing twice; FIFO queues get the same from deduplication. When the
 * engine refuses one message of a batch (the error names {@code messages[i]}), that message
 * fails alone and the rest are sent without it.
 */
public final class BatchDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(BatchDelivery.class);
    private static final Pattern MESSAGE_FIELD = Pattern.compile("messages\\[(\\d+)].*");

    private final ShoalClient client;
    private final String producerId;
    private final boolean idempotence;
    private final RetryOptions backoff;
    private final long deliveryTimeoutMillis;
    private final Clock clock;
    private final Sleeper sleeper;
    private final ShoalMetrics metrics;
    private final Map<BatchKey, Long> nextSequence = new ConcurrentHashMap<>();

    public BatchDelivery(ShoalClient client, String producerId, boolean idempotence, RetryOptions backoff,
                         Duration deliveryTimeout, Clock clock, Sleeper sleeper, ShoalMetrics metrics) {
        this.client = client;
        this.producerId = producerId;
        this.idempotence = idempotence;
        this.backoff = backoff;
        this.deliveryTimeoutMillis = deliveryTimeout.toMillis();
        this.clock = clock;
        this.sleeper = sleeper;
        this.metrics = metrics;
    }

    public long deliveryTimeoutMillis() {
        return deliveryTimeoutMillis;
    }

    /** Delivers {@code batch}; completes every message's future one way or the other. Never throws. */
    public void deliver(ProducerBatch batch) {
        try {
            attempt(batch);
        } catch (RuntimeException e) {
            LOG.error("unexpected failure delivering a batch to {}", batch.key(), e);
            batch.fail(e);
        }
    }

    private void attempt(ProducerBatch batch) {
        BatchKey key = batch.key();
        // FIFO queues deduplicate every message already; the engine's idempotent path checks the sequence instead
        boolean sequenced = idempotence && !key.queue().endsWith(Limits.FIFO_SUFFIX);
        if (sequenced && batch.sequence() == null) {
            batch.sequence(nextSequence.merge(key, 1L, Long::sum) - 1);
        }
        for (int attempt = 1; batch.size() > 0; ) {
            ProduceMessagesRequest.Builder request = ProduceMessagesRequest.builder().queue(key.queue())
                    .messages(batch.newMessages()).partition(key.partition());
            if (sequenced) {
                request.producerId(producerId).sequence(batch.sequence());
            }
            ProduceMessagesRequest r = request.build();
            try {
                List<ProducedMessage> produced = client.produce(r);
                long now = clock.millis();
                batch.complete(produced);
                for (PendingMessage m : batch.messages()) {
                    metrics.latency("producer.delivery", key.queue(), Duration.ofMillis(Math.max(0, now - m.sentAtMillis())));
                }
                return;
            } catch (InvalidRequestException e) {
                int index = messageIndex(e.field());
                if (index < 0 || index >= batch.size() || batch.size() == 1) {
                    fail(batch, e);
                    return;
                }
                PendingMessage refused = batch.remove(index);
                refused.future().completeExceptionally(e);
                metrics.failed("producer.delivery", key.queue(), e);
            } catch (RuntimeException e) {
                if (!Calls.retryable(e, r.idempotent())) {
                    fail(batch, e);
                    return;
                }
                Duration wait = Calls.jitter(backoff.ceiling(attempt));
                long deadline = batch.deadlineMillis(deliveryTimeoutMillis);
                if (clock.millis() + wait.toMillis() >= deadline) {
                    fail(batch, new DeliveryTimeoutException(batch.size() + " message(s) for " + key.queue() + " partition "
                            + key.partition() + " were not acknowledged within the delivery timeout (" + deliveryTimeoutMillis
                            + " ms, " + attempt + " attempt(s)); last failure: " + e.getMessage(), e));
                    return;
                }
                LOG.debug("produce to {} failed (attempt {}), retrying in {} ms: {}", key, attempt, wait.toMillis(), e.toString());
                metrics.retried("produce", key.queue(), attempt, e);
                sleeper.sleep(wait);
                attempt++;
            }
        }
    }

    private void fail(ProducerBatch batch, RuntimeException e) {
        LOG.warn("{} message(s) for {} failed: {}", batch.size(), batch.key(), e.toString());
        metrics.failed("producer.delivery", batch.key().queue(), e);
        batch.fail(e);
    }

    static int messageIndex(String field) {
        if (field == null) return -1;
        Matcher m = MESSAGE_FIELD.matcher(field);
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }
}
