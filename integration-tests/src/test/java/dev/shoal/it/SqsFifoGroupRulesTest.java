package dev.shoal.it;

import dev.shoal.storage.testing.AwsFixture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SqsException;

import java.util.List;
import java.util.Map;

import static dev.shoal.it.SqsCompatibilityTest.client;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** FIFO queues through the unchanged AWS SDK: SQS's group rules and high-throughput mode. */
@EndToEnd
class SqsFifoGroupRulesTest {

    @Test
    void aShortPollReturnsAnotherGroupsMessageWhileOneGroupIsInFlight(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "test", "test")) {
            String url = sqs.createQueue(b -> b.queueName("jobs.fifo").attributes(Map.of(
                    QueueAttributeName.FIFO_QUEUE, "true", QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true"))).queueUrl();
            for (int i = 0; i < 3; i++) {
                int n = i;
                sqs.sendMessage(b -> b.queueUrl(url).messageBody("busy " + n).messageGroupId("busy"));
            }
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("other").messageGroupId("other"));
            assertEquals("busy 0", sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(1).waitTimeSeconds(0)).messages().getFirst().body());

            List<Message> next = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(1).waitTimeSeconds(0)).messages();
            assertEquals(List.of("other"), next.stream().map(Message::body).toList());
        }
    }

    @Test
    void highThroughputAttributesAreAcceptedReportedAndHonoured(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "test", "test")) {
            String url = sqs.createQueue(b -> b.queueName("fast.fifo").attributes(Map.of(
                    QueueAttributeName.FIFO_QUEUE, "true",
                    QueueAttributeName.DEDUPLICATION_SCOPE, "messageGroup",
                    QueueAttributeName.FIFO_THROUGHPUT_LIMIT, "perMessageGroupId"))).queueUrl();
            Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url)
                    .attributeNames(QueueAttributeName.DEDUPLICATION_SCOPE, QueueAttributeName.FIFO_THROUGHPUT_LIMIT)).attributes();
            assertEquals("messageGroup", attributes.get(QueueAttributeName.DEDUPLICATION_SCOPE));
            assertEquals("perMessageGroupId", attributes.get(QueueAttributeName.FIFO_THROUGHPUT_LIMIT));

            String a = sqs.sendMessage(b -> b.queueUrl(url).messageBody("a").messageGroupId("g1").messageDeduplicationId("same")).messageId();
            String b2 = sqs.sendMessage(b -> b.queueUrl(url).messageBody("b").messageGroupId("g2").messageDeduplicationId("same")).messageId();
            assertNotEquals(a, b2, "deduplication is per group");
            assertEquals(a, sqs.sendMessage(b -> b.queueUrl(url).messageBody("a").messageGroupId("g1").messageDeduplicationId("same")).messageId());

            // back to the default scope: perMessageGroupId alone is refused, as SQS does
            SqsException refused = org.junit.jupiter.api.Assertions.assertThrows(SqsException.class, () -> sqs.setQueueAttributes(b -> b.queueUrl(url)
                    .attributes(Map.of(QueueAttributeName.DEDUPLICATION_SCOPE, "queue"))));
            assertEquals("InvalidAttributeValue", refused.awsErrorDetails().errorCode());
            assertTrue(refused.getMessage().contains("FifoThroughputLimit"), refused.getMessage());
            sqs.setQueueAttributes(b -> b.queueUrl(url).attributes(Map.of(
                    QueueAttributeName.DEDUPLICATION_SCOPE, "queue", QueueAttributeName.FIFO_THROUGHPUT_LIMIT, "perQueue")));
            assertEquals("queue", sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.DEDUPLICATION_SCOPE))
                    .attributes().get(QueueAttributeName.DEDUPLICATION_SCOPE));
        }
    }

    @Test
    void highThroughputAttributesAreRefusedOnStandardQueuesAndWithUnknownValues(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "test", "test")) {
            SqsException standard = org.junit.jupiter.api.Assertions.assertThrows(SqsException.class, () -> sqs.createQueue(b -> b.queueName("plain")
                    .attributes(Map.of(QueueAttributeName.DEDUPLICATION_SCOPE, "messageGroup"))));
            assertEquals("InvalidAttributeName", standard.awsErrorDetails().errorCode());
            SqsException spelling = org.junit.jupiter.api.Assertions.assertThrows(SqsException.class, () -> sqs.createQueue(b -> b.queueName("x.fifo")
                    .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true", QueueAttributeName.FIFO_THROUGHPUT_LIMIT, "perGroup"))));
            assertEquals("InvalidAttributeValue", spelling.awsErrorDetails().errorCode());
            assertTrue(spelling.getMessage().contains("perQueue or perMessageGroupId"), spelling.getMessage());
        }
    }
}
