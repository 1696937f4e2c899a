package dev.shoal.client.producer;

import dev.shoal.client.ShoalClient;
import dev.shoal.client.testing.CountingMetrics;
import dev.shoal.client.testing.Faults;
import dev.shoal.client.testing.TestStack;
import dev.shoal.storage.api.CommitStateUnknownException;
import dev.shoal.storage.api.InvalidRequestException;
import dev.shoal.storage.api.MessageId;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.NotFoundException;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.RetryableException;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import dev.shoal.storage.testing.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The producer over a real engine: batching on a manual clock, back-pressure, close, retries and their limits. */
@ExtendWith(EmbeddedAwsExtension.class)
class ShoalProducerTest {

    private static boolean allDone(List<CompletableFuture<MessageId>> futures) {
        return futures.stream().allMatch(CompletableFuture::isDone);
    }

    private static List<MessageId> ids(List<CompletableFuture<MessageId>> futures) {
        return futures.stream().map(CompletableFuture::join).toList();
    }

    @Test
    void lingerHoldsABatchUntilItsTimeThenSendsItAsOneProduce(AwsFixture aws) {
        CountingMetrics metrics = new CountingMetrics();
        ManualClock clock = new ManualClock();
        try (TestStack stack = TestStack.start(aws, TestStack.Kind.DIRECT);
             ShoalClient client = stack.builder().metrics(metrics).build()) {
            client.createQueue("orders");
            ShoalProducer producer = ShoalProducer.builder(client).clock(clock).linger(Duration.ofSeconds(10)).manualSender().build();
            List<CompletableFuture<MessageId>> sent = new ArrayList<>();
            for (String body : List.of("a", "b", "c")) {
                sent.add(producer.send("orders", body));
            }

            producer.runOnce();
            clock.advance(Duration.ofMillis(9_999));
            producer.runOnce();
            assertFalse(sent.stream().anyMatch(CompletableFuture::isDone));
            assertEquals(0, client.stats("orders", "default").visible());

            clock.advance(Duration.ofMillis(1));
            producer.runOnce();

            assertTrue(allDone(sent));
            assertEquals(List.of(new MessageId(0, 0), new MessageId(0, 1), new MessageId(0, 2)), ids(sent));
            assertEquals(1, metrics.count("latency:produce"));
            assertEquals(3, metrics.count("sent"));
            assertEquals(3, client.stats("orders", "default").visible());
            producer.close();
        }
    }

