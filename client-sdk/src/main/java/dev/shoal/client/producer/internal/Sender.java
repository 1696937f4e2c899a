package dev.shoal.client.producer.internal;

import dev.shoal.client.ShoalMetrics;
import dev.shoal.client.producer.DeliveryTimeoutException;
import dev.shoal.client.producer.ProducerClosedException;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The producer's background loop, in steps a test can take one at a time ({@link #runOnce}):
 * fail the batches whose delivery timeout ran out while waiting, then hand every ready batch to
 * the executor for delivery. Between steps it waits until the next batch's linger ends or
 * something changes, but at most {@link #MAX_IDLE_MILLIS} of real time, so that a clock moved
 * by a test is noticed.
 */
public final class Sender implements Runnable {

    static final long MAX_IDLE_MILLIS = 100;

    private final RecordAccumulator accumulator;
    private final MemoryPool memory;
    private final BatchDelivery delivery;
    private final Partitioner partitioner;
    private final QueueMetadata metadata;
    private final Clock clock;
    private final Executor executor;
    private final ShoalMetrics metrics;
    private volatile boolean stopped;

    public Sender(RecordAccumulator accumulator, MemoryPool memory, BatchDelivery delivery, Partitioner partitioner,
                  QueueMetadata metadata, Clock clock, Executor executor, ShoalMetrics metrics) {
        this.accumulator = accumulator;
        this.memory = memory;
        this.delivery = delivery;
        this.partitioner = partitioner;
        this.metadata = metadata;
        this.clock = clock;
        this.executor = executor;
        this.metrics = metrics;
    }

    /** One step; returns how long (ms, clock time) until the next batch is due. */
    public long runOnce() {
        long now = clock.millis();
        for (ProducerBatch expired : accumulator.expire(now, delivery.deliveryTimeoutMillis())) {
            finish(expired, new DeliveryTimeoutException(expired.size() + " message(s) for " + expired.key().queue()
                    + " waited longer than the delivery timeout (" + delivery.deliveryTimeoutMillis() + " ms) to be sent", null));
        }
        for (ProducerBatch batch : accumulator.drain(now)) {
            partitioner.batchClosed(batch.key(), metadata.settings(batch.key().queue()).partitions());
            executor.execute(() -> {
                try {
                    delivery.deliver(batch);
                } finally {
                    memory.release(batch.reservedBytes());
                    accumulator.completed(batch);
                }
            });
        }
        return accumulator.nextReadyDelay(clock.millis());
    }

    @Override
    public void run() {
        while (!stopped) {
            long wait = runOnce();
            if (accumulator.closed() && accumulator.idle()) {
                return;
            }
            try {
                accumulator.await(Math.min(wait, MAX_IDLE_MILLIS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Fails what is still waiting (a bounded close ran out of time) and stops the loop. */
    public void abort() {
        stopped = true;
        for (ProducerBatch batch : accumulator.abortWaiting()) {
            finish(batch, new ProducerClosedException("the producer was closed before " + batch.size()
                    + " message(s) for " + batch.key().queue() + " could be sent"));
        }
        accumulator.wakeup();
    }

    private void finish(ProducerBatch batch, RuntimeException error) {
        metrics.failed("producer.delivery", batch.key().queue(), error);
        batch.fail(error);
        memory.release(batch.reservedBytes());
        accumulator.completed(batch);
    }

    public List<ProducerBatch> incomplete() {
        return accumulator.incomplete();
    }
}
