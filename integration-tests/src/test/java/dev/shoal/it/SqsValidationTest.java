package dev.shoal.it;

import dev.shoal.storage.testing.AwsFixture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SqsException;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.shoal.it.SqsCompatibilityTest.client;
import static dev.shoal.it.SqsCompatibilityTest.receive;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SQS's refusals, through the v2 SqsClient and hand-made requests: what SQS refuses is refused, and nothing is stored. */
@EndToEnd
class SqsValidationTest {

    @Test
    void fifoDeleteWithAnExpiredReceiptIsRefusedAndTheMessageComesBack(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "test", "test")) {
            String url = sqs.createQueue(b -> b.queueName("expiring.fifo").attributes(Map.of(
                    QueueAttributeName.FIFO_QUEUE, "true", QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true"))).queueUrl();
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("a").messageGroupId("g"));
            // visibility 0: the lease is over as soon as it is granted
            Message first = sqs.receiveMessage(b -> b.queueUrl(url).visibilityTimeout(0)).messages().getFirst();

            SqsException e = assertThrows(SqsException.class, () -> sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(first.receiptHandle())));
            assertEquals("InvalidParameterValue", e.awsErrorDetails().errorCode());
            assertTrue(e.awsErrorDetails().errorMessage().endsWith("Reason: The receipt handle has expired."), e.getMessage());

            Message again = receive(sqs, url, 1).getFirst();
            assertEquals("a", again.body(), "the refused delete deleted nothing");
            DeleteMessageBatchResponse batch = sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(
                    DeleteMessageBatchRequestEntry.builder().id("old").receiptHandle(first.receiptHandle()).build(),
                    DeleteMessageBatchRequestEntry.builder().id("new").receiptHandle(again.receiptHandle()).build()));
            assertEquals("old", batch.failed().getFirst().id());
            assertEquals("InvalidParameterValue", batch.failed().getFirst().code());
            assertEquals("new", batch.successful().getFirst().id());
        }
    }

    @Test
    void standardDeleteWithASupersededReceiptSucceedsAsInSqs(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "test", "test")) {
            String url = sqs.createQueue(b -> b.queueName("superseded")).queueUrl();
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("a"));
            Message first = sqs.receiveMessage(b -> b.queueUrl(url).visibilityTimeout(0)).messages().getFirst();
            Message again = receive(sqs, url, 1).getFirst();
            sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(first.receiptHandle()));
            sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(again.receiptHandle()));
        }
    }

    @Test
    void elevenMessageAttributesAreRefused(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "test", "test")) {
            String url = sqs.createQueue(b -> b.queueName("attributes")).queueUrl();
            Map<String, MessageAttributeValue> eleven = new LinkedHashMap<>();
            for (int i = 0; i < 11; i++) eleven.put("a" + i, string("v"));
            SqsException e = assertThrows(SqsException.class, () -> sqs.sendMessage(b -> b.queueUrl(url).messageBody("x").messageAttributes(eleven)));
            assertEquals("InvalidParameterValue", e.awsErrorDetails().errorCode());
            assertEquals("Number of message attributes [11] exceeds the allowed maximum [10].", e.awsErrorDetails().errorMessage());
            eleven.remove("a10");
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("x").messageAttributes(eleven));
            assertEquals(10, receive(sqs, url, 1).getFirst().messageAttributes().size());
        }
    }

    @Test
    void emptyAndNulCharacterAttributeValuesAreRefusedAndNothingIsStored(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "test", "test")) {
            String url = sqs.createQueue(b -> b.queueName("values")).queueUrl();
            SqsException empty = assertThrows(SqsException.class, () -> sqs.sendMessage(b -> b.queueUrl(url).messageBody("x")
                    .messageAttributes(Map.of("e", string("")))));
            assertEquals("InvalidParameterValue", empty.awsErrorDetails().errorCode());
            assertEquals("Message (user) attribute 'e' must contain a non-empty value of type 'String'.", empty.awsErrorDetails().errorMessage());
            SqsException nul = assertThrows(SqsException.class, () -> sqs.sendMessage(b -> b.queueUrl(url).messageBody("x")
                    .messageAttributes(Map.of("n", string("a\u0000b")))));
            assertEquals("InvalidParameterValue", nul.awsErrorDetails().errorCode());
            assertTrue(nul.awsErrorDetails().errorMessage().contains("#x0"), nul.getMessage());
            assertTrue(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages().isEmpty());
        }
    }

    @Test
    void errorsRepeatAtMostAShortPieceOfTheInput(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "test", "test")) {
            String url = sqs.createQueue(b -> b.queueName("echo")).queueUrl();
            String huge = "A".repeat(100_000);
            SqsException e = assertThrows(SqsException.class, () -> sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(huge)));
            assertEquals("ReceiptHandleIsInvalid", e.awsErrorDetails().errorCode());
            assertTrue(e.awsErrorDetails().errorMessage().length() < 1_000, "an error of " + e.awsErrorDetails().errorMessage().length() + " characters");
        }
    }

    @Test
    void invalidUtf8InABodyIsASerializationErrorNotABadSignature(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "test", "test")) {
            String url = sqs.createQueue(b -> b.queueName("bytes")).queueUrl();
            byte[] prefix = ("{\"QueueUrl\":\"" + url + "\",\"MessageBody\":\"").getBytes(StandardCharsets.UTF_8);
            byte[] body = new byte[prefix.length + 4];
            System.arraycopy(prefix, 0, body, 0, prefix.length);
            body[prefix.length] = (byte) 0xC3; // a lead byte without its continuation
            body[prefix.length + 1] = (byte) 0x28;
            body[prefix.length + 2] = '"';
            body[prefix.length + 3] = '}';
            HttpResponse<String> r = new RawSqs(shoal.endpoint()).json("SendMessage", body);
            assertEquals(400, r.statusCode(), r.body());
            assertTrue(r.body().contains("SerializationException") && r.body().contains("UTF-8"), r.body());
            assertTrue(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages().isEmpty());
        }
    }

    private static MessageAttributeValue string(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
