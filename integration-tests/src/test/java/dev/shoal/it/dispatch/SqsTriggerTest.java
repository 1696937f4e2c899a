package dev.shoal.it.dispatch;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.functions.dispatcher.HttpTargetInvoker;
import dev.shoal.functions.dispatcher.LambdaTargetInvoker;
import dev.shoal.functions.dispatcher.RoutingTargetInvoker;
import dev.shoal.it.dispatch.TargetServer.Reply;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.PushTarget;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.api.RetryPolicy;
import dev.shoal.storage.api.SubscriptionSettings;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Functions written for SQS's event source mapping, unchanged, on Shoal push subscriptions: the
 * event read as aws-lambda-java-events' {@code SQSEvent} and the {@code SQSBatchResponse} written
 * through the Java runtime's serialization, behind an HTTP target and behind Lambda's Invoke API;
 * messages sent and settled through the SQS face with the AWS SDK.
 */
@ExtendWith(EmbeddedAwsExtension.class)
class SqsTriggerTest {

    private static final String FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:shoal-target-orders";
    private static final RetryPolicy IMMEDIATE = new RetryPolicy(Duration.ZERO, 1.0, Duration.ZERO);

    /** A handler as one writes it for SQS with ReportBatchItemFailures: fails the messages whose body starts with "bad". */
    static final class OrdersFunction implements RequestHandler<SQSEvent, SQSBatchResponse> {
        @Override
        public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
            List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
            for (SQSEvent.SQSMessage m : event.getRecords()) {
                if (m.getBody().startsWith("bad")) {
                    failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
                }
            }
            return new SQSBatchResponse(failures);
        }
    }

    @Test
    void anSqsHandlerBehindAnHttpTargetHasItsFailuresRetriedThenDeadLettered(AwsFixture aws) {
        try (DispatchStack shoal = new DispatchStack(aws); SqsFace face = new SqsFace(shoal.engine);
             TargetServer target = TargetServer.start((n, event) -> Reply.ok(
                     new String(JavaRuntime.invoke(new OrdersFunction(), json(event)), StandardCharsets.UTF_8)))) {
            SqsClient sqs = face.sqs;
            sqs.createQueue(b -> b.queueName("orders-dlq"));
            String url = sqs.createQueue(b -> b.queueName("orders")).queueUrl();
            // the event source mapping's settings, on the queue's own subscription
            HttpResponse<String> put = face.call("PUT", "/v1/queues/orders/subscriptions/default", """
                    {"retryPolicy": {"initialDelay": "0s", "multiplier": 1, "maxDelay": "0s"},
                     "deadLetter": {"queue": "orders-dlq", "maxReceiveCount": 2},
                     "push": {"target": "%s", "batchSize": 10, "maximumBatchingWindowInSeconds": 0,
                              "functionResponseTypes": ["ReportBatchItemFailures"], "eventFormat": "sqs"}}""".formatted(target.url()));
            assertEquals(200, put.statusCode(), put.body());
            List<String> bodies = IntStream.range(0, 8).mapToObj(i -> (i % 4 == 3 ? "bad-" : "ok-") + i).toList();
            List<SendMessageBatchResultEntry> sent = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(IntStream.range(0, 8)
                    .mapToObj(i -> SendMessageBatchRequestEntry.builder().id("m" + i).messageBody(bodies.get(i))
                            .messageAttributes(Map.of("tenant", MessageAttributeValue.builder().dataType("String").stringValue("acme").build()))
                            .build()).toList())).successful();

            shoal.dispatchUntil(Duration.ofSeconds(30), () -> shoal.settled("orders", "default")
                    && deliveries(target, "bad-3").size() == 2 && deliveries(target, "bad-7").size() == 2);

            Set<String> ids = new java.util.HashSet<>();
            for (int i = 0; i < bodies.size(); i++) {
                List<JsonNode> got = deliveries(target, bodies.get(i));
                assertEquals(bodies.get(i).startsWith("bad") ? 2 : 1, got.size(), bodies.get(i) + " deliveries");
                JsonNode first = got.getFirst();
                String entry = "m" + i;
                SendMessageBatchResultEntry s = sent.stream().filter(e -> e.id().equals(entry)).findFirst().orElseThrow();
                String messageId = first.path("messageId").asText();
                assertEquals(messageId, UUID.fromString(messageId).toString(), "a UUID, as SQS's message ids are");
                assertEquals(s.messageId(), messageId, "the id SendMessageBatch returned");
                got.forEach(d -> assertEquals(messageId, d.path("messageId").asText(), "the same id on every delivery"));
                assertTrue(ids.add(messageId), "one id per message");
                assertEquals(s.md5OfMessageBody(), first.path("md5OfBody").asText());
                assertEquals(s.md5OfMessageAttributes(), first.path("md5OfMessageAttributes").asText());
                assertEquals("acme", first.path("messageAttributes").path("tenant").path("stringValue").asText());
                assertEquals("arn:aws:sqs:us-east-1:000000000000:orders", first.path("eventSourceARN").asText());
                for (int d = 0; d < got.size(); d++) {
                    assertEquals(Integer.toString(d + 1), got.get(d).path("attributes").path("ApproximateReceiveCount").asText());
                }
            }
            List<ReceivedMessage> dead = shoal.drain("orders-dlq");
            assertEquals(Set.of("bad-3", "bad-7"), Set.copyOf(dead.stream().map(ReceivedMessage::bodyAsString).toList()));
        }
    }

    @Test
    void anSqsHandlerBehindLambdasInvokeApiRunsAndAThrowFailsTheWholeBatch(AwsFixture aws) {
        AtomicBoolean thrown = new AtomicBoolean();
        RequestHandler<SQSEvent, SQSBatchResponse> function = (event, context) -> {
            if (event.getRecords().stream().anyMatch(m -> m.getBody().equals("boom")) && thrown.compareAndSet(false, true)) {
                throw new IllegalStateException("the database is down");
            }
            return new OrdersFunction().handleRequest(event, context);
        };
        try (JavaRuntime.InvokeApi lambda = JavaRuntime.invokeApi(function);
             DispatchStack shoal = new DispatchStack(aws, new RoutingTargetInvoker(() -> lambdaInvoker(lambda.endpoint()), new HttpTargetInvoker()))) {
            shoal.engine.createQueue("orders", QueueSettings.builder().defaultSubscription(SubscriptionSettings.builder()
                    .retryPolicy(IMMEDIATE).push(PushTarget.of(FUNCTION_ARN)).build()).build());
            shoal.produce("orders", List.of(NewMessage.of("ok-1"), NewMessage.of("boom"), NewMessage.of("ok-2")));

            shoal.dispatchUntil(Duration.ofSeconds(30), () -> shoal.settled("orders", "default"));

            List<JsonNode> invocations = lambda.events().stream().map(SqsTriggerTest::parse).toList();
            assertEquals(2, invocations.size(), "the failed invocation, then the whole batch again");
            for (int i = 0; i < 2; i++) {
                List<String> bodies = new ArrayList<>();
                List<String> counts = new ArrayList<>();
                invocations.get(i).path("Records").forEach(r -> {
                    bodies.add(r.path("body").asText());
                    counts.add(r.path("attributes").path("ApproximateReceiveCount").asText());
                });
                assertEquals(List.of("ok-1", "boom", "ok-2"), bodies);
                assertEquals(List.of(Integer.toString(i + 1), Integer.toString(i + 1), Integer.toString(i + 1)), counts);
            }
        }
    }

    @Test
    void aFifoHandlerThatStopsAtItsFirstFailureSeesEachGroupHandledOnceInOrder(AwsFixture aws) {
        List<String> handled = new CopyOnWriteArrayList<>();
        Set<String> failedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
        // as Powertools' FIFO batch handler does: at the first failure, the rest of the batch is reported failed unhandled
        RequestHandler<SQSEvent, SQSBatchResponse> function = (event, context) -> {
            List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
            boolean stopped = false;
            for (SQSEvent.SQSMessage m : event.getRecords()) {
                if (!stopped && m.getBody().equals("a-2") && failedOnce.add("a-2")) {
                    stopped = true;
                }
                if (stopped) {
                    failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
                } else {
                    handled.add(m.getBody());
                }
            }
            return new SQSBatchResponse(failures);
        };
        try (DispatchStack shoal = new DispatchStack(aws); SqsFace face = new SqsFace(shoal.engine);
             TargetServer target = TargetServer.start((n, event) -> Reply.ok(
                     new String(JavaRuntime.invoke(function, json(event)), StandardCharsets.UTF_8)))) {
            String url = face.sqs.createQueue(b -> b.queueName("jobs.fifo").attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"))).queueUrl();
            HttpResponse<String> put = face.call("PUT", "/v1/queues/jobs.fifo/subscriptions/default",
                    "{\"retryPolicy\": {\"initialDelay\": \"0s\", \"multiplier\": 1, \"maxDelay\": \"0s\"}, \"push\": {\"target\": \""
                            + target.url() + "\", \"batchSize\": 10, \"maxConcurrency\": 2}}");
            assertEquals(200, put.statusCode(), put.body());
            for (int i = 1; i <= 4; i++) {
                for (String group : List.of("a", "b")) {
                    String body = group + "-" + i;
                    face.sqs.sendMessage(b -> b.queueUrl(url).messageBody(body).messageGroupId(group).messageDeduplicationId("d-" + body));
                }
            }

            shoal.dispatchUntil(Duration.ofSeconds(30), () -> shoal.settled("jobs.fifo", "default") && handled.size() >= 8);

            for (String group : List.of("a", "b")) {
                assertEquals(IntStream.rangeClosed(1, 4).mapToObj(i -> group + "-" + i).toList(),
                        handled.stream().filter(b -> b.startsWith(group)).toList(), "group " + group + ": once each, in order");
            }
            JsonNode a2Again = deliveries(target, "a-2").getLast();
            assertEquals("2", a2Again.path("attributes").path("ApproximateReceiveCount").asText());
            assertEquals("a", a2Again.path("attributes").path("MessageGroupId").asText());
            assertEquals("d-a-2", a2Again.path("attributes").path("MessageDeduplicationId").asText());
            assertTrue(a2Again.path("attributes").path("SequenceNumber").isTextual());
        }
    }

    @Test
    void theEventsReceiptHandlesDeleteAndChangeVisibilityThroughTheSqsFace(AwsFixture aws) {
        List<Exception> sqsErrors = new CopyOnWriteArrayList<>();
        try (DispatchStack shoal = new DispatchStack(aws); SqsFace face = new SqsFace(shoal.engine)) {
            String url = face.sqs.createQueue(b -> b.queueName("orders")).queueUrl();
            // a handler that settles through SQS itself: deletes one message and reports it failed anyway, extends another's lease
            RequestHandler<SQSEvent, SQSBatchResponse> function = (event, context) -> {
                List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
                for (SQSEvent.SQSMessage m : event.getRecords()) {
                    try {
                        if (m.getBody().equals("delete-myself")) {
                            face.sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.getReceiptHandle()));
                            failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
                        } else if (m.getBody().equals("heartbeat")) {
                            face.sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(m.getReceiptHandle()).visibilityTimeout(60));
                        }
                    } catch (RuntimeException e) {
                        sqsErrors.add(e);
                    }
                }
                return new SQSBatchResponse(failures);
            };
            try (TargetServer target = TargetServer.start((n, event) -> Reply.ok(
                    new String(JavaRuntime.invoke(function, json(event)), StandardCharsets.UTF_8)))) {
                HttpResponse<String> put = face.call("PUT", "/v1/queues/orders/subscriptions/default",
                        "{\"retryPolicy\": {\"initialDelay\": \"0s\", \"multiplier\": 1, \"maxDelay\": \"0s\"}, \"push\": {\"target\": \""
                                + target.url() + "\"}}");
                assertEquals(200, put.statusCode(), put.body());
                face.sqs.sendMessage(b -> b.queueUrl(url).messageBody("delete-myself"));
                face.sqs.sendMessage(b -> b.queueUrl(url).messageBody("heartbeat"));

                shoal.dispatchUntil(Duration.ofSeconds(30), () -> shoal.settled("orders", "default"));

                assertEquals(List.of(), sqsErrors, "the SQS face accepted the event's receipt handles");
                assertEquals(1, deliveries(target, "delete-myself").size(), "deleted through SQS, so not retried though reported failed");
                assertEquals(1, deliveries(target, "heartbeat").size());
            }
        }
    }

    @Test
    void anSqsStyleConfigurationIsShownBackAndBadOnesAreRejectedChangingNothing(AwsFixture aws) {
        try (DispatchStack shoal = new DispatchStack(aws); SqsFace face = new SqsFace(shoal.engine)) {
            face.sqs.createQueue(b -> b.queueName("orders"));

            HttpResponse<String> unknownType = face.call("PUT", "/v1/queues/orders/subscriptions/lambda",
                    "{\"push\": {\"target\": \"" + FUNCTION_ARN + "\", \"functionResponseTypes\": [\"ReportBatchItemSuccesses\"]}}");
            HttpResponse<String> twoWindows = face.call("PUT", "/v1/queues/orders/subscriptions/lambda",
                    "{\"push\": {\"target\": \"" + FUNCTION_ARN + "\", \"batchingWindow\": \"5s\", \"maximumBatchingWindowInSeconds\": 5}}");
            HttpResponse<String> badFormat = face.call("PUT", "/v1/queues/orders/subscriptions/lambda",
                    "{\"push\": {\"target\": \"" + FUNCTION_ARN + "\", \"eventFormat\": \"sns\"}}");

            assertEquals(400, unknownType.statusCode());
            assertTrue(unknownType.body().contains("push.functionResponseTypes") && unknownType.body().contains("ReportBatchItemFailures"), unknownType.body());
            assertEquals(400, twoWindows.statusCode());
            assertTrue(twoWindows.body().contains("maximumBatchingWindowInSeconds"), twoWindows.body());
            assertEquals(400, badFormat.statusCode());
            assertTrue(badFormat.body().contains("push.eventFormat") && badFormat.body().contains("'shoal'"), badFormat.body());
            assertEquals(404, face.call("GET", "/v1/queues/orders/subscriptions/lambda", "").statusCode(), "nothing was created");

            HttpResponse<String> created = face.call("PUT", "/v1/queues/orders/subscriptions/lambda", "{\"push\": {\"target\": \""
                    + FUNCTION_ARN + "\", \"batchSize\": 25, \"maximumBatchingWindowInSeconds\": 5, \"functionResponseTypes\": []}}");
            assertEquals(201, created.statusCode(), created.body());
            JsonNode push = parse(face.call("GET", "/v1/queues/orders/subscriptions/lambda", "").body()).path("settings").path("push");
            assertEquals("sqs", push.path("eventFormat").asText(), "the default for a new subscription");
            assertEquals("5s", push.path("batchingWindow").asText());
            assertEquals(25, push.path("batchSize").asInt());
            assertEquals(0, push.path("functionResponseTypes").size());
            PushTarget stored = shoal.engine.describeSubscription("orders", "lambda").settings().push();
            assertEquals(PushTarget.EventFormat.SQS, stored.eventFormat());
            assertEquals(false, stored.reportBatchItemFailures());
        }
    }

    private static LambdaTargetInvoker lambdaInvoker(URI endpoint) {
        return new LambdaTargetInvoker(region -> LambdaClient.builder().region(region).endpointOverride(endpoint)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build());
    }

    /** Every record with this body that reached the target, in order. */
    private static List<JsonNode> deliveries(TargetServer target, String body) {
        return target.requests().stream().flatMap(r -> r.messages().stream()).filter(m -> m.path("body").asText().equals(body)).toList();
    }

    private static byte[] json(JsonNode event) {
        try {
            return TargetServer.JSON.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return TargetServer.JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
