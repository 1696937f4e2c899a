package dev.shoal.client.consumer.internal;

import dev.shoal.client.ClientClosedException;
import dev.shoal.client.ReceiveMessagesRequest;
import dev.shoal.client.RetryOptions;
import dev.shoal.client.ShoalClient;
import dev.shoal.client.internal.Calls;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.api.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The consumer's receive loop: reserve room, long-poll for at most that many messages, track
 * their leases, hand them to the dispatcher. A receive that fails (after the client's own
 * retries) is tried again after a backoff, whatever the failure, unless the client itself was
 * closed ({@link ClientClosedException}): a consumer must not stop for good on one odd answer. Once stopping, whatever a receive in progress
 * brings back is released at once rather than handled.
 */
public final class PollLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(PollLoop.class);
    private static final RetryOptions FAILURE_BACKOFF = new RetryOptions(Integer.MAX_VALUE, Duration.ofMillis(100), Duration.ofSeconds(5));
    static final Duration IDLE_PAUSE = Duration.ofMillis(100);

    private final ShoalClient client;
    private final ReceiveMessagesRequest template;
    private final Capacity capacity;
    private final LeaseTracker leases;
    private final Dispatcher dispatcher;
    private final Settlement settlement;
    private final Duration visibility;
    private final Clock clock;
    private final Sleeper sleeper;
    private volatile boolean running = true;

    public PollLoop(ShoalClient client, ReceiveMessagesRequest template, Capacity capacity, LeaseTracker leases,
                    Dispatcher dispatcher, Settlement settlement, Clock clock, Sleeper sleeper) {
        this.client = client;
        this.template = template;
        this.capacity = capacity;
        this.leases = leases;
        this.dispatcher = dispatcher;
        this.settlement = settlement;
        this.visibility = template.visibilityTimeout();
        this.clock = clock;
        this.sleeper = sleeper;
    }

    public void stop() {
        running = false;
        capacity.stop();
    }

    @Override
    public void run() {
        int failures = 0;
        while (running && !settlement.killed()) {
            int room;
            try {
                room = capacity.reserve(template.maxMessages());
            } catch (InterruptedException e) {
                return;
            }
            if (room == 0) {
                return; // stopped
            }
            List<ReceivedMessage> got;
            try {
                got = running ? client.receive(template.toBuilder().maxMessages(room).build()) : List.of();
                failures = 0;
            } catch (RuntimeException e) {
                capacity.release(room);
                if (!running || settlement.killed()) {
                    return;
                }
                if (e instanceof ClientClosedException) {
                    LOG.error("receive on {}/{} cannot go on: the client was closed before the consumer; the poll loop stops",
                            template.queue(), template.subscription());
                    return;
                }
                failures++;
                Duration wait = Calls.jitter(FAILURE_BACKOFF.ceiling(failures));
                LOG.warn("receive on {}/{} failed ({} in a row), trying again in {} ms: {}", template.queue(),
                        template.subscription(), failures, wait.toMillis(), e.toString());
                if (!pause(wait)) return;
                continue;
            }
            capacity.release(room - got.size());
            if (settlement.killed()) {
                return; // a dead consumer does nothing with what it got: those leases run out
            }
            long now = clock.millis();
            List<Lease> received = got.stream().map(m -> leases.add(m, now, visibility.toMillis())).toList();
            if (!running) {
                settlement.release(received);
                return;
            }
            received.forEach(dispatcher::submit);
            if (got.isEmpty() && template.waitTime().isZero() && !pause(IDLE_PAUSE)) {
                return;
            }
        }
    }

    private boolean pause(Duration d) {
        try {
            sleeper.sleep(d);
            return true;
        } catch (RuntimeException interrupted) {
            return false;
        }
    }
}