    @Test
    void aFullBatchGoesWithoutWaitingForItsLinger(AwsFixture aws) {
        CountingMetrics metrics = new CountingMetrics();
        try (TestStack stack = TestStack.start(aws, TestStack.Kind.DIRECT);
             ShoalClient client = stack.builder().metrics(metrics).build()) {
            client.createQueue("orders");
            ShoalProducer producer = ShoalProducer.builder(client).clock(new ManualClock()).linger(Duration.ofHours(1))
                    .batchSize(2).manualSender().build();
            List<CompletableFuture<MessageId>> sent = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                sent.add(producer.send("orders", "m" + i));
            }

            producer.runOnce();
            producer.runOnce();
            producer.runOnce();

            assertTrue(allDone(sent.subList(0, 4)));
            assertFalse(sent.get(4).isDone());
            assertEquals(2, metrics.count("latency:produce"));
            producer.close();
            assertTrue(sent.get(4).isDone());
        }
    }

    @Test
    void closeDeliversEveryPendingMessage(AwsFixture aws) {
        try (TestStack stack = TestStack.start(aws, TestStack.Kind.DIRECT); ShoalClient client = stack.client()) {
            client.createQueue("orders", QueueSettings.builder().partitions(3).build());
            client.createQueue("payments");
            // a linger that never ends on this clock: only close can send these
            ShoalProducer producer = ShoalProducer.builder(client).clock(new ManualClock()).linger(Duration.ofDays(1)).build();
            List<CompletableFuture<MessageId>> orders = new ArrayList<>();
            List<CompletableFuture<MessageId>> payments = new ArrayList<>();
            for (int i = 0; i < 250; i++) {
                if (i % 5 == 0) payments.add(producer.send("payments", "m" + i));
                else orders.add(producer.send("orders", "m" + i));
            }

            producer.close();

            assertTrue(allDone(orders) && allDone(payments));
            assertEquals(200, ids(orders).stream().distinct().count());
            assertEquals(50, ids(payments).stream().distinct().count());
            assertEquals(200, client.stats("orders", "default").visible());
            assertEquals(50, client.stats("payments", "default").visible());
            assertThrows(ProducerClosedException.class, () -> producer.send("orders", "late"));
        }
    }

    @Test
    void flushSendsEverythingNowWhateverTheLinger(AwsFixture aws) {
        try (TestStack stack = TestStack.start(aws, TestStack.Kind.DIRECT); ShoalClient client = stack.client();
             ShoalProducer producer = ShoalProducer.builder(client).clock(new ManualClock()).linger(Duration.ofDays(1)).build()) {
            client.createQueue("orders");
            CompletableFuture<MessageId> sent = producer.send("orders", "a");

            producer.flush();

            assertTrue(sent.isDone());
            assertEquals(1, client.stats("orders", "default").visible());
        }
    }

    @Test
    void sendBlocksWhileTheBufferIsFullThenFailsClearly(AwsFixture aws) {
        try (TestStack stack = TestStack.start(aws, TestStack.Kind.DIRECT); ShoalClient client = stack.client()) {
            client.createQueue("orders");
            ShoalProducer producer = ShoalProducer.builder(client).clock(new ManualClock()).linger(Duration.ofDays(1))
                    .bufferMemory(1_000).maxBlock(Duration.ofMillis(200)).build();
            for (int i = 0; i < 10; i++) {
                producer.send("orders", NewMessage.builder().body(new byte[100]).build());
            }

            long started = System.nanoTime();
            BufferExhaustedException e = assertThrows(BufferExhaustedException.class,
                    () -> producer.send("orders", NewMessage.builder().body(new byte[100]).build()));

            assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(200), "it blocked for maxBlock first");
            assertTrue(e.getMessage().contains("maxBlock") && e.getMessage().contains("1000 bytes"), e.getMessage());
            producer.close();
            assertEquals(10, client.stats("orders", "default").visible());
        }
    }

    @Test
    void aBlockedSendProceedsWhenDeliveriesFreeTheBuffer(AwsFixture aws) throws Exception {
        try (TestStack stack = TestStack.start(aws, TestStack.Kind.DIRECT); ShoalClient client = stack.client()) {
            client.createQueue("orders");
            ShoalProducer producer = ShoalProducer.builder(client).clock(new ManualClock()).linger(Duration.ofDays(1))
                    .bufferMemory(1_000).maxBlock(Duration.ofSeconds(30)).build();
            for (int i = 0; i < 10; i++) {
                producer.send("orders", NewMessage.builder().body(new byte[100]).build());
            }
            AtomicReference<CompletableFuture<MessageId>> eleventh = new AtomicReference<>();
            Thread blocked = Thread.ofVirtual().start(() -> eleventh.set(producer.send("orders",
                    NewMessage.builder().body(new byte[100]).build())));
            await().atMost(Duration.ofSeconds(5)).until(() -> blocked.getState() == Thread.State.TIMED_WAITING
                    || blocked.getState() == Thread.State.WAITING);
            assertTrue(blocked.isAlive());

            producer.flush(); // delivers the ten, which frees their memory

            blocked.join(Duration.ofSeconds(10));
            assertFalse(blocked.isAlive());
            producer.close();
            assertTrue(eleventh.get().isDone());
            assertEquals(11, client.stats("orders", "default").visible());
        }
    }

    @Test
    void aMessageTheEngineRefusesFailsAloneAndTheRestOfItsBatchIsDelivered(AwsFixture aws) {
        try (TestStack stack = TestStack.start(aws, TestStack.Kind.DIRECT); ShoalClient client = stack.client()) {
            client.createQueue("orders.fifo");
            ShoalProducer producer = ShoalProducer.builder(client).linger(Duration.ofDays(1)).clock(new ManualClock())
                    .manualSender().build();
            CompletableFuture<MessageId> first = producer.send("orders.fifo", NewMessage.builder().body("1").groupId("g").dedupId("1").build());
            CompletableFuture<MessageId> noDedupId = producer.send("orders.fifo", NewMessage.builder().body("2").groupId("g").build());
            CompletableFuture<MessageId> third = producer.send("orders.fifo", NewMessage.builder().body("3").groupId("g").dedupId("3").build());

            producer.flush();

            ExecutionException e = assertThrows(ExecutionException.class, noDedupId::get);
            InvalidRequestException refused = assertInstanceOf(InvalidRequestException.class, e.getCause());
            assertEquals("messages[1].dedupId", refused.field());
            assertEquals(List.of(first.join().partition(), first.join().offset() + 1), List.of(third.join().partition(), third.join().offset()));
            producer.close();
        }
    }

    @Test
    void sendToAMissingQueueOrOfAnOversizedMessageThrowsAtOnce(AwsFixture aws) {
        try (TestStack stack = TestStack.start(aws, TestStack.Kind.DIRECT); ShoalClient client = stack.client();
             ShoalProducer producer = ShoalProducer.builder(client).build()) {
            client.createQueue("small", QueueSettings.builder().maxMessageBytes(10).build());

            assertThrows(NotFoundException.class, () -> producer.send("missing", "a"));
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> producer.send("small", "more than ten bytes"));
            assertTrue(e.getMessage().contains("maxMessageBytes"), e.getMessage());
        }
    }

    @Test
    void aRetryAfterALostAnswerReturnsTheOriginalIdsAndWritesOnce(AwsFixture aws) {
        Faults.Counter produces = new Faults.Counter();
        try (TestStack stack = TestStack.start(TestStack.engine(aws), TestStack.Kind.HTTP, Faults.loseAnswer(Faults.PRODUCE, 1, 502, produces));
             ShoalClient client = stack.client();
             ShoalProducer producer = ShoalProducer.builder(client).linger(Duration.ZERO)
                     .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).build()) {
            client.createQueue("orders");

            List<CompletableFuture<MessageId>> sent = List.of(producer.send("orders", "a"));
            producer.flush();

            assertEquals(new MessageId(0, 0), sent.getFirst().join());
            assertEquals(2, produces.calls());
            assertEquals(1, client.stats("orders", "default").visible());
        }
    }

    @Test
    void withoutIdempotenceALostAnswerIsReportedInsteadOfRetried(AwsFixture aws) {
        Faults.Counter produces = new Faults.Counter();
        try (TestStack stack = TestStack.start(TestStack.engine(aws), TestStack.Kind.HTTP, Faults.loseAnswer(Faults.PRODUCE, 1, 502, produces));
             ShoalClient client = stack.client();
             ShoalProducer producer = ShoalProducer.builder(client).linger(Duration.ZERO).withoutIdempotence().build()) {
            client.createQueue("orders");

            CompletableFuture<MessageId> sent = producer.send("orders", "a");
            producer.flush();

            ExecutionException e = assertThrows(ExecutionException.class, sent::get);
            assertInstanceOf(CommitStateUnknownException.class, e.getCause());
            assertEquals(1, produces.calls());
        }
    }

    @Test
    void aBatchThatKeepsFailingFailsAfterTheDeliveryTimeoutWithTheLastError(AwsFixture aws) {
        Faults.Counter produces = new Faults.Counter();
        try (TestStack stack = TestStack.start(TestStack.engine(aws), TestStack.Kind.HTTP,
                Faults.refuse(Faults.PRODUCE, Integer.MAX_VALUE, 503, "ServiceUnavailable", produces));
             ShoalClient client = stack.client();
             ShoalProducer producer = ShoalProducer.builder(client).linger(Duration.ZERO).deliveryTimeout(Duration.ofMillis(300))
                     .retryBackoff(Duration.ofMillis(5), Duration.ofMillis(20)).build()) {
            client.createQueue("orders");

            CompletableFuture<MessageId> sent = producer.send("orders", "a");
            producer.flush();

            ExecutionException e = assertThrows(ExecutionException.class, sent::get);
            DeliveryTimeoutException timeout = assertInstanceOf(DeliveryTimeoutException.class, e.getCause());
            assertInstanceOf(RetryableException.class, timeout.getCause());
            assertTrue(produces.calls() > 1, "retried: " + produces.calls());
        }
    }
}
