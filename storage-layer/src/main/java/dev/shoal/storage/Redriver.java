package dev.shoal.storage;

import dev.shoal.storage.api.InvalidRequestException;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.MessageAttribute;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.QueueService;
import dev.shoal.storage.api.ReceiveRequest;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.api.RedriveRequest;
import dev.shoal.storage.api.RedriveResult;
import dev.shoal.storage.api.Sleeper;
import dev.shoal.storage.catalog.QueueRef;
import dev.shoal.storage.subscription.DeadLetterMover;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Moves dead letters back, by consuming the dead-letter queue's default subscription: each
 * batch is produced to its target and only then acked, so a redrive interrupted anywhere loses
 * nothing and resumes where it stopped (a message produced but not acked may be moved twice).
 * Rate-limited by pausing between batches. One call stops after {@link #CALL_BUDGET} and says
 * that messages remain; calling again goes on where it stopped.
 */
final class Redriver {

    private static final int BATCH = 100;
    private static final Duration LEASE = Duration.ofMinutes(2);
    /** One call works this long at most: well inside API Gateway's 30 s and a Lambda's timeout. */
    static final Duration CALL_BUDGET = Duration.ofSeconds(20);

    private final QueueService service;
    private final Clock clock;
    private final Sleeper sleeper;

    Redriver(QueueService service, Clock clock, Sleeper sleeper) {
        this.service = service;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    RedriveResult redrive(QueueRef dlq, RedriveRequest request) {
        long moved = 0;
        long deadline = clock.millis() + CALL_BUDGET.toMillis();
        while (moved < request.maxMessages()) {
            if (clock.millis() >= deadline) {
                return new RedriveResult(moved, true); // out of time for this call: the caller calls again
            }
            int want = (int) Math.min(BATCH, Math.min(request.maxMessages() - moved, request.maxPerSecond()));
            long started = clock.millis();
            List<ReceivedMessage> batch = service.receive(dlq.name(), Limits.DEFAULT_SUBSCRIPTION,
                    new ReceiveRequest(want, LEASE, Duration.ZERO, null));
            if (batch.isEmpty()) {
                return new RedriveResult(moved, false);
            }
            Map<String, List<ReceivedMessage>> byTarget = new LinkedHashMap<>();
            for (ReceivedMessage m : batch) {
                String target = request.targetQueue() != null ? request.targetQueue() : source(m);
                byTarget.computeIfAbsent(target, k -> new ArrayList<>()).add(m);
            }
            for (var e : byTarget.entrySet()) {
                service.produce(e.getKey(), e.getValue().stream().map(Redriver::restored).toList());
                service.ack(dlq.name(), Limits.DEFAULT_SUBSCRIPTION, e.getValue().stream().map(ReceivedMessage::receipt).toList());
                moved += e.getValue().size();
            }
            long spentMillis = clock.millis() - started;
            long budgetMillis = batch.size() * 1000L / request.maxPerSecond();
            if (budgetMillis > spentMillis) {
                sleeper.sleep(Duration.ofMillis(Math.min(budgetMillis - spentMillis, Math.max(0, deadline - clock.millis()))));
            }
        }
        return new RedriveResult(moved, true);
    }

    private static String source(ReceivedMessage m) {
        MessageAttribute source = m.attributes().get(DeadLetterMover.SOURCE_QUEUE);
        if (source == null) {
            throw new InvalidRequestException("targetQueue", "message " + m.id() + " has no source queue; name a targetQueue");
        }
        return source.stringValue();
    }

    /** The message as it was before it was dead-lettered: provenance attributes removed. */
    private static NewMessage restored(ReceivedMessage m) {
        Map<String, MessageAttribute> attributes = new LinkedHashMap<>(m.attributes());
        attributes.keySet().removeIf(k -> k.startsWith(Limits.RESERVED_ATTRIBUTE_PREFIX));
        String dedup = m.dedupId() == null ? null : m.dedupId() + "-redrive-" + m.id();
        return new NewMessage(m.body(), attributes, m.groupId(), m.groupId() == null ? null : dedup, null);
    }
}
