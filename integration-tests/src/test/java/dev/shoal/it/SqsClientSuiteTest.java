package dev.shoal.it;

import dev.shoal.storage.testing.AwsFixture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One behaviour suite, run against every SQS client library: send, receive, delete, batches,
 * visibility, attributes, FIFO, dead letters, tags and errors. Each client talks to a real Shoal
 * over a real socket, changed only in its endpoint.
 */
@EndToEnd
class SqsClientSuiteTest {

    static Stream<Arguments> clients() {
        return Stream.of(
                Arguments.of("SDK v2 SqsClient (JSON)", (Function<URI, SqsDriver>) SqsV2JsonDriver::new),
                Arguments.of("SDK v1 AmazonSQSClient", (Function<URI, SqsDriver>) SqsV1Driver::new),
                Arguments.of("query protocol", (Function<URI, SqsDriver>) SqsQueryDriver::new));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void sendReceiveChangeVisibilityAndDeleteWithAttributes(String client, Function<URI, SqsDriver> driver, AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws)) {
            SqsDriver sqs = driver.apply(shoal.endpoint());
            String url = sqs.createQueue("suite", Map.of("VisibilityTimeout", "30"));
            SqsDriver.Sent sent = sqs.send(url, "hello", Map.of("kind", "greeting", "lang", "en"), null);
            UUID.fromString(sent.id());
            SqsDriver.Received m = receiveOne(sqs, url);
            assertEquals(sent.id(), m.id());
            assertEquals("hello", m.body());
            assertEquals(Map.of("kind", "greeting", "lang", "en"), m.attributes());
            assertEquals(sent.md5Attributes(), m.md5Attributes());
            assertEquals("1", m.system().get("ApproximateReceiveCount"));

            sqs.changeVisibility(url, m.receipt(), 0);
            SqsDriver.Received again = receiveOne(sqs, url);
            assertEquals("2", again.system().get("ApproximateReceiveCount"));
            sqs.delete(url, again.receipt());
            assertTrue(sqs.receive(url, 10, 1).isEmpty(), client + ": a deleted message came back");
            assertEquals("30", sqs.attributes(url).get("VisibilityTimeout"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void batchesSendAndDeleteDistinctUuids(String client, Function<URI, SqsDriver> driver, AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws)) {
            SqsDriver sqs = driver.apply(shoal.endpoint());
            String url = sqs.createQueue("suite-batch", Map.of());
            List<String> ids = sqs.sendBatch(url, List.of("a", "b", "c"));
            assertEquals(3, new HashSet<>(ids).size());
            List<SqsDriver.Received> got = receiveAll(sqs, url, 3);
            assertEquals(new HashSet<>(ids), new HashSet<>(got.stream().map(SqsDriver.Received::id).toList()));
            assertEquals(3, sqs.deleteBatch(url, got.stream().map(SqsDriver.Received::receipt).toList()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void fifoKeepsOrderAndDeduplicates(String client, Function<URI, SqsDriver> driver, AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws)) {
            SqsDriver sqs = driver.apply(shoal.endpoint());
            String url = sqs.createQueue("suite.fifo", Map.of("FifoQueue", "true", "ContentBasedDeduplication", "true"));
            SqsDriver.Sent first = sqs.send(url, "1", Map.of(), "g");
            assertEquals(first.id(), sqs.send(url, "1", Map.of(), "g").id(), "a duplicate gets the original's id");
            sqs.send(url, "2", Map.of(), "g");
            SqsDriver.Received one = receiveOne(sqs, url);
            assertEquals("1", one.body());
            assertEquals(first.sequence(), one.system().get("SequenceNumber"));
            assertEquals("g", one.system().get("MessageGroupId"));
            sqs.delete(url, one.receipt());
            assertEquals("2", receiveOne(sqs, url).body());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void deadLettersArriveWithTheirSourceAndTagsAndErrorsAreSqss(String client, Function<URI, SqsDriver> driver, AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws)) {
            SqsDriver sqs = driver.apply(shoal.endpoint());
            String dlq = sqs.createQueue("suite-dlq", Map.of());
            String dlqArn = sqs.attributes(dlq).get("QueueArn");
            String url = sqs.createQueue("suite-work", Map.of("VisibilityTimeout", "0",
                    "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"1\"}"));
            sqs.send(url, "poison", Map.of("k", "v"), null);
            receiveOne(sqs, url);
            List<SqsDriver.Received> dead = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                sqs.receive(url, 10, 0);
                dead.addAll(sqs.receive(dlq, 1, 0));
                return !dead.isEmpty();
            });
            assertEquals(sqs.attributes(url).get("QueueArn"), dead.getFirst().system().get("DeadLetterQueueSourceArn"));
            assertEquals(Map.of("k", "v"), dead.getFirst().attributes());

            sqs.tag(url, Map.of("team", "core"));
            assertEquals(Map.of("team", "core"), sqs.tags(url));
            assertEquals("AWS.SimpleQueueService.NonExistentQueue", sqs.errorCodeOfGetQueueUrl("no-such-queue"));
        }
    }

    private static SqsDriver.Received receiveOne(SqsDriver sqs, String url) {
        return receiveAll(sqs, url, 1).getFirst();
    }

    private static List<SqsDriver.Received> receiveAll(SqsDriver sqs, String url, int n) {
        List<SqsDriver.Received> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            got.addAll(sqs.receive(url, n - got.size(), 1));
            return got.size() >= n;
        });
        return got;
    }
}
