package dev.shoal.it;

import dev.shoal.storage.testing.AwsFixture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sqs.model.SqsException;

import java.time.Duration;
import java.util.Map;

import static dev.shoal.it.SqsCompatibilityTest.client;
import static dev.shoal.it.SqsCompatibilityTest.receive;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Message move tasks (the console's "redrive"), over the engine's redrive, through the v2 SqsClient. */
@EndToEnd
class SqsMessageMoveTaskTest {

    @Test
    void aMoveTaskReturnsDeadLettersToTheirSourceAndCompletes(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "test", "test")) {
            String dlq = sqs.createQueue(b -> b.queueName("moves-dlq")).queueUrl();
            String dlqArn = arn(sqs, dlq);
            String url = sqs.createQueue(b -> b.queueName("moves").attributesWithStrings(Map.of("VisibilityTimeout", "0",
                    "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"1\"}"))).queueUrl();
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("again"));
            receive(sqs, url, 1);
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10));
                return count(sqs, dlq) == 1;
            });
            // dead-letter less eagerly, so that the message stays once it is back
            sqs.setQueueAttributes(b -> b.queueUrl(url).attributesWithStrings(Map.of("VisibilityTimeout", "30",
                    "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"10\"}")));

            String handle = sqs.startMessageMoveTask(b -> b.sourceArn(dlqArn)).taskHandle();
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    sqs.listMessageMoveTasks(b -> b.sourceArn(dlqArn)).results().getFirst().status().equals("COMPLETED"));
            ListMessageMoveTasksResultEntry done = sqs.listMessageMoveTasks(b -> b.sourceArn(dlqArn)).results().getFirst();
            assertEquals(1L, done.approximateNumberOfMessagesMoved());
            assertEquals(dlqArn, done.sourceArn());
            Message back = receive(sqs, url, 1).getFirst();
            assertEquals("again", back.body());
            assertThrows(ResourceNotFoundException.class, () -> sqs.cancelMessageMoveTask(b -> b.taskHandle(handle)),
                    "a completed task cannot be cancelled");
        }
    }

    @Test
    void aMoveTaskNeedsADeadLetterQueueAndMovesToTheDestinationGiven(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "test", "test")) {
            String plain = sqs.createQueue(b -> b.queueName("not-a-dlq")).queueUrl();
            SqsException e = assertThrows(SqsException.class, () -> sqs.startMessageMoveTask(b -> b.sourceArn(arn(sqs, plain))));
            assertEquals("Source queue must be configured as a Dead Letter Queue.", e.awsErrorDetails().errorMessage());

            String dlq = sqs.createQueue(b -> b.queueName("parked")).queueUrl();
            sqs.createQueue(b -> b.queueName("parked-source").attributesWithStrings(Map.of(
                    "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + arn(sqs, dlq) + "\",\"maxReceiveCount\":\"3\"}")));
            String target = sqs.createQueue(b -> b.queueName("elsewhere")).queueUrl();
            for (int i = 0; i < 3; i++) {
                int n = i;
                sqs.sendMessage(b -> b.queueUrl(dlq).messageBody("m" + n));
            }
            sqs.startMessageMoveTask(b -> b.sourceArn(arn(sqs, dlq)).destinationArn(arn(sqs, target)).maxNumberOfMessagesPerSecond(50));
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    sqs.listMessageMoveTasks(b -> b.sourceArn(arn(sqs, dlq))).results().getFirst().status().equals("COMPLETED"));
            assertEquals(3, receive(sqs, target, 3).size());
        }
    }

    private static String arn(SqsClient sqs, String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    private static long count(SqsClient sqs, String url) {
        return Long.parseLong(sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }
}
