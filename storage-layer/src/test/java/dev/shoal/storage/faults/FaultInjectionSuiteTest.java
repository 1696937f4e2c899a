package dev.shoal.storage.faults;

import dev.shoal.storage.ErrorBoundary;
import dev.shoal.storage.ShoalEngine;
import dev.shoal.storage.api.CommitStateUnknownException;
import dev.shoal.storage.api.DeadLetterPolicy;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.NackEntry;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.QueueService;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.ReceiptResult;
import dev.shoal.storage.api.ReceiveRequest;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.api.RetryPolicy;
import dev.shoal.storage.api.SeekTarget;
import dev.shoal.storage.api.SubscriptionSettings;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import dev.shoal.storage.testing.FaultInjector.Fault;
import dev.shoal.storage.testing.FaultInjector;
import dev.shoal.storage.testing.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine over the real emulators with DynamoDB and S3 failing below it: throttles, 500s,
 * timeouts, lost answers (after the store did the work) and latency, on every operation, while
 * producers, consumers, nacks, dead-letter moves, seeks and retention run at once. The
 * {@link Invariants} are checked from the clients' side. Bounded: each scenario stops at its
 * deadline, then turns the faults off and drains.
 */
@ExtendWith(EmbeddedAwsExtension.class)
class FaultInjectionSuiteTest {

    private static final Logger LOG = LoggerFactory.getLogger(FaultInjectionSuiteTest.class);
    private static final String SUB = Limits.DEFAULT_SUBSCRIPTION;
    private static final Duration VISIBILITY = Duration.ofSeconds(4);
    private static final Duration RUN = Duration.ofSeconds(30);
    private static final Duration DRAIN = Duration.ofSeconds(60);
    private static final double P = 0.02;

    private static FaultInjector faults(long seed) {
        FaultInjector f = new FaultInjector(seed, Duration.ofMillis(30));
        Set<String> any = Set.of("*");
        f.randomly(any, Fault.THROTTLE, P).randomly(any, Fault.SERVER_ERROR, P).randomly(any, Fault.NO_ANSWER, P / 2)
                .randomly(any, Fault.SERVER_ERROR_AFTER_APPLYING, P / 2).randomly(any, Fault.LOST_RESPONSE, P / 2)
                .randomly(any, Fault.LATENCY, P * 2)
                .randomly(Set.of("TransactWriteItems"), Fault.THROTTLED_TRANSACTION, P);
        return f;
    }

