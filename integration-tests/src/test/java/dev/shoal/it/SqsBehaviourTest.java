package dev.shoal.it;

import dev.shoal.storage.testing.AwsFixture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.PurgeQueueInProgressException;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static dev.shoal.it.SqsCompatibilityTest.client;
import static dev.shoal.it.SqsCompatibilityTest.receive;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Behaviours where SQS's documented answer is the reference, each through the v2 SqsClient. */
@EndToEnd
class SqsBehaviourTest {

    @Test
    void booleansAreCaseInsensitiveAndFifoOnlyAttributesAreUnknownOnStandardQueues(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "test", "test")) {
            String fifo = sqs.createQueue(b -> b.queueName("bools.fifo").attributesWithStrings(Map.of(
                    "FifoQueue", "True", "ContentBasedDeduplication", "TRUE"))).queueUrl();
            assertEquals("true", sqs.getQueueAttributes(b -> b.queueUrl(fifo).attributeNames(QueueAttributeName.CONTENT_BASED_DEDUPLICATION))
                    .attributes().get(QueueAttributeName.CONTENT_BASED_DEDUPLICATION));
            SqsException e = assertThrows(SqsException.class, () -> sqs.createQueue(b -> b.queueName("plain")
                    .attributesWithStrings(Map.of("ContentBasedDeduplication", "false"))));
            assertEquals("InvalidAttributeName", e.awsErrorDetails().errorCode());
            assertEquals("Unknown Attribute ContentBasedDeduplication.", e.awsErrorDetails().errorMessage());
        }
    }

    @Test
    void theBatchingWindowIsShoalsOwnAttributeSetAndReadByNameAndOutsideAll(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "test", "test")) {
            String url = sqs.createQueue(b -> b.queueName("dial").attributesWithStrings(Map.of("ShoalBatchWindowMillis", "20"))).queueUrl();
            assertEquals("20", sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("ShoalBatchWindowMillis"))
                    .attributesAsStrings().get("ShoalBatchWindowMillis"));
            assertFalse(attributes(sqs, url).containsKey("ShoalBatchWindowMillis"), "All is what SQS returns");
            sqs.setQueueAttributes(b -> b.queueUrl(url).attributesWithStrings(Map.of("ShoalBatchWindowMillis", "0")));
            assertEquals("0", sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("ShoalBatchWindowMillis"))
                    .attributesAsStrings().get("ShoalBatchWindowMillis"));
            SqsException bad = assertThrows(SqsException.class, () -> sqs.setQueueAttributes(b -> b.queueUrl(url)
                    .attributesWithStrings(Map.of("ShoalBatchWindowMillis", "5000"))));
            assertEquals("InvalidAttributeValue", bad.awsErrorDetails().errorCode());
            assertTrue(bad.awsErrorDetails().errorMessage().contains("ShoalBatchWindowMillis"), bad.awsErrorDetails().errorMessage());
        }
    }

    @Test
    void theMessagesThatCloseTheBatchingWindowAreShoalsOwnAttributeToo(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "test", "test")) {
            String url = sqs.createQueue(b -> b.queueName("flushes").attributesWithStrings(Map.of("ShoalBatchWindowMessages", "200"))).queueUrl();
            assertEquals("200", sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("ShoalBatchWindowMessages"))
                    .attributesAsStrings().get("ShoalBatchWindowMessages"));
            assertFalse(attributes(sqs, url).containsKey("ShoalBatchWindowMessages"), "All is what SQS returns");
            SqsException bad = assertThrows(SqsException.class, () -> sqs.setQueueAttributes(b -> b.queueUrl(url)
                    .attributesWithStrings(Map.of("ShoalBatchWindowMessages", "0"))));
            assertEquals("InvalidAttributeValue", bad.awsErrorDetails().errorCode());
            assertTrue(bad.awsErrorDetails().errorMessage().contains("between 1 and 10000"), bad.awsErrorDetails().errorMessage());
        }
    }

    @Test
    void encryptionAndPolicyAttributesAreAcceptedStoredAndReturned(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "test", "test")) {
            String url = sqs.createQueue(b -> b.queueName("secure")).queueUrl();
            assertEquals("true", attributes(sqs, url).get("SqsManagedSseEnabled"), "SQS-managed encryption is SQS's default");
            String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sqs:SendMessage\",\"Resource\":\"*\"}]}";
            sqs.setQueueAttributes(b -> b.queueUrl(url).attributesWithStrings(Map.of("KmsMasterKeyId", "alias/aws/sqs",
                    "KmsDataKeyReusePeriodSeconds", "600", "Policy", policy)));
            Map<String, String> a = attributes(sqs, url);
            assertEquals("alias/aws/sqs", a.get("KmsMasterKeyId"));
            assertEquals("600", a.get("KmsDataKeyReusePeriodSeconds"));
            assertEquals("false", a.get("SqsManagedSseEnabled"));
            assertEquals(policy, a.get("Policy"));
            SqsException bad = assertThrows(SqsException.class, () -> sqs.setQueueAttributes(b -> b.queueUrl(url)
                    .attributesWithStrings(Map.of("Policy", "not json"))));
            assertEquals("InvalidAttributeValue", bad.awsErrorDetails().errorCode());
        }
    }

    @Test
    void receiveMessageWaitTimeSecondsIsTheDefaultWaitOfAReceive(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "test", "test")) {
            String url = sqs.createQueue(b -> b.queueName("patient").attributesWithStrings(Map.of("ReceiveMessageWaitTimeSeconds", "10"))).queueUrl();
            assertEquals("10", attributes(sqs, url).get("ReceiveMessageWaitTimeSeconds"));
            CompletableFuture<ReceiveMessageResponse> poll = CompletableFuture.supplyAsync(() -> sqs.receiveMessage(b -> b.queueUrl(url)));
            await().pollDelay(Duration.ofMillis(500)).until(() -> true);
            assertFalse(poll.isDone(), "a receive without WaitTimeSeconds waits as the queue says");
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("late"));
            assertEquals("late", poll.join().messages().getFirst().body());
        }
    }

    @Test
    void aRedrivePolicyNamingTheQueueItselfIsAccepted(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "test", "test")) {
            String url = sqs.createQueue(b -> b.queueName("ouroboros")).queueUrl();
            String arn = attributes(sqs, url).get("QueueArn");
            String policy = "{\"deadLetterTargetArn\":\"" + arn + "\",\"maxReceiveCount\":3}";
            sqs.setQueueAttributes(b -> b.queueUrl(url).attributesWithStrings(Map.of("RedrivePolicy", policy)));
            assertEquals(policy, attributes(sqs, url).get("RedrivePolicy"));
        }
    }

    @Test
    void aSecondPurgeWithinSixtySecondsIsInProgress(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "test", "test")) {
            String url = sqs.createQueue(b -> b.queueName("purged")).queueUrl();
            sqs.purgeQueue(b -> b.queueUrl(url));
            PurgeQueueInProgressException e = assertThrows(PurgeQueueInProgressException.class, () -> sqs.purgeQueue(b -> b.queueUrl(url)));
            assertEquals("Only one PurgeQueue operation on purged is allowed every 60 seconds.", e.awsErrorDetails().errorMessage());
        }
    }

    @Test
    void aBatchWithOneBadEntryAnswersTheOthersAndLeavesFailedOutWhenNoneFailed(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "test", "test")) {
            String url = sqs.createQueue(b -> b.queueName("partial")).queueUrl();
            var sent = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(
                    SendMessageBatchRequestEntry.builder().id("good").messageBody("fine").build(),
                    SendMessageBatchRequestEntry.builder().id("bad").messageBody("x").delaySeconds(9999).build()));
            assertEquals(List.of("good"), sent.successful().stream().map(s -> s.id()).toList());
            assertEquals("bad", sent.failed().getFirst().id());
            assertEquals("InvalidParameterValue", sent.failed().getFirst().code());

            var raw = new RawSqs(shoal.endpoint()).json("SendMessageBatch", ("{\"QueueUrl\":\"" + url
                    + "\",\"Entries\":[{\"Id\":\"a\",\"MessageBody\":\"b\"}]}").getBytes(StandardCharsets.UTF_8));
            assertEquals(200, raw.statusCode(), raw.body());
            assertFalse(raw.body().contains("Failed"), raw.body());
            var deleted = new RawSqs(shoal.endpoint()).json("DeleteMessageBatch", ("{\"QueueUrl\":\"" + url
                    + "\",\"Entries\":[{\"Id\":\"no-receipt\"}]}").getBytes(StandardCharsets.UTF_8));
            assertEquals(200, deleted.statusCode(), deleted.body());
            assertTrue(deleted.body().contains("MissingParameter"), deleted.body());
        }
    }

    @Test
    void attributeFiltersStarAllAndPrefixSelectWhatSqsSelects(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "test", "test")) {
            String url = sqs.createQueue(b -> b.queueName("filters")).queueUrl();
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("x").messageAttributes(Map.of(
                    "order.id", string("1"), "order.kind", string("k"), "trace", string("t"))));
            assertEquals(Set.of("order.id", "order.kind", "trace"), receivedAttributes(sqs, url, "*"));
            assertEquals(Set.of("order.id", "order.kind", "trace"), receivedAttributes(sqs, url, "All"));
            assertEquals(Set.of("order.id", "order.kind"), receivedAttributes(sqs, url, "order.*"));
            assertEquals(Set.of("trace"), receivedAttributes(sqs, url, "trace"));
        }
    }

    @Test
    void theTraceHeaderIsKeptAsTheAwsTraceHeaderSystemAttribute(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "test", "test")) {
            String url = sqs.createQueue(b -> b.queueName("traced")).queueUrl();
            String trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("x").messageSystemAttributes(Map.of(MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
                    MessageSystemAttributeValue.builder().dataType("String").stringValue(trace).build())));
            Message m = receive(sqs, url, 1).getFirst();
            assertEquals(trace, m.attributes().get(MessageSystemAttributeName.AWS_TRACE_HEADER));
            assertTrue(m.messageAttributes().isEmpty(), "the trace header is no message attribute: " + m.messageAttributes());
        }
    }

    @Test
    void contentBasedDeduplicationReportsTheBodysSha256AsTheDeduplicationId(AwsFixture aws) throws Exception {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "test", "test")) {
            String url = sqs.createQueue(b -> b.queueName("content.fifo").attributesWithStrings(Map.of(
                    "FifoQueue", "true", "ContentBasedDeduplication", "true"))).queueUrl();
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("same body").messageGroupId("g"));
            Message m = receive(sqs, url, 1).getFirst();
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest("same body".getBytes(StandardCharsets.UTF_8)));
            assertEquals(sha, m.attributes().get(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID));
        }
    }

    @Test
    void deadLettersKeepTheirReceiveCountNameTheirSourceAndTheirAttributesDigest(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "test", "test")) {
            String dlq = sqs.createQueue(b -> b.queueName("graveyard")).queueUrl();
            String dlqArn = attributes(sqs, dlq).get("QueueArn");
            String url = sqs.createQueue(b -> b.queueName("fragile").attributesWithStrings(Map.of("VisibilityTimeout", "0",
                    "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"1\"}"))).queueUrl();
            String sourceArn = attributes(sqs, url).get("QueueArn");
            var sent = sqs.sendMessage(b -> b.queueUrl(url).messageBody("poison").messageAttributes(Map.of("k", string("v"))));
            receive(sqs, url, 1);
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10));
                return attributes(sqs, dlq).get("ApproximateNumberOfMessages").equals("1");
            });
            Message dead = receive(sqs, dlq, 1).getFirst();
            assertEquals(sourceArn, dead.attributes().get(MessageSystemAttributeName.DEAD_LETTER_QUEUE_SOURCE_ARN));
            assertEquals("2", dead.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT), "one receive in the source, one here");
            assertEquals(Set.of("k"), dead.messageAttributes().keySet());
            assertEquals(sent.md5OfMessageAttributes(), dead.md5OfMessageAttributes());
            java.util.UUID.fromString(dead.messageId());
        }
    }

    private static Set<String> receivedAttributes(SqsClient sqs, String url, String filter) {
        Message[] got = new Message[1];
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<Message> m = sqs.receiveMessage(b -> b.queueUrl(url).visibilityTimeout(0).waitTimeSeconds(1).messageAttributeNames(filter)).messages();
            if (m.isEmpty()) return false;
            got[0] = m.getFirst();
            return true;
        });
        return got[0].messageAttributes().keySet();
    }

    private static Map<String, String> attributes(SqsClient sqs, String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("All")).attributesAsStrings();
    }

    private static MessageAttributeValue string(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
