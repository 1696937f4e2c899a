package dev.shoal.client.consumer.internal;

import dev.shoal.client.ShoalMetrics;
import dev.shoal.client.consumer.MessageHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Runs the handler for each held message, on the executor (virtual threads). On a FIFO queue the
 * messages of one group run one at a time, in the order received: the next starts only when the
 * previous one's handler returned.
 *
 * <p>On FIFO queues a message is delivered only after every earlier unacked message of its
 * group (ADR 0010, 0013), and a nack also makes the group's later messages that the same receive
 * took visible again after it. So the messages waiting behind a running one are never released
 * on their own: if its handler throws, its nack brings them back too and they are simply
 * forgotten here (they come back after it, in order); when the consumer closes, they are
 * released only after the running one's ack has been sent.
 */
public final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final MessageHandler handler;
    private final boolean orderedGroups;
    private final Executor executor;
    private final Settlement settlement;
    private final Clock clock;
    private final ShoalMetrics metrics;
    private final String queue;
    /** Per group being handled, the messages waiting behind the running one. */
    private final Map<String, ArrayDeque<Lease>> groups = new HashMap<>();
    private volatile boolean closing;

    public Dispatcher(MessageHandler handler, boolean orderedGroups, Executor executor, Settlement settlement, Clock clock,
                      ShoalMetrics metrics, String queue) {
        this.handler = handler;
        this.orderedGroups = orderedGroups;
        this.executor = executor;
        this.settlement = settlement;
        this.clock = clock;
        this.metrics = metrics;
        this.queue = queue;
    }

    private String group(Lease lease) {
        return orderedGroups ? lease.group() : null;
    }

    /** From now on a group's waiting messages are released when its running one finishes, not handled. */
    public void close() {
        closing = true;
    }

    public void submit(Lease lease) {
        String g = group(lease);
        if (g != null) {
            synchronized (groups) {
                ArrayDeque<Lease> waiting = groups.get(g);
                if (waiting != null) {
                    waiting.addLast(lease);
                    return;
                }
                groups.put(g, new ArrayDeque<>());
            }
        }
        executor.execute(() -> run(lease));
    }

    private void run(Lease lease) {
        boolean ok = !lease.start() || handle(lease); // a lease released by shutdown meanwhile is skipped
        String g = group(lease);
        if (g == null) {
            return;
        }
        List<Lease> behind = List.of();
        Lease next;
        synchronized (groups) {
            ArrayDeque<Lease> waiting = groups.get(g);
            if (!ok || closing) {
                behind = new ArrayList<>(waiting);
                waiting.clear();
            }
            next = waiting.pollFirst();
            if (next == null) {
                groups.remove(g);
            }
        }
        if (!behind.isEmpty()) {
            if (!ok) {
                settlement.forget(behind); // the nack brings the group's later messages back, these included
            } else {
                settlement.flush(); // the ack first: a released message goes out only after its group's earlier ones are done
                settlement.release(behind);
            }
        }
        if (next != null) {
            Lease n = next;
            executor.execute(() -> run(n));
        }
    }

    /** Runs the handler and settles the message; true when the handler returned normally. */
    private boolean handle(Lease lease) {
        long started = clock.millis();
        boolean ok;
        try {
            handler.handle(lease.message());
            ok = true;
        } catch (Throwable t) {
            ok = false;
            if (!settlement.killed()) {
                LOG.warn("handler failed on message {} of {} (receive {}); nacked: {}", lease.message().id(), queue,
                        lease.message().receiveCount(), t.toString());
                metrics.failed("consumer.handler", queue, t);
            }
        }
        lease.finish();
        metrics.latency("consumer.handler", queue, Duration.ofMillis(Math.max(0, clock.millis() - started)));
        if (settlement.killed()) {
            return ok; // a dead consumer settles nothing
        }
        if (ok) {
            settlement.ack(lease);
        } else {
            settlement.nack(lease);
        }
        return ok;
    }
}
