package dev.shoal.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.it.NativeClient.Response;
import dev.shoal.storage.testing.AwsFixture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SqsException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A sweep of bad requests: each gets a 4xx with a stable code and a message that names the
 * field and what is allowed, and none of them changes anything (the queue's settings, its
 * counts and its one message are the same afterwards).
 */
@EndToEnd
class BadInputSweepTest {

    /** One bad request and what must come back; {@code field} null when the whole request is at fault. */
    record Case(String name, String method, String path, byte[] body, int status, String code, String field, String mentions) {
        static Case of(String name, String method, String path, String body, int status, String code, String field, String mentions) {
            return new Case(name, method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), status, code, field, mentions);
        }
    }

    static List<Case> nativeCases() {
        String msg = "{\"messages\": [{\"body\": \"x\"}]}";
        List<Case> c = new ArrayList<>();
        c.add(Case.of("malformed JSON", "POST", "/v1/queues/q/messages", "{\"messages\": [", 400, "MalformedJson", null, "not valid JSON"));
        c.add(Case.of("not an object", "POST", "/v1/queues/q/messages", "[1, 2]", 400, "MalformedJson", null, "JSON object"));
        c.add(Case.of("empty produce body", "POST", "/v1/queues/q/messages", null, 400, "MalformedJson", null, "JSON body"));
        c.add(Case.of("unknown top-level field", "POST", "/v1/queues/q/messages", "{\"messages\": [{\"body\": \"x\"}], \"priority\": 1}",
                400, "UnknownField", "priority", "allowed here"));
        c.add(Case.of("unknown nested field", "POST", "/v1/queues/q/messages", "{\"messages\": [{\"body\": \"x\", \"colour\": \"red\"}]}",
                400, "UnknownField", "messages[0].colour", "bodyBase64"));
        c.add(Case.of("misspelt setting", "PUT", "/v1/queues/q", "{\"visibilityTimout\": \"10s\"}", 400, "UnknownField", "visibilityTimout", "visibilityTimeout"));
        c.add(Case.of("text where a number goes", "POST", "/v1/queues/q/receive", "{\"maxMessages\": \"ten\"}", 400, "InvalidRequest", "maxMessages", "integer"));
        c.add(Case.of("duplicate field", "POST", "/v1/queues/q/receive", "{\"maxMessages\": 1, \"maxMessages\": 2}", 400, "MalformedJson", null, "maxMessages"));
        c.add(Case.of("batch of 1001", "POST", "/v1/queues/q/messages", "{\"messages\": [" + IntStream.range(0, 1001)
                .mapToObj(i -> "{\"body\": \"x\"}").collect(Collectors.joining(",")) + "]}", 400, "InvalidRequest", "messages", "1000"));
        c.add(Case.of("empty batch", "POST", "/v1/queues/q/messages", "{\"messages\": []}", 400, "InvalidRequest", "messages", "1 to 1000"));
        c.add(Case.of("message over the queue's maxMessageBytes", "POST", "/v1/queues/q/messages",
                "{\"messages\": [{\"body\": \"" + "x".repeat(2048) + "\"}]}", 400, "InvalidRequest", null, "1024"));
        c.add(Case.of("invalid queue name", "PUT", "/v1/queues/bad!name", "", 400, "InvalidRequest", "queue", "1-80 characters"));
        c.add(Case.of("queue name too long", "PUT", "/v1/queues/" + "a".repeat(81), "", 400, "InvalidRequest", "queue", "1-80 characters"));
        c.add(Case.of(".fifo name on a standard queue", "PUT", "/v1/queues/x.fifo", "{\"fifo\": false}", 400, "InvalidRequest", "queue", ".fifo"));
        c.add(Case.of("visibility over 12h", "PUT", "/v1/queues/q", "{\"visibilityTimeout\": \"13h\"}", 400, "InvalidRequest", "visibilityTimeout", "between 0s and 12h"));
        c.add(Case.of("zero partitions", "PUT", "/v1/queues/q", "{\"partitions\": 0}", 400, "InvalidRequest", "partitions", "between 1 and 256"));
        c.add(Case.of("retention under a minute", "PUT", "/v1/queues/q", "{\"retention\": \"30s\"}", 400, "InvalidRequest", "retention", "1m"));
        c.add(Case.of("duration without a unit", "PUT", "/v1/queues/q", "{\"visibilityTimeout\": \"30\"}", 400, "InvalidRequest", "visibilityTimeout", "\"30s\""));
        c.add(Case.of("multiplier over 10", "PUT", "/v1/queues/q", "{\"retryPolicy\": {\"multiplier\": 11}}", 400, "InvalidRequest", "retryPolicy.multiplier", "between 1 and 10"));
        c.add(Case.of("dead letter without maxReceiveCount", "PUT", "/v1/queues/q", "{\"deadLetter\": {\"queue\": \"dlq\"}}", 400, "InvalidRequest", "deadLetter.maxReceiveCount", "1 to 1000"));
        c.add(Case.of("content dedup on a standard queue", "PUT", "/v1/queues/q", "{\"contentBasedDeduplication\": true}", 400, "InvalidRequest", "contentBasedDeduplication", "FIFO"));
        c.add(Case.of("long poll over 20s", "POST", "/v1/queues/q/receive", "{\"waitTime\": \"25s\"}", 400, "InvalidRequest", "waitTime", "20s"));
        c.add(Case.of("receive over 1000", "POST", "/v1/queues/q/receive", "{\"maxMessages\": 1001}", 400, "InvalidRequest", "maxMessages", "between 1 and 1000"));
        c.add(Case.of("forged receipt", "POST", "/v1/queues/q/ack", "{\"receipts\": [\"forged-receipt\"]}", 400, null, null, "receipt"));
        c.add(Case.of("no receipts", "POST", "/v1/queues/q/ack", "{\"receipts\": []}", 400, "InvalidRequest", "receipts", "1 to 1000"));
        c.add(Case.of("nack delay over 12h", "POST", "/v1/queues/q/nack", "{\"entries\": [{\"receipt\": \"r\", \"delay\": \"13h\"}]}", 400, "InvalidRequest", "delay", "12h"));
        c.add(Case.of("visibility change without timeout", "POST", "/v1/queues/q/visibility", "{\"entries\": [{\"receipt\": \"r\"}]}", 400, "InvalidRequest", "entries[0].visibilityTimeout", "required"));
        c.add(Case.of("reserved attribute name", "POST", "/v1/queues/q/messages", "{\"messages\": [{\"body\": \"x\", \"attributes\": {\"shoal.source\": {\"type\": \"String\", \"value\": \"v\"}}}]}",
                400, "InvalidRequest", "messages[0].attributes.shoal.source", "reserved"));
        c.add(Case.of("unknown attribute type", "POST", "/v1/queues/q/messages", "{\"messages\": [{\"body\": \"x\", \"attributes\": {\"a\": {\"type\": \"Integer\", \"value\": \"1\"}}}]}",
                400, "InvalidRequest", "messages[0].attributes.a.type", "String, Number or Binary"));
        c.add(Case.of("number attribute that is not a number", "POST", "/v1/queues/q/messages", "{\"messages\": [{\"body\": \"x\", \"attributes\": {\"n\": {\"type\": \"Number\", \"value\": \"abc\"}}}]}",
                400, "InvalidRequest", "messages[0].attributes.n.value", "number"));
        c.add(Case.of("51 attributes", "POST", "/v1/queues/q/messages", "{\"messages\": [{\"body\": \"x\", \"attributes\": {" + IntStream.range(0, 51)
                .mapToObj(i -> "\"a" + i + "\": {\"type\": \"String\", \"value\": \"v\"}").collect(Collectors.joining(",")) + "}}]}",
                400, "InvalidRequest", "messages[0].attributes", "at most 50"));
        c.add(Case.of("body and bodyBase64", "POST", "/v1/queues/q/messages", "{\"messages\": [{\"body\": \"x\", \"bodyBase64\": \"eA==\"}]}", 400, "InvalidRequest", "messages[0]", "not both"));
        c.add(Case.of("invalid base64", "POST", "/v1/queues/q/messages", "{\"messages\": [{\"bodyBase64\": \"***\"}]}", 400, "InvalidRequest", "messages[0].bodyBase64", "base64"));
        c.add(Case.of("no body at all", "POST", "/v1/queues/q/messages", "{\"messages\": [{}]}", 400, "InvalidRequest", "messages[0].body", "required"));
        c.add(Case.of("group id with a space", "POST", "/v1/queues/q/messages", "{\"messages\": [{\"body\": \"x\", \"groupId\": \"a b\"}]}", 400, "InvalidRequest", "messages[0].groupId", "printable"));
        c.add(Case.of("message delay over 12h", "POST", "/v1/queues/q/messages", "{\"messages\": [{\"body\": \"x\", \"delay\": \"1d\"}]}", 400, "InvalidRequest", "messages[0].delay", "12h"));
        c.add(Case.of("seek with two targets", "POST", "/v1/queues/q/seek", "{\"to\": \"earliest\", \"time\": \"2026-01-01T00:00:00Z\"}", 400, "InvalidRequest", "to", "exactly one"));
        c.add(Case.of("seek to a bad time", "POST", "/v1/queues/q/seek", "{\"time\": \"yesterday\"}", 400, "InvalidRequest", "time", "ISO-8601"));
        c.add(Case.of("invalid subscription name", "PUT", "/v1/queues/q/subscriptions/no%20spaces", "", 400, "InvalidRequest", "subscription", "1-80 characters"));
        c.add(Case.of("redrive beyond the time budget", "POST", "/v1/queues/q/redrive", "{\"maxMessages\": 10000, \"maxPerSecond\": 1}", 400, "InvalidRequest", "maxMessages", "call again"));
        c.add(Case.of("unknown query parameter", "GET", "/v1/queues?prefx=a", null, 400, "UnknownField", "prefx", "prefix"));
        c.add(Case.of("query parameter on a route that takes none", "POST", "/v1/queues/q/receive?wait=20", "{}", 400, "UnknownField", "wait", "takes none"));
        c.add(Case.of("unknown route", "POST", "/v1/queues/q/explode", msg, 404, "RouteNotFound", null, "docs/api.md"));
        c.add(Case.of("wrong method", "DELETE", "/v1/queues/q/messages", null, 405, "MethodNotAllowed", null, "GET, POST"));
        c.add(Case.of("missing queue", "POST", "/v1/queues/nowhere/messages", msg, 404, "QueueNotFound", null, "nowhere"));
        return c;
    }

    @Test
    void everyBadNativeRequestGetsAClear4xxAndChangesNothing(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws)) {
            NativeClient c = shoal.client();
            Checks.expectStatus(201, c.put("/v1/queues/q", "{\"maxMessageBytes\": 1024}"));
            NativeApiTest.produce(c, "q", "original");
            JsonNode before = c.get("/v1/queues/q").json();

            List<String> failures = new ArrayList<>();
            for (Case k : nativeCases()) {
                check(k, c.send(k.method(), k.path(), k.body()), failures);
            }
            // over the payload limit: refused before the body is read
            byte[] huge = ("{\"messages\": [{\"body\": \"" + "x".repeat(6 * 1024 * 1024) + "\"}]}").getBytes(StandardCharsets.UTF_8);
            check(new Case("body over 6 MiB", "POST", "/v1/queues/q/messages", huge, 413, "PayloadTooLarge", null, "direct mode"),
                    c.send("POST", "/v1/queues/q/messages", huge), failures);
            if (!failures.isEmpty()) {
                fail(failures.size() + " bad requests were not refused as expected:\n" + String.join("\n", failures));
            }

            JsonNode after = c.get("/v1/queues/q").json();
            assertEquals(before.path("settings"), after.path("settings"), "settings changed");
            assertEquals(List.of("q"), Checks.texts(c.get("/v1/queues").json().path("queues")), "a queue was created");
            assertEquals(List.of("original"), Checks.bodies(NativeApiTest.receiveAll(c, "/v1/queues/q", 1)));
            assertTrue(c.post("/v1/queues/q/receive", "{\"maxMessages\": 10, \"waitTime\": \"1s\"}").json().path("messages").isEmpty(),
                    "a bad produce wrote something");
        }
    }

    private static void check(Case k, Response r, List<String> failures) {
        List<String> problems = new ArrayList<>();
        if (r.status() != k.status()) problems.add("status " + r.status() + " (want " + k.status() + ")");
        if (k.code() != null && !k.code().equals(r.code())) problems.add("code " + r.code() + " (want " + k.code() + ")");
        if (k.field() != null && !k.field().equals(r.field())) problems.add("field " + r.field() + " (want " + k.field() + ")");
        if (r.message().isBlank()) problems.add("no message");
        if (k.mentions() != null && !r.message().contains(k.mentions())) problems.add("message does not mention '" + k.mentions() + "'");
        if (k.field() != null && !r.message().contains(k.field())) problems.add("message does not name the field");
        if (!problems.isEmpty()) failures.add(k.name() + ": " + String.join(", ", problems) + " -> " + abbreviate(r.text()));
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    @Test
    void everyBadSqsRequestGetsSqsErrorAndChangesNothing(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = SqsCompatibilityTest.client(shoal, "test", "test")) {
            String url = sqs.createQueue(b -> b.queueName("q")).queueUrl();
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("original"));
            Map<QueueAttributeName, String> before = settings(sqs, url);

            List<String> failures = new ArrayList<>();
            expectSqsError(failures, sqs, "InvalidParameterValue", "MaxNumberOfMessages", s -> s.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(11)));
            expectSqsError(failures, sqs, "InvalidParameterValue", "WaitTimeSeconds", s -> s.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(21)));
            expectSqsError(failures, sqs, "InvalidParameterValue", "DelaySeconds", s -> s.sendMessage(b -> b.queueUrl(url).messageBody("x").delaySeconds(901)));
            expectSqsError(failures, sqs, "InvalidMessageContents", "#x1", s -> s.sendMessage(b -> b.queueUrl(url).messageBody("bad \u0001 char")));
            expectSqsError(failures, sqs, "MissingParameter", "MessageBody", s -> s.sendMessage(b -> b.queueUrl(url).messageBody("")));
            expectSqsError(failures, sqs, "InvalidAttributeValue", "ReceiveMessageWaitTimeSeconds", s -> s.setQueueAttributes(b -> b.queueUrl(url)
                    .attributesWithStrings(Map.of("ReceiveMessageWaitTimeSeconds", "21"))));
            expectSqsError(failures, sqs, "InvalidAttributeValue", "MessageRetentionPeriod", s -> s.setQueueAttributes(b -> b.queueUrl(url)
                    .attributesWithStrings(Map.of("MessageRetentionPeriod", "10"))));
            expectSqsError(failures, sqs, "InvalidAttributeValue", "Policy", s -> s.setQueueAttributes(b -> b.queueUrl(url)
                    .attributesWithStrings(Map.of("Policy", "not a policy"))));
            expectSqsError(failures, sqs, "InvalidAttributeName", "ContentBasedDeduplication", s -> s.setQueueAttributes(b -> b.queueUrl(url)
                    .attributesWithStrings(Map.of("ContentBasedDeduplication", "true"))));
            expectSqsError(failures, sqs, "InvalidAttributeValue", "RedrivePolicy", s -> s.setQueueAttributes(b -> b.queueUrl(url)
                    .attributesWithStrings(Map.of("RedrivePolicy", "{\"deadLetterTargetArn\":\"not-an-arn\",\"maxReceiveCount\":3}"))));
            expectSqsError(failures, sqs, "InvalidParameterValue", "QueueName", s -> s.createQueue(b -> b.queueName("bad name!")));
            expectSqsError(failures, sqs, "ReceiptHandleIsInvalid", "receipt", s -> s.changeMessageVisibility(b -> b.queueUrl(url)
                    .receiptHandle("forged").visibilityTimeout(10)));
            expectSqsError(failures, sqs, "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", "a", s -> s.deleteMessageBatch(b -> b.queueUrl(url).entries(
                    e -> e.id("a").receiptHandle("r1"), e -> e.id("a").receiptHandle("r2"))));
            expectSqsError(failures, sqs, "AWS.SimpleQueueService.InvalidBatchEntryId", "batch entry id", s -> s.deleteMessageBatch(b -> b.queueUrl(url).entries(
                    e -> e.id("no spaces allowed").receiptHandle("r1"))));
            expectSqsError(failures, sqs, "AWS.SimpleQueueService.BatchRequestTooLong", "bytes", s -> s.sendMessageBatch(b -> b.queueUrl(url).entries(
                    IntStream.range(0, 3).mapToObj(i -> software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry.builder()
                            .id("e" + i).messageBody("x".repeat(400 * 1024)).build()).toList())));
            if (!failures.isEmpty()) {
                fail(String.join("\n", failures));
            }
            assertEquals(before, settings(sqs, url));
            assertEquals(List.of("q"), sqs.listQueues().queueUrls().stream().map(u -> u.substring(u.lastIndexOf('/') + 1)).toList());
            var got = SqsCompatibilityTest.receive(sqs, url, 1);
            assertEquals("original", got.getFirst().body());
            assertEquals(1, got.size());
        }
    }

    private static Map<QueueAttributeName, String> settings(SqsClient sqs, String url) {
        Map<QueueAttributeName, String> all = new java.util.TreeMap<>(sqs.getQueueAttributes(b -> b.queueUrl(url)
                .attributeNames(QueueAttributeName.ALL)).attributes());
        all.keySet().removeIf(k -> k.toString().startsWith("Approximate"));
        return all;
    }

    private static void expectSqsError(List<String> failures, SqsClient sqs, String code, String mentions, Consumer<SqsClient> call) {
        try {
            call.accept(sqs);
            failures.add(code + ": the call succeeded");
        } catch (SqsException e) {
            String got = e.awsErrorDetails().errorCode();
            if (!code.equals(got) || e.statusCode() / 100 != 4 || !e.getMessage().contains(mentions)) {
                failures.add(code + ": got " + e.statusCode() + " " + got + " '" + e.getMessage() + "' (want it to mention '" + mentions + "')");
            }
        }
    }
}
