package dev.shoal.client.consumer;

import dev.shoal.client.ShoalClient;
import dev.shoal.client.testing.CountingMetrics;
import dev.shoal.client.testing.TestStack;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.api.RetryPolicy;
import dev.shoal.storage.api.SubscriptionSettings;
import dev.shoal.storage.api.SubscriptionStats;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The consumer over a real engine, on both transports. Leases are short real timeouts (1-2 s)
 * where a test needs one to run out; waits are Awaitility conditions, never sleeps.
 */
@ExtendWith(EmbeddedAwsExtension.class)
class ShoalConsumerTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private static List<NewMessage> messages(int n) {
        return IntStream.range(0, n).mapToObj(i -> NewMessage.of("m" + i)).toList();
    }

    private static void produce(ShoalClient client, String queue, List<NewMessage> messages) {
        for (int from = 0; from < messages.size(); from += 100) {
            client.produce(queue, messages.subList(from, Math.min(messages.size(), from + 100)));
        }
    }

    private static boolean drained(ShoalClient client, String queue) {
        SubscriptionStats s = client.stats(queue, "default");
        return s.visible() == 0 && s.inFlight() == 0 && s.delayed() == 0;
    }

    @ParameterizedTest
    @EnumSource(TestStack.Kind.class)
    void handledMessagesAreAckedInBatches(TestStack.Kind kind, AwsFixture aws) {
        CountingMetrics metrics = new CountingMetrics();
        try (TestStack stack = TestStack.start(aws, kind); ShoalClient client = stack.builder().metrics(metrics).build()) {
            client.createQueue("orders");
            produce(client, "orders", messages(30));
            Set<String> handled = ConcurrentHashMap.newKeySet();

            try (ShoalConsumer consumer = ShoalConsumer.builder(client, "orders", m -> handled.add(m.bodyAsString()))
                    .maxConcurrency(10).waitTime(Duration.ofSeconds(1)).build().start()) {
                await().atMost(PATIENCE).until(() -> handled.size() == 30 && drained(client, "orders"));
            }

            assertEquals(30, metrics.count("acked"));
            assertTrue(metrics.count("latency:ack") < 30, "acks are batched: " + metrics);
            assertEquals(30, metrics.count("latency:consumer.handler"));
        }
    }

    @ParameterizedTest
    @EnumSource(TestStack.Kind.class)
    void aThrowingHandlerNacksAndTheMessageComesBack(TestStack.Kind kind, AwsFixture aws) {
        try (TestStack stack = TestStack.start(aws, kind); ShoalClient client = stack.client()) {
            client.createQueue("orders", QueueSettings.builder().defaultSubscription(SubscriptionSettings.builder()
                    .retryPolicy(new RetryPolicy(Duration.ZERO, 1.0, Duration.ZERO)).build()).build());
            client.produce("orders", List.of(NewMessage.of("flaky")));
            List<Integer> receiveCounts = new CopyOnWriteArrayList<>();

            try (ShoalConsumer consumer = ShoalConsumer.builder(client, "orders", m -> {
                receiveCounts.add(m.receiveCount());
                if (m.receiveCount() == 1) {
                    throw new IllegalStateException("first time fails");
                }
            }).waitTime(Duration.ofSeconds(1)).build().start()) {
                await().atMost(PATIENCE).until(() -> receiveCounts.contains(2) && drained(client, "orders"));
            }

            assertEquals(List.of(1, 2), receiveCounts);
        }
    }

    @ParameterizedTest
    @EnumSource(TestStack.Kind.class)
    void concurrencyIsBounded(TestStack.Kind kind, AwsFixture aws) {
        try (TestStack stack = TestStack.start(aws, kind); ShoalClient client = stack.client()) {
            client.createQueue("orders");
            produce(client, "orders", messages(12));
            AtomicInteger running = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            Set<String> handled = ConcurrentHashMap.newKeySet();

            try (ShoalConsumer consumer = ShoalConsumer.builder(client, "orders", m -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                Thread.sleep(100); // the handler's own work
                running.decrementAndGet();
                handled.add(m.bodyAsString());
            }).maxConcurrency(3).waitTime(Duration.ofSeconds(1)).build().start()) {
                await().atMost(PATIENCE).until(() -> handled.size() == 12);
            }

            assertTrue(most.get() <= 3, "at most 3 at once, was " + most.get());
        }
    }

    @ParameterizedTest
    @EnumSource(TestStack.Kind.class)
    void fifoGroupsAreHandledOneAtATimeInOrder(TestStack.Kind kind, AwsFixture aws) {
        try (TestStack stack = TestStack.start(aws, kind); ShoalClient client = stack.client()) {
            client.createQueue("orders.fifo");
            List<NewMessage> batch = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                for (String g : List.of("g1", "g2", "g3")) {
                    batch.add(NewMessage.builder().body(g + ":" + i).groupId(g).dedupId(g + "-" + i).build());
                }
            }
            client.produce("orders.fifo", batch);
            Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
            Map<String, AtomicInteger> runningPerGroup = new ConcurrentHashMap<>();
            AtomicInteger overlaps = new AtomicInteger();

            try (ShoalConsumer consumer = ShoalConsumer.builder(client, "orders.fifo", m -> {
                String[] parts = m.bodyAsString().split(":");
                if (runningPerGroup.computeIfAbsent(parts[0], g -> new AtomicInteger()).incrementAndGet() > 1) {
                    overlaps.incrementAndGet();
                }
                Thread.sleep(20);
                seen.computeIfAbsent(parts[0], g -> Collections.synchronizedList(new ArrayList<>())).add(Integer.parseInt(parts[1]));
                runningPerGroup.get(parts[0]).decrementAndGet();
            }).maxConcurrency(15).maxMessagesPerReceive(15).waitTime(Duration.ofSeconds(1)).build().start()) {
                await().atMost(PATIENCE).until(() -> seen.values().stream().mapToInt(List::size).sum() == 15);
            }

            assertEquals(0, overlaps.get());
            for (String g : List.of("g1", "g2", "g3")) {
                assertEquals(List.of(0, 1, 2, 3, 4), seen.get(g), g);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestStack.Kind.class)
    void aHandlerLongerThanTheVisibilityTimeoutIsNotRedeliveredWhileItRuns(TestStack.Kind kind, AwsFixture aws) {
        try (TestStack stack = TestStack.start(aws, kind); ShoalClient client = stack.client()) {
            client.createQueue("orders", QueueSettings.builder().defaultSubscription(SubscriptionSettings.builder()
                    .visibilityTimeout(Duration.ofSeconds(2)).build()).build());
            client.produce("orders", List.of(NewMessage.of("slow")));
            List<ReceivedMessage> slow = new CopyOnWriteArrayList<>();
            List<ReceivedMessage> rival = new CopyOnWriteArrayList<>();
            CountDownLatch finished = new CountDownLatch(1);

            try (ShoalConsumer consumer = ShoalConsumer.builder(client, "orders", m -> {
                     slow.add(m);
                     Thread.sleep(5_000); // the handler's own work: 2.5 visibility timeouts
                     finished.countDown();
                 }).waitTime(Duration.ofSeconds(1)).build().start();
                 ShoalConsumer other = ShoalConsumer.builder(client, "orders", rival::add).waitTime(Duration.ofSeconds(1))
                         .build()) {
                await().atMost(PATIENCE).until(() -> slow.size() == 1);
                other.start();
                await().atMost(PATIENCE).until(() -> finished.getCount() == 0 && drained(client, "orders"));
            }

            assertEquals(1, slow.size());
            assertEquals(1, slow.getFirst().receiveCount());
            assertEquals(List.of(), rival);
        }
    }

    @ParameterizedTest
    @EnumSource(TestStack.Kind.class)
    void closeFinishesRunningHandlersAndReleasesUnstartedMessages(TestStack.Kind kind, AwsFixture aws) throws Exception {
        try (TestStack stack = TestStack.start(aws, kind); ShoalClient client = stack.client()) {
            client.createQueue("orders.fifo", QueueSettings.builder().fifo(true).defaultSubscription(SubscriptionSettings.builder()
                    .visibilityTimeout(Duration.ofMinutes(5)).build()).build());
            client.produce("orders.fifo", IntStream.range(0, 5)
                    .mapToObj(i -> NewMessage.builder().body("m" + i).groupId("g").dedupId("d" + i).build()).toList());
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch proceed = new CountDownLatch(1);
            List<String> handled = new CopyOnWriteArrayList<>();
            ShoalConsumer consumer = ShoalConsumer.builder(client, "orders.fifo", m -> {
                running.countDown();
                proceed.await();
                handled.add(m.bodyAsString());
            }).maxMessagesPerReceive(10).waitTime(Duration.ofSeconds(1)).build().start();
            running.await();
            await().atMost(PATIENCE).until(() -> consumer.inFlight() == 5); // one running, four waiting behind it

            Thread closing = Thread.ofVirtual().start(consumer::close);
            await().atMost(PATIENCE).until(() -> closing.getState() == Thread.State.WAITING
                    || closing.getState() == Thread.State.TIMED_WAITING); // close has begun
            proceed.countDown();
            closing.join(PATIENCE);

            assertEquals(List.of("m0"), handled);
            // visible again at once (their lease was 5 minutes), after m0, which was acked
            List<ReceivedMessage> again = client.receive(dev.shoal.client.ReceiveMessagesRequest.builder().queue("orders.fifo")
                    .maxMessages(10).build());
            assertEquals(List.of("m1", "m2", "m3", "m4"), again.stream().map(ReceivedMessage::bodyAsString).toList());
        }
    }

    @ParameterizedTest
    @EnumSource(TestStack.Kind.class)
    void aConsumerKilledMidBatchLosesNothing(TestStack.Kind kind, AwsFixture aws) {
        try (TestStack stack = TestStack.start(aws, kind); ShoalClient client = stack.client()) {
            client.createQueue("orders", QueueSettings.builder().defaultSubscription(SubscriptionSettings.builder()
                    .visibilityTimeout(Duration.ofSeconds(1)).build()).build());
            produce(client, "orders", messages(20));
            Set<String> firstHandled = ConcurrentHashMap.newKeySet();
            AtomicInteger calls = new AtomicInteger();
            CountDownLatch stuck = new CountDownLatch(3);
            ShoalConsumer first = ShoalConsumer.builder(client, "orders", m -> {
                if (calls.incrementAndGet() > 4) {
                    stuck.countDown();
                    new CountDownLatch(1).await(); // never returns: the process dies mid-batch
                }
                firstHandled.add(m.bodyAsString());
            }).maxConcurrency(5).maxMessagesPerReceive(5).waitTime(Duration.ofSeconds(1)).build().start();
            await().atMost(PATIENCE).until(() -> stuck.getCount() == 0);

            first.kill();
            Set<String> secondHandled = ConcurrentHashMap.newKeySet();
            try (ShoalConsumer second = ShoalConsumer.builder(client, "orders", m -> secondHandled.add(m.bodyAsString()))
                    .maxConcurrency(20).maxMessagesPerReceive(20).waitTime(Duration.ofSeconds(1)).build().start()) {
                await().atMost(PATIENCE).until(() -> drained(client, "orders"));
            }

            Set<String> all = IntStream.range(0, 20).mapToObj(i -> "m" + i).collect(Collectors.toSet());
            Set<String> handled = new java.util.HashSet<>(firstHandled);
            handled.addAll(secondHandled);
            assertEquals(all, handled);
            assertTrue(secondHandled.size() >= 3, "the stuck messages came back: " + secondHandled.size());
        }
    }
}
