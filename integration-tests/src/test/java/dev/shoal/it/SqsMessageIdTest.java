package dev.shoal.it;

import dev.shoal.storage.testing.AwsFixture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import static dev.shoal.it.SqsCompatibilityTest.client;
import static dev.shoal.it.SqsCompatibilityTest.receive;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Message ids are UUIDs, as SQS's are and as Spring Cloud AWS parses them, and never repeat across queues or incarnations. */
@EndToEnd
class SqsMessageIdTest {

    @Test
    void messageIdsAreUuidsThatReceivesRepeatAndOtherQueuesAndIncarnationsDoNot(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "test", "test")) {
            String a = sqs.createQueue(b -> b.queueName("ids-a")).queueUrl();
            String other = sqs.createQueue(b -> b.queueName("ids-b")).queueUrl();
            String sentA = sqs.sendMessage(b -> b.queueUrl(a).messageBody("x")).messageId();
            String sentB = sqs.sendMessage(b -> b.queueUrl(other).messageBody("x")).messageId();
            assertEquals(sentA, UUID.fromString(sentA).toString(), "a UUID in its canonical form");
            assertNotEquals(sentA, sentB, "the first message of two queues");

            Message received = receive(sqs, a, 1).getFirst();
            assertEquals(sentA, received.messageId());
            assertFalse(received.attributes().containsKey(MessageSystemAttributeName.SEQUENCE_NUMBER), "standard queues have no SequenceNumber");

            var batch = sqs.sendMessageBatch(b -> b.queueUrl(a).entries(IntStream.range(0, 5).mapToObj(i ->
                    SendMessageBatchRequestEntry.builder().id("e" + i).messageBody("b" + i).build()).toList()));
            Set<String> ids = new HashSet<>();
            batch.successful().forEach(e -> ids.add(UUID.fromString(e.messageId()).toString()));
            assertEquals(5, ids.size());

            sqs.deleteQueue(b -> b.queueUrl(a));
            String again = sqs.createQueue(b -> b.queueName("ids-a")).queueUrl();
            String sentAgain = sqs.sendMessage(b -> b.queueUrl(again).messageBody("x")).messageId();
            assertNotEquals(sentA, sentAgain, "the first message of a queue created again under the same name");
        }
    }

    @Test
    void aDeduplicatedResendReturnsTheOriginalsUuidAndFifoKeepsSequenceNumbers(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "test", "test")) {
            String url = sqs.createQueue(b -> b.queueName("ids.fifo").attributes(Map.of(
                    QueueAttributeName.FIFO_QUEUE, "true", QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true"))).queueUrl();
            var first = sqs.sendMessage(b -> b.queueUrl(url).messageBody("once").messageGroupId("g"));
            var resend = sqs.sendMessage(b -> b.queueUrl(url).messageBody("once").messageGroupId("g"));
            assertEquals(first.messageId(), resend.messageId());
            UUID.fromString(first.messageId());
            assertTrue(first.sequenceNumber() != null && !first.sequenceNumber().isEmpty());
            Message m = receive(sqs, url, 1).getFirst();
            assertEquals(first.messageId(), m.messageId());
            assertEquals(first.sequenceNumber(), m.attributes().get(MessageSystemAttributeName.SEQUENCE_NUMBER));
        }
    }

    @Test
    void anEmptyReceiveAnswersAnEmptyObject(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "test", "test")) {
            String url = sqs.createQueue(b -> b.queueName("empty")).queueUrl();
            var r = new RawSqs(shoal.endpoint()).json("ReceiveMessage", ("{\"QueueUrl\":\"" + url + "\"}").getBytes(StandardCharsets.UTF_8));
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("{}", r.body());
            assertTrue(sqs.receiveMessage(b -> b.queueUrl(url)).messages().isEmpty());
            assertEquals(List.of(), sqs.receiveMessage(b -> b.queueUrl(url)).messages());
        }
    }
}
