package dev.shoal.client;

import dev.shoal.client.consumer.ShoalConsumer;
import dev.shoal.client.producer.ShoalProducer;
import dev.shoal.client.testing.TestStack;
import dev.shoal.storage.api.MessageId;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import dev.shoal.storage.testing.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The examples of docs/sdk.md, compiled and run: keep the two in step. */
@ExtendWith(EmbeddedAwsExtension.class)
class SdkExamplesTest {

    // ---- docs/sdk.md: "Send"

    static MessageId send(URI endpoint) throws Exception {
        try (ShoalClient client = ShoalClient.builder()
                .endpoint(endpoint)                  // the API's URL; region from the host or AWS_REGION
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
             ShoalProducer producer = ShoalProducer.builder(client)
                     .linger(Duration.ofMillis(10))  // wait up to 10 ms to fill a batch
                     .build()) {
            client.createQueue("orders");
            CompletableFuture<MessageId> id = producer.send("orders", NewMessage.builder()
                    .body("{\"order\": 42}")
                    .attribute("type", "created")
                    .build());
            return id.get();                        // completes when the batch is committed
        }                                           // close() delivers anything still pending
    }

    // ---- docs/sdk.md: "Consume with a handler"

    static void consume(ShoalClient client, Set<String> seen) {
        try (ShoalConsumer consumer = ShoalConsumer.builder(client, "orders", message -> {
                    seen.add(message.bodyAsString());  // return = ack; throw = nack, retried with backoff
                })
                .maxConcurrency(20)                  // messages held at once
                .waitTime(Duration.ofSeconds(1))     // long polling
                .build()
                .start()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() == 1);
        }                                           // close(): finishes handlers, flushes acks, releases the rest
    }

    // ---- docs/sdk.md: "FIFO"

    static List<String> fifo(ShoalClient client) throws Exception {
        client.createQueue("payments.fifo", QueueSettings.builder().fifo(true).build());
        try (ShoalProducer producer = ShoalProducer.builder(client).build()) {
            for (int i = 1; i <= 3; i++) {
                producer.send("payments.fifo", NewMessage.builder()
                        .body("step " + i)
                        .groupId("account-7")               // ordered within the group
                        .dedupId("account-7-step-" + i)     // a duplicate within 5 minutes returns the original id
                        .build());
            }
        }
        List<String> handled = new CopyOnWriteArrayList<>();
        try (ShoalConsumer consumer = ShoalConsumer.builder(client, "payments.fifo",
                m -> handled.add(m.bodyAsString())).waitTime(Duration.ofSeconds(1)).build().start()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> handled.size() == 3);
        }
        return handled;                                     // one group: one at a time, in order
    }

    // ---- docs/sdk.md: "Direct mode"

    static ReceivedMessage direct(DynamoDbClient dynamo, S3Client s3, String tablesPrefix, String bucket, byte[] receiptSecret) {
        DirectConfig config = DirectConfig.builder()
                .dynamo(dynamo).s3(s3)                      // your clients, your IAM permissions
                .tablesPrefix(tablesPrefix).bucket(bucket)  // the deployment's tables and bucket
                .receiptSecret(receiptSecret)               // the deployment's receipt secret
                .build();
        try (ShoalClient client = ShoalClient.builder().direct(config).build()) {
            client.createQueue("videos", QueueSettings.builder().maxMessageBytes(64L * 1024 * 1024).build());
            client.produce("videos", List.of(NewMessage.builder().body(new byte[40 * 1024 * 1024]).build()));
            return client.receive(ReceiveMessagesRequest.builder().queue("videos").maxMessages(1).build()).getFirst();
        }
    }

    @Test
    void sendExample(AwsFixture aws) throws Exception {
        try (TestStack stack = TestStack.start(aws, TestStack.Kind.HTTP)) {
            assertEquals(new MessageId(0, 0), send(stack.endpoint()));
        }
    }

    @Test
    void consumeExample(AwsFixture aws) {
        try (TestStack stack = TestStack.start(aws, TestStack.Kind.HTTP); ShoalClient client = stack.client()) {
            client.createQueue("orders");
            client.produce("orders", List.of(NewMessage.of("hello")));
            Set<String> seen = ConcurrentHashMap.newKeySet();
            consume(client, seen);
            assertEquals(Set.of("hello"), seen);
        }
    }

    @Test
    void fifoExample(AwsFixture aws) throws Exception {
        try (TestStack stack = TestStack.start(aws, TestStack.Kind.DIRECT); ShoalClient client = stack.client()) {
            assertEquals(List.of("step 1", "step 2", "step 3"), fifo(client));
        }
    }

    @Test
    void directExample(AwsFixture aws) {
        ReceivedMessage m = direct(aws.dynamo(), aws.s3(), aws.tables().prefix(), aws.bucket(), TestEngines.SECRET);
        assertEquals(40 * 1024 * 1024, m.body().length);
        assertEquals(Map.of(), m.attributes());
    }
}