    /** The SDK retries once, so that many faults reach Shoal's own handling instead of being absorbed. */
    private static Consumer<ClientOverrideConfiguration.Builder> with(FaultInjector f) {
        return c -> c.addExecutionInterceptor(f).retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(2).build());
    }

    private static QueueService faulty(AwsFixture aws, FaultInjector f) {
        ShoalEngine engine = ShoalEngine.builder().dynamo(aws.stack().dynamoClient(with(f))).s3(aws.stack().s3Client(with(f)))
                .tables(aws.tables()).bucket(aws.bucket()).clock(Clock.systemUTC()).receiptSecret(TestEngines.SECRET).build();
        return ErrorBoundary.around(engine);
    }

    private static ShoalEngine healthy(AwsFixture aws) {
        return ShoalEngine.builder().dynamo(aws.dynamo()).s3(aws.s3()).tables(aws.tables()).bucket(aws.bucket())
                .clock(Clock.systemUTC()).receiptSecret(TestEngines.SECRET).build();
    }

    @Test
    void aStandardQueueUnderStoreFaultsLosesNoAckedMessageLeasesNoneTwiceAndCommitsNoneTwice(AwsFixture aws) throws Exception {
        ShoalEngine setup = healthy(aws);
        setup.createQueue("faulty-dlq", QueueSettings.builder().build());
        setup.createQueue("faulty", QueueSettings.builder().partitions(2).defaultSubscription(SubscriptionSettings.builder()
                .visibilityTimeout(VISIBILITY).retryPolicy(new RetryPolicy(Duration.ofMillis(10), 2.0, Duration.ofMillis(100)))
                .deadLetter(new DeadLetterPolicy("faulty-dlq", 3)).build()).build());
        setup.createSubscription("faulty", "seeker", SubscriptionSettings.DEFAULT);
        setup.createSubscription("faulty", "audit", SubscriptionSettings.DEFAULT);
        FaultInjector f = faults(42);
        QueueService shoal = faulty(aws, f);
        Invariants inv = new Invariants(VISIBILITY.toMillis());
        AtomicBoolean producing = new AtomicBoolean(true);
        AtomicBoolean stop = new AtomicBoolean();
        long deadline = System.currentTimeMillis() + RUN.toMillis();

        try (ExecutorService pool = Executors.newFixedThreadPool(7)) {
            List<Future<?>> producers = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                int producer = p;
                producers.add(pool.submit(() -> produceStandard(shoal, inv, producer, deadline)));
            }
            List<Future<?>> others = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                String consumer = "c" + c;
                others.add(pool.submit(() -> consume(shoal, "faulty", consumer, inv, stop)));
            }
            others.add(pool.submit(() -> chaos(shoal, setup, stop)));
            for (Future<?> p : producers) p.get();
            producing.set(false);
            Set<String> expected = expectedAcked(inv);
            // faults stay on for a while after producing stops, then the queue is drained without them
            awaitQuietly(() -> {
                if (System.currentTimeMillis() > deadline + 10_000) f.disable();
                return inv.acked().containsAll(expected) || System.currentTimeMillis() > deadline + 20_000 && quiet(setup, "faulty");
            });
            stop.set(true);
            for (Future<?> o : others) o.get();
        }

        f.disable();
        Set<String> poison = new HashSet<>(inv.produced());
        poison.removeIf(b -> !b.startsWith("poison"));
        Set<String> dead = drainBodies(setup, "faulty-dlq", SUB);
        // a message whose acks kept failing was received maxReceiveCount times: dead-lettered, not lost
        Set<String> expected = expectedAcked(inv);
        expected.removeAll(dead);
        List<String> violations = new ArrayList<>(inv.finish(expected));
        for (String b : poison) if (!dead.contains(b)) violations.add("poison message never dead-lettered: " + b);
        if (!quiet(setup, "faulty")) violations.add("messages left in the queue after the drain: " + setup.describeQueue("faulty").stats());
        Set<String> inLog = drainBodies(setup, "faulty", "audit");
        for (String b : inv.produced()) if (!inLog.contains(b)) violations.add("acknowledged produce missing from the log: " + b);
        LOG.info("standard fault run: produced {}, acked {}, dead-lettered {}, faults injected {}, client-visible errors {}",
                inv.produced().size(), inv.acked().size(), dead.size(), f.injectedTotal(), inv.errorsByKind());
        assertTrue(f.injectedTotal() > 50, "the run injected faults: " + f.injectedTotal());
        assertTrue(inv.produced().size() > 100, "the run made progress: " + inv.produced().size());
        assertEquals(List.of(), violations.subList(0, Math.min(20, violations.size())),
                "faults " + f.injectedTotal() + ", errors seen " + inv.errorsByKind() + ", dead-lettered " + dead.size());
    }

    @Test
    void aFifoQueueUnderStoreFaultsKeepsEveryGroupInOrderAndLosesNothing(AwsFixture aws) throws Exception {
        ShoalEngine setup = healthy(aws);
        setup.createQueue("faulty.fifo", QueueSettings.builder().fifo(true).partitions(2).contentBasedDeduplication(true)
                .defaultSubscription(SubscriptionSettings.builder().visibilityTimeout(VISIBILITY).build()).build());
        FaultInjector f = faults(7);
        QueueService shoal = faulty(aws, f);
        Invariants inv = new Invariants(VISIBILITY.toMillis());
        AtomicBoolean stop = new AtomicBoolean();
        long deadline = System.currentTimeMillis() + RUN.toMillis();

        try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
            List<Future<?>> producers = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                int producer = p;
                producers.add(pool.submit(() -> produceFifo(shoal, inv, producer, deadline)));
            }
            List<Future<?>> consumers = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                String consumer = "c" + c;
                consumers.add(pool.submit(() -> consume(shoal, "faulty.fifo", consumer, inv, stop)));
            }
            for (Future<?> p : producers) p.get();
            awaitQuietly(() -> {
                if (System.currentTimeMillis() > deadline + 10_000) f.disable();
                return inv.acked().containsAll(inv.produced()) || System.currentTimeMillis() > deadline + 20_000 && quiet(setup, "faulty.fifo");
            });
            stop.set(true);
            for (Future<?> c : consumers) c.get();
        }

        LOG.info("fifo fault run: produced {}, acked {}, faults injected {}, client-visible errors {}",
                inv.produced().size(), inv.acked().size(), f.injectedTotal(), inv.errorsByKind());
        List<String> violations = new ArrayList<>(inv.finish(inv.produced()));
        if (!quiet(setup, "faulty.fifo")) violations.add("messages left in the queue after the drain: " + setup.describeQueue("faulty.fifo").stats());
        assertTrue(f.injectedTotal() > 50, "the run injected faults: " + f.injectedTotal());
        assertTrue(inv.produced().size() > 50, "the run made progress: " + inv.produced().size());
        assertEquals(List.of(), violations.subList(0, Math.min(3, violations.size())),
                "faults " + f.injectedTotal() + ", errors seen " + inv.errorsByKind());
    }

    /** Batches of five, each retried until it is answered; every tenth message is poison (always nacked). */
    private static void produceStandard(QueueService shoal, Invariants inv, int producer, long deadline) {
        for (int batch = 0; System.currentTimeMillis() < deadline && batch < 60; batch++) {
            int b = batch;
            List<String> bodies = IntStream.range(0, 5).mapToObj(i -> (((b * 5 + i) % 10 == 9) ? "poison" : "m")
                    + "-p" + producer + "-b" + b + "-" + i).toList();
            produceUntilAnswered(shoal, "faulty", inv, bodies.stream().map(x -> NewMessage.builder().body(x).build()).toList(), bodies);
        }
    }

    /** Each producer owns groups; a group's messages are produced one after the other, in order. */
    private static void produceFifo(QueueService shoal, Invariants inv, int producer, long deadline) {
        for (int seq = 0; System.currentTimeMillis() < deadline && seq < 15; seq++) {
            for (int g = 0; g < 6; g++) {
                String group = "p" + producer + "g" + g;
                String body = group + "-" + seq;
                produceUntilAnswered(shoal, "faulty.fifo", inv, List.of(NewMessage.builder().groupId(group).body(body).build()), List.of(body));
            }
        }
    }

    private static void produceUntilAnswered(QueueService shoal, String queue, Invariants inv, List<NewMessage> messages, List<String> bodies) {
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                shoal.produce(queue, messages);
                inv.produced(bodies);
                return;
            } catch (RuntimeException e) {
                inv.error(e);
                inv.produceFailed(bodies, e);
                if (e instanceof CommitStateUnknownException) inv.produceOutcomeUnknown(bodies);
                pause(20);
            }
        }
        inv.produceOutcomeUnknown(bodies); // gave up: it may or may not be in the log
    }

    private static void consume(QueueService shoal, String queue, String consumer, Invariants inv, AtomicBoolean stop) {
        boolean fifo = queue.endsWith(".fifo");
        while (!stop.get()) {
            long start = System.currentTimeMillis();
            List<ReceivedMessage> got;
            try {
                got = shoal.receive(queue, SUB, new ReceiveRequest(10, VISIBILITY, Duration.ofMillis(200), null));
            } catch (RuntimeException e) {
                inv.error(e);
                pause(20);
                continue;
            }
            List<Invariants.Delivery> leases = inv.received(consumer, got, start, System.currentTimeMillis());
            List<String> acks = new ArrayList<>();
            List<NackEntry> nacks = new ArrayList<>();
            List<ReceivedMessage> acking = new ArrayList<>();
            for (int i = 0; i < got.size(); i++) {
                ReceivedMessage m = got.get(i);
                boolean ack = !m.bodyAsString().startsWith("poison") && (fifo || ThreadLocalRandom.current().nextInt(10) > 0);
                inv.releasing(m, leases.get(i), System.currentTimeMillis(), ack);
                if (ack) {
                    acks.add(m.receipt());
                    acking.add(m);
                } else {
                    nacks.add(new NackEntry(m.receipt(), Duration.ZERO));
                }
            }
            settle(() -> acks.isEmpty() ? List.of() : shoal.ack(queue, SUB, acks), acking, inv);
            settle(() -> nacks.isEmpty() ? List.of() : shoal.nack(queue, SUB, nacks), List.of(), inv);
        }
    }

    private static void settle(java.util.function.Supplier<List<ReceiptResult>> call, List<ReceivedMessage> acking, Invariants inv) {
        List<ReceiptResult> results;
        try {
            results = call.get();
        } catch (RuntimeException e) {
            inv.error(e); // the messages come back when their leases end, unless the call landed
            inv.ackOutcomeUnknown(acking);
            return;
        }
        long end = System.currentTimeMillis();
        for (int i = 0; i < results.size(); i++) {
            ReceiptResult r = results.get(i);
            if (!r.succeeded()) {
                inv.error(r.error());
            } else if (i < acking.size()) {
                inv.ackSucceeded(acking.get(i), end);
            }
        }
    }

    /** Seeks of a second subscription and retention passes, under the same faults: errors must be Shoal's kinds. */
    private static void chaos(QueueService shoal, ShoalEngine janitor, AtomicBoolean stop) {
        while (!stop.get()) {
            try {
                shoal.seek("faulty", "seeker", ThreadLocalRandom.current().nextBoolean() ? SeekTarget.earliest() : SeekTarget.latest());
            } catch (RuntimeException e) {
                if (!(e instanceof dev.shoal.storage.api.ShoalException)) throw e;
            }
            try {
                janitor.maintenance(java.time.Instant.now());
            } catch (RuntimeException e) {
                LOG.debug("maintenance pass failed: {}", e.toString());
            }
            pause(300);
        }
    }

    /** Waits for the drain, at most {@link #DRAIN}; the checks afterwards say what did not settle. */
    private static void awaitQuietly(java.util.concurrent.Callable<Boolean> settled) {
        try {
            await().atMost(DRAIN).pollInterval(Duration.ofMillis(100)).until(settled);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            LOG.warn("the drain did not settle within {}", DRAIN);
        }
    }

    /** Nothing left to deliver in the source queue. */
    private static boolean quiet(ShoalEngine shoal, String queue) {
        var stats = shoal.describeQueue(queue).stats();
        return stats.visible() + stats.inFlight() + stats.delayed() == 0;
    }

    private static Set<String> expectedAcked(Invariants inv) {
        Set<String> expected = inv.produced();
        expected.removeIf(b -> b.startsWith("poison"));
        return expected;
    }

    private static Set<String> drainBodies(ShoalEngine shoal, String queue, String subscription) {
        Set<String> bodies = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            List<ReceivedMessage> got = shoal.receive(queue, subscription, new ReceiveRequest(Limits.MAX_RECEIVE_MESSAGES,
                    Duration.ofMinutes(10), Duration.ZERO, null));
            if (got.isEmpty()) break;
            got.forEach(m -> bodies.add(m.bodyAsString()));
        }
        return bodies;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
