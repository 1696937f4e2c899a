package dev.shoal.functions.dispatcher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.storage.ShoalEngine;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.PushTarget;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.SubscriptionSettings;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import dev.shoal.storage.testing.ManualClock;
import dev.shoal.storage.testing.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dispatcher on the real engine (embedded stack) with a manual clock: the engine's waits
 * move the clock, so batching windows and backoffs take no real time.
 */
@ExtendWith(EmbeddedAwsExtension.class)
class DispatcherTest {

    private static final String URL = "http://127.0.0.1:9/unused";

    private final ManualClock clock = new ManualClock();

    @Test
    void aPartialBatchWaitsForTheBatchingWindowFromItsOldestMessage(AwsFixture aws) {
        ShoalEngine engine = TestEngines.engine(aws, clock);
        engine.createQueue("q", push(new PushTarget(URL, 10, Duration.ofSeconds(30), 1, Duration.ofSeconds(5))));
        Instant sent = clock.instant();
        engine.produce("q", List.of(NewMessage.of("a"), NewMessage.of("b"), NewMessage.of("c")));
        RecordingTarget target = RecordingTarget.succeeding(clock);

        try (Dispatcher dispatcher = new Dispatcher(engine, clock, target)) {
            DispatchReport report = dispatcher.dispatch(PassBudget.open(clock.instant(), Duration.ofMinutes(2)));

            assertEquals(1, target.invocations().size());
            assertEquals(List.of("a", "b", "c"), target.invocations().getFirst().bodies());
            assertTrue(!target.invocations().getFirst().at().isBefore(sent.plusSeconds(30)), "not before the window ended");
            assertEquals(3, report.acked());
        }
    }

    @Test
    void aWindowLongerThanThePassGivesTheMessagesBackUncountedUntilItEnds(AwsFixture aws) {
        ShoalEngine engine = TestEngines.engine(aws, clock);
        engine.createQueue("q", push(new PushTarget(URL, 10, Duration.ofSeconds(60), 1, Duration.ofSeconds(5))));
        engine.produce("q", List.of(NewMessage.of("a"), NewMessage.of("b")));
        RecordingTarget target = RecordingTarget.succeeding(clock);

        try (Dispatcher dispatcher = new Dispatcher(engine, clock, target)) {
            DispatchReport first = dispatcher.dispatch(PassBudget.open(clock.instant(), Duration.ofSeconds(10)));
            assertEquals(0, target.invocations().size());
            assertEquals(2, first.released());

            clock.advance(Duration.ofSeconds(61));
            dispatcher.dispatch(PassBudget.open(clock.instant(), Duration.ofSeconds(10)));

            assertEquals(1, target.invocations().size());
            assertEquals(2, target.invocations().getFirst().messages().size());
            target.invocations().getFirst().messages().forEach(m -> assertEquals(1, RecordingTarget.receiveCount(m)));
        }
    }

    @Test
    void aBatchLargerThanOneReceiveIsGatheredFromSeveral(AwsFixture aws) {
        ShoalEngine engine = TestEngines.engine(aws, clock);
        engine.createQueue("q", push(new PushTarget(URL, 2_000, Duration.ZERO, 1, Duration.ofSeconds(5))));
        for (int batch = 0; batch < 3; batch++) {
            int from = batch * 500;
            engine.produce("q", IntStream.range(from, from + 500).mapToObj(i -> NewMessage.of("m" + i)).toList());
        }
        RecordingTarget target = RecordingTarget.succeeding(clock);

        try (Dispatcher dispatcher = new Dispatcher(engine, clock, target)) {
            DispatchReport report = dispatcher.dispatch(PassBudget.open(clock.instant(), Duration.ofSeconds(10)));

            assertEquals(1, target.invocations().size());
            assertEquals(1_500, target.invocations().getFirst().messages().size());
            assertEquals(1_500, report.acked());
        }
    }

