package dev.shoal.client.testing;

import dev.shoal.client.ShoalMetrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Counts what the hooks report, by name: "latency:produce", "sent", "acked", "failed:ack", ... */
public final class CountingMetrics implements ShoalMetrics {

    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    private void add(String name, long n) {
        counts.computeIfAbsent(name, k -> new AtomicLong()).addAndGet(n);
    }

    public long count(String name) {
        AtomicLong c = counts.get(name);
        return c == null ? 0 : c.get();
    }

    @Override
    public void sent(String queue, int messages, long bytes) {
        add("sent", messages);
    }

    @Override
    public void received(String queue, String subscription, int messages) {
        add("received", messages);
    }

    @Override
    public void acked(String queue, String subscription, int messages) {
        add("acked", messages);
    }

    @Override
    public void failed(String operation, String queue, Throwable error) {
        add("failed:" + operation, 1);
    }

    @Override
    public void retried(String operation, String queue, int attempt, Throwable error) {
        add("retried:" + operation, 1);
    }

    @Override
    public void latency(String operation, String queue, Duration latency) {
        add("latency:" + operation, 1);
    }

    @Override
    public String toString() {
        return counts.toString();
    }
}
