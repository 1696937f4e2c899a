package dev.shoal.it;

import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder;
import com.amazonaws.services.sqs.AmazonSQS;
import com.amazonaws.services.sqs.AmazonSQSClientBuilder;
import com.amazonaws.services.sqs.model.AmazonSQSException;
import com.amazonaws.services.sqs.model.DeleteMessageBatchRequestEntry;
import com.amazonaws.services.sqs.model.Message;
import com.amazonaws.services.sqs.model.MessageAttributeValue;
import com.amazonaws.services.sqs.model.QueueDoesNotExistException;
import com.amazonaws.services.sqs.model.ReceiveMessageRequest;
import com.amazonaws.services.sqs.model.SendMessageBatchRequestEntry;
import com.amazonaws.services.sqs.model.SendMessageRequest;
import dev.shoal.storage.testing.AwsFixture;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The AWS SDK for Java v1 AmazonSQSClient, unchanged but for its endpoint. It signs user-agent
 * (which SDK v2 never does) and checks every MD5 it gets back.
 */
@EndToEnd
class SqsSdkV1Test {

    @Test
    void v1ClientSendsReceivesAndDeletesWithAttributesInAnyRegion(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws)) {
            AmazonSQS sqs = client(shoal, "eu-central-1");
            String url = sqs.createQueue("v1-orders").getQueueUrl();
            var sent = sqs.sendMessage(new SendMessageRequest(url, "hello v1")
                    .addMessageAttributesEntry("n", new MessageAttributeValue().withDataType("Number").withStringValue("7"))
                    .addMessageAttributesEntry("b", new MessageAttributeValue().withDataType("Binary").withBinaryValue(ByteBuffer.wrap(new byte[]{9}))));
            UUID.fromString(sent.getMessageId());
            sqs.sendMessageBatch(url, List.of(new SendMessageBatchRequestEntry("a", "one"), new SendMessageBatchRequestEntry("b", "two")));

            List<Message> got = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                got.addAll(sqs.receiveMessage(new ReceiveMessageRequest(url).withMaxNumberOfMessages(10).withWaitTimeSeconds(1)
                        .withMessageAttributeNames("All").withAttributeNames("All")).getMessages());
                return got.size() >= 3;
            });
            Message hello = got.stream().filter(m -> m.getBody().equals("hello v1")).findFirst().orElseThrow();
            assertEquals(sent.getMessageId(), hello.getMessageId());
            assertEquals("7", hello.getMessageAttributes().get("n").getStringValue());
            assertTrue(sqs.getQueueAttributes(url, List.of("QueueArn")).getAttributes().get("QueueArn").startsWith("arn:aws:sqs:eu-central-1:"));

            sqs.deleteMessage(url, hello.getReceiptHandle());
            var deleted = sqs.deleteMessageBatch(url, got.stream().filter(m -> m != hello)
                    .map(m -> new DeleteMessageBatchRequestEntry(m.getBody(), m.getReceiptHandle())).toList());
            assertEquals(2, deleted.getSuccessful().size());
            sqs.deleteQueue(url);
            assertThrows(QueueDoesNotExistException.class, () -> sqs.getQueueUrl("v1-orders"));
        }
    }

    @Test
    void v1ClientSigningUserAgentIsAcceptedInTheConfiguredRegion(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws)) {
            AmazonSQS sqs = client(shoal, "us-east-1");
            String url = sqs.createQueue("v1-plain").getQueueUrl();
            assertEquals(List.of(url), sqs.listQueues("v1-pl").getQueueUrls());
        }
    }

    @Test
    void v1ClientWithAWrongSecretIsRefused(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws)) {
            AmazonSQS sqs = AmazonSQSClientBuilder.standard()
                    .withEndpointConfiguration(new AwsClientBuilder.EndpointConfiguration(shoal.endpoint().toString(), "us-east-1"))
                    .withCredentials(new AWSStaticCredentialsProvider(new BasicAWSCredentials("test", "wrong")))
                    .withClientConfiguration(new com.amazonaws.ClientConfiguration().withMaxErrorRetry(0)) // v1 retries signature errors as clock skew
                    .build();
            AmazonSQSException e = assertThrows(AmazonSQSException.class, sqs::listQueues);
            assertEquals(403, e.getStatusCode());
            assertEquals("SignatureDoesNotMatch", e.getErrorCode());
        }
    }

    static AmazonSQS client(ShoalServer shoal, String region) {
        return AmazonSQSClientBuilder.standard()
                .withEndpointConfiguration(new AwsClientBuilder.EndpointConfiguration(shoal.endpoint().toString(), region))
                .withCredentials(new AWSStaticCredentialsProvider(new BasicAWSCredentials("test", "test")))
                .build();
    }
}
