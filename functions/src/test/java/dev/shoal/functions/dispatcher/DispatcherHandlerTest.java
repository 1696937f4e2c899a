package dev.shoal.functions.dispatcher;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
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

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dispatcher function's handler: the events that invoke it, its answers, its time budget. */
@ExtendWith(EmbeddedAwsExtension.class)
class DispatcherHandlerTest {

    private static final String STREAM_EVENT = """
            {"Records": [{"eventID": "1", "eventName": "INSERT", "eventSource": "aws:dynamodb", "awsRegion": "eu-west-1",
              "dynamodb": {"Keys": {"p": {"S": "q1a2b3#0"}, "o": {"N": "0"}}, "SequenceNumber": "100", "StreamViewType": "NEW_IMAGE"},
              "eventSourceARN": "arn:aws:dynamodb:eu-west-1:123456789012:table/shoal-log/stream/2026-11-22T00:00:00.000"}]}""";
    private static final String SCHEDULE_EVENT = """
            {"version": "0", "id": "e1", "detail-type": "Scheduled Event", "source": "aws.events",
             "time": "2026-11-22T10:00:00Z", "resources": ["arn:aws:events:eu-west-1:123456789012:rule/shoal-dispatcher"], "detail": {}}""";

    private final ManualClock clock = new ManualClock();
    private final List<String> log = new CopyOnWriteArrayList<>();

    @Test
    void aStreamNudgeDispatchesAndAnswersThatEveryRecordWasHandled(AwsFixture aws) throws IOException {
        ShoalEngine engine = engineWithPushQueue(aws);
        RecordingTarget target = RecordingTarget.succeeding(clock);
        try (Dispatcher dispatcher = new Dispatcher(engine, clock, target)) {
            JsonNode answer = invoke(new DispatcherHandler(dispatcher, clock, log::add), STREAM_EVENT, minutes(5));

            assertEquals("{\"batchItemFailures\":[]}", answer.toString());
            assertEquals(1, target.invocations().size());
            JsonNode line = RecordingTarget.JSON.readTree(log.getFirst());
            assertEquals("stream", line.path("trigger").asText());
            assertEquals(1, line.path("streamRecords").asInt());
            assertEquals(2, line.path("acked").asInt());
        }
    }

    @Test
    void theScheduleRunsAFullPassAndAnswersWithItsReport(AwsFixture aws) throws IOException {
        ShoalEngine engine = engineWithPushQueue(aws);
        try (Dispatcher dispatcher = new Dispatcher(engine, clock, RecordingTarget.succeeding(clock))) {
            JsonNode answer = invoke(new DispatcherHandler(dispatcher, clock, log::add), SCHEDULE_EVENT, minutes(5));

            assertEquals(1, answer.path("subscriptions").asInt());
            assertEquals(1, answer.path("batches").asInt());
            assertEquals(2, answer.path("acked").asInt());
            assertTrue(log.getFirst().contains("\"trigger\":\"schedule\""), log.getFirst());
        }
    }

    @Test
    void noBatchStartsThatCouldNotBeSettledBeforeTheInvocationTimesOut(AwsFixture aws) throws IOException {
        ShoalEngine engine = engineWithPushQueue(aws); // target timeout 30 s
        RecordingTarget target = RecordingTarget.succeeding(clock);
        try (Dispatcher dispatcher = new Dispatcher(engine, clock, target)) {
            JsonNode answer = invoke(new DispatcherHandler(dispatcher, clock, log::add), SCHEDULE_EVENT, Duration.ofSeconds(40));

            assertEquals(0, answer.path("batches").asInt());
            assertEquals(0, target.invocations().size());
            assertEquals(2, engine.describeQueue("q").stats().visible(), "left for the next invocation");
        }
    }

    @Test
    void sqsEventsNameTheFunctionsRegionAndTheAccountTheApiNamesInQueueArns() {
        String secret = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shoal-receipts";

        assertEquals(new SqsSource("eu-west-1", "123456789012"),
                DispatcherHandler.sqsSource(java.util.Map.of("AWS_REGION", "eu-west-1", "SHOAL_RECEIPT_SECRET_ARN", secret)));
        assertEquals(new SqsSource("eu-west-1", "210987654321"), DispatcherHandler.sqsSource(java.util.Map.of(
                "AWS_REGION", "eu-west-1", "SHOAL_RECEIPT_SECRET_ARN", secret, "SHOAL_ACCOUNT_ID", "210987654321")));
    }

    private ShoalEngine engineWithPushQueue(AwsFixture aws) {
        ShoalEngine engine = TestEngines.engine(aws, clock);
        engine.createQueue("q", QueueSettings.builder().defaultSubscription(SubscriptionSettings.builder()
                .push(PushTarget.of("https://example.invalid/hook")).build()).build());
        engine.produce("q", List.of(NewMessage.of("a"), NewMessage.of("b")));
        return engine;
    }

    private static JsonNode invoke(DispatcherHandler handler, String event, Duration remaining) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, new FixedContext(remaining));
        return RecordingTarget.JSON.readTree(out.toByteArray());
    }

    private static Duration minutes(int n) {
        return Duration.ofMinutes(n);
    }

    /** What Lambda passes: only the remaining time matters to the handler. */
    private record FixedContext(Duration remaining) implements Context {
        @Override public int getRemainingTimeInMillis() { return (int) remaining.toMillis(); }
        @Override public String getAwsRequestId() { return "req-1"; }
        @Override public String getLogGroupName() { return "/aws/lambda/shoal-dispatcher"; }
        @Override public String getLogStreamName() { return "stream"; }
        @Override public String getFunctionName() { return "shoal-dispatcher"; }
        @Override public String getFunctionVersion() { return "1"; }
        @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:eu-west-1:123456789012:function:shoal-dispatcher:live"; }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getMemoryLimitInMB() { return 1024; }
        @Override public LambdaLogger getLogger() { return null; }
    }
}
