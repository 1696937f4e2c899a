package dev.shoal.functions.dispatcher;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.storage.ShoalEngine;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.PushTarget.EventFormat;
import dev.shoal.storage.api.PushTarget;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.ReceiptResult;
import dev.shoal.storage.api.RetryPolicy;
import dev.shoal.storage.api.SubscriptionSettings;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import dev.shoal.storage.testing.ManualClock;
import dev.shoal.storage.testing.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Push subscriptions in SQS's event shape on the real engine, with a target written for SQS:
 * it reads the event as aws-lambda-java-events' {@code SQSEvent} and answers an
 * {@code SQSBatchResponse}, both through the Java runtime's serialization.
 */
@ExtendWith(EmbeddedAwsExtension.class)
class SqsFormatDispatchTest {

    private static final String URL = "http://127.0.0.1:9/unused";
    /**
     * A backoff that only the tests' own clock moves pass: with none, a nacked message is visible
     * at once, and whether a pass's next receive finds it again before the pass ends is a race
     * between the lane's receive and the batch's settlement.
     */
    private static final RetryPolicy ONE_SECOND = new RetryPolicy(Duration.ofSeconds(1), 1.0, Duration.ofSeconds(1));

    private final ManualClock clock = new ManualClock();

    /** A handler as one writes it for SQS: fails the messages whose body starts with "bad". */
    private static SQSBatchResponse handle(SQSEvent event) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage m : event.getRecords()) {
            if (m.getBody().startsWith("bad")) {
                failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(m.getMessageId()).build());
            }
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    private RecordingTarget sqsHandler() {
        return new RecordingTarget(clock, event -> new InvocationOutcome.Completed(
                LambdaRuntimeJson.answer(handle(LambdaRuntimeJson.sqsEvent(bytes(event))))));
    }

    @Test
    void theMessagesAnSqsHandlerReportsAsFailedAreRetriedAndTheRestAreAcked(AwsFixture aws) {
        ShoalEngine engine = TestEngines.engine(aws, clock);
        engine.createQueue("orders", push(PushTarget.of(URL)));
        engine.produce("orders", List.of(NewMessage.of("ok-1"), NewMessage.of("bad-2"), NewMessage.of("ok-3")));
        RecordingTarget target = sqsHandler();

        try (Dispatcher dispatcher = new Dispatcher(engine, clock, target)) {
            DispatchReport first = dispatcher.dispatch(PassBudget.open(clock.instant(), Duration.ofSeconds(10)));
            clock.advance(Duration.ofSeconds(5));
            dispatcher.dispatch(PassBudget.open(clock.instant(), Duration.ofSeconds(10)));

            assertEquals(2, first.acked());
            assertEquals(1, first.nacked());
            assertEquals(List.of("ok-1", "bad-2", "ok-3"), target.invocations().get(0).bodies());
            assertEquals(List.of("bad-2"), target.invocations().get(1).bodies());
            assertEquals("2", target.invocations().get(1).messages().getFirst().path("attributes").path("ApproximateReceiveCount").asText());
        }
    }

    @Test
    void theEventNamesTheQueueByItsArnInTheDispatchersRegionAndAccount(AwsFixture aws) {
        ShoalEngine engine = TestEngines.engine(aws, clock);
        engine.createQueue("orders", push(PushTarget.of(URL)));
        engine.produce("orders", List.of(NewMessage.of("a")));
        RecordingTarget target = RecordingTarget.succeeding(clock);

        try (Dispatcher dispatcher = new Dispatcher(engine, clock, target,
                DispatcherOptions.DEFAULT.withSqsSource(new SqsSource("eu-west-1", "123456789012")))) {
            dispatcher.dispatch(PassBudget.open(clock.instant(), Duration.ofSeconds(10)));

            SQSEvent.SQSMessage m = LambdaRuntimeJson.sqsEvent(bytes(target.invocations().getFirst().event())).getRecords().getFirst();
            assertEquals("arn:aws:sqs:eu-west-1:123456789012:orders", m.getEventSourceArn());
            assertEquals("eu-west-1", m.getAwsRegion());
            assertEquals("aws:sqs", m.getEventSource());
        }
    }

    @Test
    void theReceiptHandleInTheEventIsTheDeliverysOwn(AwsFixture aws) {
        ShoalEngine engine = TestEngines.engine(aws, clock);
        engine.createQueue("orders", push(PushTarget.of(URL)));
        engine.produce("orders", List.of(NewMessage.of("a")));
        List<List<ReceiptResult>> ackedByTheTarget = new ArrayList<>();
        // the target deletes the message itself with the event's receipt handle, then fails the batch
        RecordingTarget target = new RecordingTarget(clock, event -> {
            String receipt = LambdaRuntimeJson.sqsEvent(bytes(event)).getRecords().getFirst().getReceiptHandle();
            ackedByTheTarget.add(engine.ack("orders", "default", List.of(receipt)));
            return new InvocationOutcome.Failed("the handler threw after deleting");
        });

        try (Dispatcher dispatcher = new Dispatcher(engine, clock, target)) {
            dispatcher.dispatch(PassBudget.open(clock.instant(), Duration.ofSeconds(10)));
            clock.advance(Duration.ofMinutes(5));
            dispatcher.dispatch(PassBudget.open(clock.instant(), Duration.ofSeconds(10)));

            assertTrue(ackedByTheTarget.getFirst().getFirst().succeeded(), "a real receipt");
            assertEquals(1, target.invocations().size(), "deleted by the target, so never delivered again");
        }
    }

    @Test
    void aThrottledTargetsBatchComesBackWithoutCountingAReceive(AwsFixture aws) {
        ShoalEngine engine = TestEngines.engine(aws, clock);
        engine.createQueue("orders", push(PushTarget.of(URL)));
        engine.produce("orders", List.of(NewMessage.of("a")));
        AtomicInteger calls = new AtomicInteger();
        RecordingTarget target = new RecordingTarget(clock, event -> calls.incrementAndGet() == 1
                ? new InvocationOutcome.NotDelivered("TooManyRequestsException", null)
                : new InvocationOutcome.Completed(new byte[0]));

        try (Dispatcher dispatcher = new Dispatcher(engine, clock, target)) {
            DispatchReport first = dispatcher.dispatch(PassBudget.open(clock.instant(), Duration.ofSeconds(10)));
            clock.advance(Duration.ofMinutes(2));
            dispatcher.dispatch(PassBudget.open(clock.instant(), Duration.ofSeconds(10)));

            assertEquals(1, first.released());
            assertEquals(2, target.invocations().size());
            assertEquals("1", target.invocations().get(1).messages().getFirst().path("attributes").path("ApproximateReceiveCount").asText(),
                    "the throttled delivery is not a receive");
        }
    }

    @Test
    void aBatchTooLargeForOneLambdaInvocationIsCutAndTheRestGoesInALaterOneUncounted(AwsFixture aws) {
        ShoalEngine engine = TestEngines.engine(aws, clock);
        engine.createQueue("orders", push(new PushTarget("arn:aws:lambda:us-east-1:123456789012:function:shoal-target-orders",
                100, Duration.ZERO, 1, Duration.ofSeconds(30))));
        String body = "x".repeat(200_000);
        for (int i = 0; i < 4; i++) {
            int from = i * 10;
            engine.produce("orders", java.util.stream.IntStream.range(from, from + 10).mapToObj(n -> NewMessage.of(n + body)).toList());
        }
        List<Integer> eventBytes = new ArrayList<>();
        RecordingTarget target = new RecordingTarget(clock, event -> {
            eventBytes.add(bytes(event).length);
            return new InvocationOutcome.Completed(new byte[0]);
        });

        try (Dispatcher dispatcher = new Dispatcher(engine, clock, target)) {
            DispatchReport report = dispatcher.dispatch(PassBudget.open(clock.instant(), Duration.ofSeconds(30)));

            assertTrue(eventBytes.size() >= 2, "40 messages of 200 KB do not fit one 6 MB payload: " + eventBytes);
            eventBytes.forEach(n -> assertTrue(n <= PayloadCut.LAMBDA_MAX_PAYLOAD, n + " bytes"));
            assertEquals(40, report.acked());
            assertEquals(40, target.invocations().stream().mapToInt(i -> i.messages().size()).sum(), "each message invoked once");
            target.invocations().forEach(i -> i.messages().forEach(m -> assertEquals(1, RecordingTarget.receiveCount(m))));
        }
    }

    @Test
    void aTargetWithoutReportBatchItemFailuresHasItsBatchAckedWhateverItAnswers(AwsFixture aws) {
        ShoalEngine engine = TestEngines.engine(aws, clock);
        engine.createQueue("orders", push(PushTarget.of(URL).withReportBatchItemFailures(false)));
        engine.produce("orders", List.of(NewMessage.of("a"), NewMessage.of("b")));
        // an answer that is no partial batch response, as a handler returning a String gives
        RecordingTarget target = new RecordingTarget(clock, event -> new InvocationOutcome.Completed(
                "\"done\"".getBytes(StandardCharsets.UTF_8)));

        try (Dispatcher dispatcher = new Dispatcher(engine, clock, target)) {
            DispatchReport report = dispatcher.dispatch(PassBudget.open(clock.instant(), Duration.ofSeconds(10)));

            assertEquals(2, report.acked());
            assertEquals(0, report.nacked());
        }
    }

    @Test
    void aTargetOnTheShoalFormatStillGetsShoalsEvent(AwsFixture aws) {
        ShoalEngine engine = TestEngines.engine(aws, clock);
        engine.createQueue("orders", push(PushTarget.of(URL).withEventFormat(EventFormat.SHOAL)));
        engine.produce("orders", List.of(NewMessage.of("ok"), NewMessage.of("bad")));
        RecordingTarget target = new RecordingTarget(clock, event -> {
            List<String> failed = new ArrayList<>();
            event.path("messages").forEach(m -> {
                if (m.path("body").asText().equals("bad")) failed.add(m.path("messageId").asText());
            });
            return DispatcherTest.completedWithFailures(failed);
        });

        try (Dispatcher dispatcher = new Dispatcher(engine, clock, target)) {
            DispatchReport report = dispatcher.dispatch(PassBudget.open(clock.instant(), Duration.ofSeconds(10)));

            JsonNode event = target.invocations().getFirst().event();
            assertEquals("shoal", event.path("source").asText());
            assertEquals("0-1", event.path("messages").get(1).path("messageId").asText());
            assertEquals(1, report.acked());
            assertEquals(1, report.nacked());
        }
    }

    private static QueueSettings push(PushTarget target) {
        return QueueSettings.builder().defaultSubscription(SubscriptionSettings.builder().retryPolicy(ONE_SECOND).push(target).build()).build();
    }

    private static byte[] bytes(JsonNode event) {
        try {
            return RecordingTarget.JSON.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
