package dev.shoal.storage.subscription;

import dev.shoal.storage.*;
import dev.shoal.storage.api.*;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import dev.shoal.storage.testing.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.*;

/**
 * 4 producers and 8 consumers on 2 partitions, in real time, with random acks, nacks and
 * abandoned leases. Checks that every produced message ends acked or dead-lettered, and that a
 * message is delivered again only after its lease ended or it was nacked. Bounded: it stops by
 * itself after the deadline whether or not it converged (and then fails).
 */
@ExtendWith(EmbeddedAwsExtension.class)
class StandardQueueConcurrencyTest {

    private static final String SUB = Limits.DEFAULT_SUBSCRIPTION;
    private static final Duration VISIBILITY = Duration.ofMillis(1500);
    private static final int PRODUCERS = 4, BATCHES = 20, BATCH = 10, CONSUMERS = 8;
    private static final Duration DEADLINE = Duration.ofSeconds(300);

    /** When a delivery's message may be delivered again at the earliest (engine time is at least this). */
    private record Delivery(long receivedBeforeMillis, long earliestNextMillis) {
    }

    @Test
    void everyMessageEndsAckedOrDeadLetteredAndIsRedeliveredOnlyAfterItsLeaseOrANack(AwsFixture aws) throws Exception {
        ShoalEngine admin = engine(aws);
        admin.createQueue("work-dlq", QueueSettings.builder().build());
        admin.createQueue("work", QueueSettings.builder().partitions(2).defaultSubscription(SubscriptionSettings.builder()
                .visibilityTimeout(VISIBILITY)
                .retryPolicy(new RetryPolicy(Duration.ofMillis(100), 2.0, Duration.ofMillis(400)))
                .deadLetter(new DeadLetterPolicy("work-dlq", 6)).build()).build());

        Set<MessageId> produced = ConcurrentHashMap.newKeySet();
        Set<MessageId> acked = ConcurrentHashMap.newKeySet();
        Map<MessageId, Delivery> lastDelivery = new ConcurrentHashMap<>();
        List<String> violations = new CopyOnWriteArrayList<>();
        AtomicBoolean producing = new AtomicBoolean(true);
        long deadline = System.currentTimeMillis() + DEADLINE.toMillis();

        try (ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS + CONSUMERS)) {
            List<Future<?>> producers = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                int producer = p;
                producers.add(pool.submit(() -> {
                    ShoalEngine shoal = engine(aws);
                    for (int b = 0; b < BATCHES; b++) {
                        List<NewMessage> batch = new ArrayList<>();
                        for (int i = 0; i < BATCH; i++) batch.add(NewMessage.of("p" + producer + "-b" + b + "-" + i));
                        shoal.produce("work", batch).forEach(m -> produced.add(m.id()));
                    }
                    return null;
                }));
            }
            List<Future<?>> consumers = new ArrayList<>();
            for (int c = 0; c < CONSUMERS; c++) {
                long seed = c;
                consumers.add(pool.submit(() -> {
                    consume(engine(aws), new Random(seed), produced, acked, lastDelivery, violations, producing, deadline, aws);
                    return null;
                }));
            }
            for (Future<?> f : producers) f.get();
            producing.set(false);
            for (Future<?> f : consumers) f.get();
        }

        Set<MessageId> deadLettered = deadLetteredSources(admin);
        assertEquals(PRODUCERS * BATCHES * BATCH, produced.size());
        assertEquals(List.of(), violations, "no early redelivery");
        Set<MessageId> accounted = new HashSet<>(acked);
        accounted.addAll(deadLettered);
        Set<MessageId> lost = new HashSet<>(produced);
        lost.removeAll(accounted);
        assertEquals(Set.of(), lost, "every message is acked or in the dead-letter queue");
        Set<MessageId> both = new HashSet<>(acked);
        both.retainAll(deadLettered);
        assertEquals(Set.of(), both, "no message is both acked and dead-lettered");
    }

    private static void consume(ShoalEngine shoal, Random random, Set<MessageId> produced, Set<MessageId> acked,
                                Map<MessageId, Delivery> lastDelivery, List<String> violations, AtomicBoolean producing,
                                long deadline, AwsFixture aws) {
        while (System.currentTimeMillis() < deadline) {
            long before = System.currentTimeMillis();
            List<ReceivedMessage> got = shoal.receive("work", SUB, ReceiveRequest.builder().maxMessages(10).waitTime(Duration.ofMillis(300)).build());
            if (got.isEmpty() && !producing.get() && allSettled(produced, acked, aws)) {
                return;
            }
            List<String> toAck = new ArrayList<>();
            List<NackEntry> toNack = new ArrayList<>();
            for (ReceivedMessage m : got) {
                Delivery previous = lastDelivery.get(m.id());
                long after = System.currentTimeMillis();
                if (previous != null && after < previous.earliestNextMillis()) {
                    violations.add(m.id() + " redelivered at " + after + " before " + previous.earliestNextMillis());
                }
                if (acked.contains(m.id())) {
                    violations.add(m.id() + " delivered after it was acked");
                }
                int roll = random.nextInt(100);
                if (roll < 70) {
                    toAck.add(m.receipt());
                    lastDelivery.put(m.id(), new Delivery(before, Long.MAX_VALUE));
                } else if (roll < 85) {
                    Duration delay = Duration.ofMillis(random.nextInt(300));
                    toNack.add(new NackEntry(m.receipt(), delay));
                    lastDelivery.put(m.id(), new Delivery(before, System.currentTimeMillis() + delay.toMillis()));
                } else {
                    lastDelivery.put(m.id(), new Delivery(before, before + VISIBILITY.toMillis())); // abandoned
                }
            }
            Map<String, MessageId> byReceipt = new java.util.HashMap<>();
            got.forEach(m -> byReceipt.put(m.receipt(), m.id()));
            if (!toAck.isEmpty()) {
                for (ReceiptResult r : shoal.ack("work", SUB, toAck)) {
                    MessageId id = byReceipt.get(r.receipt());
                    if (r.succeeded()) {
                        acked.add(id);
                    } else {
                        lastDelivery.put(id, new Delivery(0, 0)); // the lease ran out and it was delivered again: the new holder decides
                    }
                }
            }
            if (!toNack.isEmpty()) {
                for (ReceiptResult r : shoal.nack("work", SUB, toNack)) {
                    if (!r.succeeded()) {
                        lastDelivery.put(byReceipt.get(r.receipt()), new Delivery(0, 0));
                    }
                }
            }
        }
    }

    private static boolean allSettled(Set<MessageId> produced, Set<MessageId> acked, AwsFixture aws) {
        if (acked.size() >= produced.size()) return true;
        ShoalEngine probe = engine(aws);
        SubscriptionStats stats = probe.describeQueue("work").stats();
        return stats.visible() + stats.inFlight() + stats.delayed() == 0;
    }

    private static Set<MessageId> deadLetteredSources(ShoalEngine admin) {
        Set<MessageId> sources = new HashSet<>();
        List<ReceivedMessage> batch;
        do {
            batch = admin.receive("work-dlq", SUB, ReceiveRequest.builder().maxMessages(1000).visibilityTimeout(Duration.ofHours(1)).build());
            for (ReceivedMessage m : batch) {
                MessageId source = new MessageId(Integer.parseInt(m.attributes().get(DeadLetterMover.SOURCE_PARTITION).stringValue()),
                        Long.parseLong(m.attributes().get(DeadLetterMover.SOURCE_OFFSET).stringValue()));
                assertTrue(sources.add(source), "dead-lettered twice: " + source);
            }
        } while (!batch.isEmpty());
        return sources;
    }

    private static ShoalEngine engine(AwsFixture aws) {
        return ShoalEngine.builder().dynamo(aws.dynamo()).s3(aws.s3()).tables(aws.tables()).bucket(aws.bucket())
                .clock(Clock.systemUTC()).receiptSecret(TestEngines.SECRET).build();
    }
}
