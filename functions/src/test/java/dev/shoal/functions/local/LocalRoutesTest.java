package dev.shoal.functions.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.functions.api.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launcher's local-only routes, over a real socket: the usage meter, the rates, the console's files. */
class LocalRoutesTest {

    @TempDir
    static Path data;
    static LocalLauncher launcher;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        launcher = LocalLauncher.start(LauncherOptions.defaults().withPort(0).withDataDir(data));
    }

    @AfterAll
    static void stop() {
        launcher.close();
    }

    @Test
    void usageCountsWhatAwsWouldBillForTheTrafficAndWhatSqsWouldBillForTheSameCalls() throws Exception {
        JsonNode before = json(call("GET", "/local/usage", null));
        assertEquals(201, call("PUT", "/v1/queues/metered", "").statusCode());
        // one small body and one that does not compress: the segment is too big to ride in its log entry, so S3 is billed too
        String incompressible = java.util.Base64.getEncoder().encodeToString(new java.util.Random(5).ints(8192).collect(
                java.io.ByteArrayOutputStream::new, (out, i) -> out.write(i), (a, b) -> a.writeBytes(b.toByteArray())).toByteArray());
        assertEquals(200, call("POST", "/v1/queues/metered/messages",
                "{\"messages\":[{\"body\":\"a\"},{\"body\":\"" + incompressible + "\"}]}").statusCode());
        JsonNode received = json(call("POST", "/v1/queues/metered/receive", "{\"maxMessages\":10}"));
        assertEquals(2, received.path("messages").size());
        String receipts = "[\"" + received.path("messages").get(0).path("receipt").asText() + "\",\""
                + received.path("messages").get(1).path("receipt").asText() + "\"]";
        assertEquals(200, call("POST", "/v1/queues/metered/ack", "{\"receipts\":" + receipts + "}").statusCode());

        JsonNode after = json(call("GET", "/local/usage", null));
        assertTrue(after.path("s3").path("PutObject").asLong() > before.path("s3").path("PutObject").asLong(), after.toString());
        assertTrue(after.path("dynamodb").path("writeUnits").asDouble() > before.path("dynamodb").path("writeUnits").asDouble());
        assertTrue(after.path("dynamodb").path("readUnits").asDouble() > before.path("dynamodb").path("readUnits").asDouble());
        JsonNode usd = after.path("usd");
        assertEquals(usd.path("s3").asDouble() + usd.path("dynamodb").asDouble(), usd.path("total").asDouble(), 1e-12);
        assertTrue(usd.path("total").asDouble() > 0);
        // create, produce (2 messages: one SendMessageBatch), receive, ack (one DeleteMessageBatch)
        assertEquals(4, after.path("sqs").path("requests").asLong() - before.path("sqs").path("requests").asLong());
        assertEquals(0, after.path("sqs").path("fifoRequests").asLong());
        assertEquals(after.path("sqs").path("requests").asLong() * 0.40 / 1e6, after.path("sqs").path("usd").asDouble(), 1e-12);

        assertEquals(201, call("PUT", "/v1/queues/metered.fifo", "").statusCode());
        assertEquals(200, call("POST", "/v1/queues/metered.fifo/messages", "{\"messages\":[{\"body\":\"f\",\"groupId\":\"g\",\"dedupId\":\"d1\"}]}").statusCode());
        JsonNode sqs = json(call("GET", "/local/usage", null)).path("sqs");
        long fifo = sqs.path("fifoRequests").asLong();
        assertEquals(2, fifo, "calls on a FIFO queue are priced as SQS FIFO's");
        assertEquals((sqs.path("requests").asLong() - fifo) * 0.40 / 1e6 + fifo * 0.50 / 1e6, sqs.path("usd").asDouble(), 1e-12);

        JsonNode rates = json(call("GET", "/local/rates", null)).path("queues").path("metered");
        assertEquals(2, sum(rates.path("produced")));
        assertEquals(2, sum(rates.path("acked")));
        assertEquals(TrafficMeter.BUCKETS, rates.path("produced").size());

        String line = launcher.usage().summary();
        assertTrue(line.contains("would cost on AWS $") && line.contains("Amazon SQS would bill $"), line);
    }

    @Test
    void sqsFaceCallsAreCountedAsTheSqsRequestsTheyAreAndMoveTheirQueuesRates() throws Exception {
        try (SqsClient sqs = SqsClient.builder()
                .endpointOverride(launcher.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
            long before = json(call("GET", "/local/usage", null)).path("sqs").path("requests").asLong();
            String url = sqs.createQueue(b -> b.queueName("via-sqs")).queueUrl();
            sqs.sendMessageBatch(b -> b.queueUrl(url).entries(
                    IntStream.range(0, 3).mapToObj(i -> SendMessageBatchRequestEntry.builder().id("m" + i).messageBody("b" + i).build()).toList()));
            var received = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages();
            assertEquals(3, received.size());
            sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(received.stream()
                    .map(m -> DeleteMessageBatchRequestEntry.builder().id(m.messageId().replace('-', '_')).receiptHandle(m.receiptHandle()).build())
                    .toList()));

            long after = json(call("GET", "/local/usage", null)).path("sqs").path("requests").asLong();
            assertEquals(4, after - before, "create, one SendMessageBatch, one ReceiveMessage, one DeleteMessageBatch");
            JsonNode rates = json(call("GET", "/local/rates", null)).path("queues").path("via-sqs");
            assertEquals(3, sum(rates.path("produced")));
            assertEquals(3, sum(rates.path("acked")));
        }
    }

    @Test
    void theConsoleIsServedAtTheRootAndUnknownLocalRoutesAreNamed() throws Exception {
        HttpResponse<String> page = call("GET", "/", null);
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("content-type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("<title>Shoal"), page.body());
        assertEquals(200, call("GET", "/console/console.js", null).statusCode());
        assertEquals(404, call("GET", "/console/../pom.xml", null).statusCode());
        HttpResponse<String> unknown = call("GET", "/local/nothing", null);
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("GET /local/usage"), unknown.body());
        assertEquals(405, call("POST", "/local/usage", "{}").statusCode());
    }

    private static long sum(JsonNode array) {
        long n = 0;
        for (JsonNode v : array) n += v.asLong();
        return n;
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        assertEquals(200, r.statusCode(), r.body());
        return Json.MAPPER.readTree(r.body());
    }

    private static HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(launcher.endpoint() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