    @Test
    void aFifoGroupMateReportedHandledAfterAFailureIsDeliveredAgainAfterTheFailedMessage(AwsFixture aws) {
        ShoalEngine engine = TestEngines.engine(aws, clock);
        engine.createQueue("jobs.fifo", QueueSettings.builder().fifo(true).contentBasedDeduplication(true)
                .defaultSubscription(SubscriptionSettings.builder()
                        .push(new PushTarget(URL, 10, Duration.ZERO, 1, Duration.ofSeconds(5))).build()).build());
        engine.produce("jobs.fifo", List.of(fifo("a-1", "a"), fifo("a-2", "a"), fifo("a-3", "a"), fifo("b-1", "b")));
        List<String> failedOnce = new ArrayList<>();
        // fails a-2 once, and claims to have handled a-3 in the same batch
        RecordingTarget target = new RecordingTarget(clock, event -> {
            List<String> failed = new ArrayList<>();
            RecordingTarget.messages(event).forEach(m -> {
                if (m.path("body").asText().equals("a-2") && failedOnce.isEmpty()) {
                    failedOnce.add("a-2");
                    failed.add(m.path("messageId").asText());
                }
            });
            return completedWithFailures(failed);
        });

        try (Dispatcher dispatcher = new Dispatcher(engine, clock, target)) {
            dispatcher.dispatch(PassBudget.open(clock.instant(), Duration.ofSeconds(10)));
            clock.advance(Duration.ofSeconds(5)); // past the retry policy's backoff
            dispatcher.dispatch(PassBudget.open(clock.instant(), Duration.ofSeconds(10)));

            List<RecordingTarget.Invocation> calls = target.invocations();
            assertEquals(List.of("a-1", "a-2", "a-3", "b-1"), calls.get(0).bodies());
            assertEquals(List.of("a-2", "a-3"), calls.get(1).bodies(), "a resumes at its failed message, a-3 again");
            assertEquals(2, calls.size());
            assertEquals(2, RecordingTarget.receiveCount(calls.get(1).messages().get(0)));
        }
    }

    @Test
    void aTargetThatThrowsFailsTheWholeBatchAndTheDeliveryCounts(AwsFixture aws) {
        ShoalEngine engine = TestEngines.engine(aws, clock);
        engine.createQueue("q", push(PushTarget.of(URL)));
        engine.produce("q", List.of(NewMessage.of("a"), NewMessage.of("b")));
        List<Integer> calls = new ArrayList<>();
        RecordingTarget target = new RecordingTarget(clock, event -> {
            calls.add(calls.size());
            if (calls.size() == 1) throw new IllegalStateException("the invoker broke");
            return new InvocationOutcome.Completed("{}".getBytes(StandardCharsets.UTF_8));
        });

        try (Dispatcher dispatcher = new Dispatcher(engine, clock, target)) {
            DispatchReport first = dispatcher.dispatch(PassBudget.open(clock.instant(), Duration.ofSeconds(10)));
            assertEquals(2, first.nacked());
            clock.advance(Duration.ofSeconds(5));
            dispatcher.dispatch(PassBudget.open(clock.instant(), Duration.ofSeconds(10)));

            List<JsonNode> second = target.invocations().get(1).messages();
            assertEquals(2, second.size());
            second.forEach(m -> assertEquals(2, RecordingTarget.receiveCount(m)));
            assertEquals(0, engine.describeQueue("q").stats().visible() + engine.describeQueue("q").stats().inFlight());
        }
    }

    private static QueueSettings push(PushTarget target) {
        return QueueSettings.builder().defaultSubscription(SubscriptionSettings.builder().push(target).build()).build();
    }

    private static NewMessage fifo(String body, String group) {
        return NewMessage.builder().body(body).groupId(group).build();
    }

    static InvocationOutcome completedWithFailures(List<String> ids) {
        StringBuilder b = new StringBuilder("{\"batchItemFailures\":[");
        for (int i = 0; i < ids.size(); i++) {
            b.append(i == 0 ? "" : ",").append("{\"itemIdentifier\":\"").append(ids.get(i)).append("\"}");
        }
        return new InvocationOutcome.Completed(b.append("]}").toString().getBytes(StandardCharsets.UTF_8));
    }
}
