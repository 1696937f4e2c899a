package dev.shoal.client.consumer.internal;

import dev.shoal.client.ShoalMetrics;
import dev.shoal.client.internal.Calls;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.ReceiptResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Accumulates acks (or nacks) and sends them in batches: when {@code batchSize} are waiting, on
 * the consumer's flush interval, and at shutdown. An entry that fails for a passing reason is
 * kept for the next flush, a few times; one that fails for good (a superseded receipt: the
 * message was redelivered meanwhile) is logged and counted, since nothing better can be done:
 * delivery is at least once.
 */
public final class ReceiptBatcher<T> {

    private static final Logger LOG = LoggerFactory.getLogger(ReceiptBatcher.class);
    static final int MAX_ATTEMPTS = 3;

    private final String operation;
    private final String queue;
    private final int batchSize;
    private final Function<List<T>, List<ReceiptResult>> send;
    private final Function<T, String> receiptOf;
    private final ShoalMetrics metrics;
    private final Object flushLock = new Object();
    private Map<String, Pending<T>> pending = new LinkedHashMap<>();

    private record Pending<T>(T entry, int attempts) {
    }

    public ReceiptBatcher(String operation, String queue, int batchSize, Function<List<T>, List<ReceiptResult>> send,
                          Function<T, String> receiptOf, ShoalMetrics metrics) {
        this.operation = operation;
        this.queue = queue;
        this.batchSize = Math.min(batchSize, Limits.MAX_RECEIVE_MESSAGES);
        this.send = send;
        this.receiptOf = receiptOf;
        this.metrics = metrics;
    }

    /** Adds an entry; true when a batch is full and worth flushing now. */
    public synchronized boolean add(T entry) {
        pending.put(receiptOf.apply(entry), new Pending<>(entry, 0));
        return pending.size() >= batchSize;
    }

    public synchronized int size() {
        return pending.size();
    }

    private synchronized Map<String, Pending<T>> take() {
        Map<String, Pending<T>> taken = pending;
        pending = new LinkedHashMap<>();
        return taken;
    }

    private synchronized void putBack(Pending<T> p) {
        pending.putIfAbsent(receiptOf.apply(p.entry()), p);
    }

    /** Sends everything waiting, in calls of at most {@code batchSize}. One flush at a time. */
    public void flush() {
        synchronized (flushLock) {
            List<Pending<T>> all = new ArrayList<>(take().values());
            for (int from = 0; from < all.size(); from += batchSize) {
                send(all.subList(from, Math.min(all.size(), from + batchSize)));
            }
        }
    }

    private void send(List<Pending<T>> batch) {
        List<ReceiptResult> results;
        try {
            results = send.apply(batch.stream().map(Pending::entry).toList());
        } catch (RuntimeException e) {
            batch.forEach(p -> retryOrDrop(p, e));
            return;
        }
        for (int i = 0; i < results.size() && i < batch.size(); i++) {
            ReceiptResult r = results.get(i);
            if (!r.succeeded()) {
                retryOrDrop(batch.get(i), r.error());
            }
        }
    }

    private void retryOrDrop(Pending<T> p, RuntimeException error) {
        if (Thread.currentThread().isInterrupted()) {
            return; // the consumer is being killed: its leases run out and the messages come back
        }
        if (Calls.retryable(error, true) && p.attempts() + 1 < MAX_ATTEMPTS) {
            putBack(new Pending<>(p.entry(), p.attempts() + 1));
            return;
        }
        LOG.warn("{} on {} failed for good ({}); the message will be delivered again: {}", operation, queue,
                error.getClass().getSimpleName(), error.getMessage());
        metrics.failed(operation, queue, error);
    }
}
