package dev.shoal.functions.runtime;

import dev.shoal.storage.ErrorBoundary;
import dev.shoal.storage.ShoalEngine;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.NotFoundException;
import dev.shoal.storage.api.ProducedMessage;
import dev.shoal.storage.api.QueueService;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.ReceiveRequest;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import dev.shoal.storage.testing.ManualClock;
import dev.shoal.storage.testing.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A function told to stop lets the engine calls in flight finish (bounded) before its clients close. */
@ExtendWith(EmbeddedAwsExtension.class)
class GracefulStopTest {

    private final ManualClock clock = new ManualClock();

    @Test
    void aProduceInFlightWhenTheStopBeginsIsAnsweredBeforeTheClientsClose(AwsFixture aws) throws Exception {
        HeldPut held = new HeldPut();
        InFlightCalls calls = new InFlightCalls();
        QueueService service = calls.track(QueueService.class, ErrorBoundary.around(engine(aws, held)));
        service.createQueue("q", QueueSettings.builder().build());
        List<String> events = new CopyOnWriteArrayList<>();

        CompletableFuture<List<ProducedMessage>> produce = CompletableFuture.supplyAsync(() -> {
            List<ProducedMessage> answer = service.produce("q", List.of(NewMessage.of("in flight at the stop")));
            events.add("answered");
            return answer;
        });
        held.awaitHeld();
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(
                new GracefulStop(() -> { }, calls, Duration.ofSeconds(20), List.of(() -> events.add("clients closed"))));
        assertThrows(TimeoutException.class, () -> stopping.get(300, TimeUnit.MILLISECONDS), "the stop waits for the produce");
        assertEquals(List.of(), events);
        held.release();

        stopping.get(20, TimeUnit.SECONDS);
        assertEquals(0, produce.get(5, TimeUnit.SECONDS).getFirst().id().offset());
        assertEquals(List.of("answered", "clients closed"), events);
    }

    @Test
    void aCallThatOutlastsTheDrainDoesNotHoldTheStopUp(AwsFixture aws) throws Exception {
        HeldPut held = new HeldPut();
        InFlightCalls calls = new InFlightCalls();
        QueueService service = calls.track(QueueService.class, ErrorBoundary.around(engine(aws, held)));
        service.createQueue("q", QueueSettings.builder().build());
        AtomicBoolean closed = new AtomicBoolean();
        CompletableFuture<?> produce = CompletableFuture.runAsync(() -> service.produce("q", List.of(NewMessage.of("slow"))));
        held.awaitHeld();

        long started = System.nanoTime();
        new GracefulStop(() -> { }, calls, Duration.ofMillis(300), List.of(() -> closed.set(true))).run();

        assertTrue(closed.get(), "the clients are closed anyway");
        assertEquals(1, calls.count(), "the produce is still in flight");
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5), "bounded by the drain");
        held.release();
        produce.get(20, TimeUnit.SECONDS);
        assertEquals(0, calls.count());
    }

    @Test
    void aLongPollInFlightAtTheStopAnswersEmptyAtOnceAndTheStopDoesNotWaitForItsWait(AwsFixture aws) throws Exception {
        // real time: the poll must really be waiting when the stop comes
        ShoalEngine engine = ShoalEngine.builder().dynamo(aws.dynamo()).s3(aws.s3()).tables(aws.tables()).bucket(aws.bucket())
                .clock(java.time.Clock.systemUTC()).sleeper(dev.shoal.storage.api.Sleeper.SYSTEM).receiptSecret(TestEngines.SECRET).build();
        InFlightCalls calls = new InFlightCalls();
        QueueService service = calls.track(QueueService.class, ErrorBoundary.around(engine));
        service.createQueue("idle", QueueSettings.builder().build());
        CompletableFuture<List<ReceivedMessage>> poll = CompletableFuture.supplyAsync(() -> service.receive("idle",
                Limits.DEFAULT_SUBSCRIPTION, ReceiveRequest.builder().maxMessages(10).waitTime(Duration.ofSeconds(20)).build()));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> calls.count() == 1);
        AtomicBoolean closed = new AtomicBoolean();

        new GracefulStop(engine::endLongPolls, calls, Duration.ofSeconds(5), List.of(() -> closed.set(true))).run();

        assertEquals(List.of(), poll.get(1, TimeUnit.SECONDS), "answered empty, as when its wait ends");
        assertEquals(0, calls.count(), "drained, not cut off");
        assertTrue(closed.get());
    }

    @Test
    void errorsOfTrackedCallsReachTheCallerUnwrapped(AwsFixture aws) {
        InFlightCalls calls = new InFlightCalls();
        QueueService service = calls.track(QueueService.class, ErrorBoundary.around(TestEngines.engine(aws, clock)));
        var e = assertThrows(NotFoundException.class,
                () -> service.produce("missing", List.of(NewMessage.of("x"))));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
        assertEquals(0, calls.count());
    }

    /** Every segment goes to S3, however small, so that holding the PUT holds the produce. */
    private ShoalEngine engine(AwsFixture aws, HeldPut held) {
        return TestEngines.builder(aws, clock).s3(aws.s3Client(held)).inlineSegmentLimit(0).build();
    }

    /** Holds the first segment PUT until released: a group commit in flight. */
    private static final class HeldPut implements ExecutionInterceptor {
        private final CountDownLatch release = new CountDownLatch(1);
        private final CountDownLatch holding = new CountDownLatch(1);
        private final AtomicBoolean first = new AtomicBoolean(true);

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            if (context.request() instanceof PutObjectRequest && first.compareAndSet(true, false)) {
                holding.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        void awaitHeld() throws InterruptedException {
            assertTrue(holding.await(20, TimeUnit.SECONDS), "the produce reached S3");
        }

        void release() {
            release.countDown();
        }
    }
}
