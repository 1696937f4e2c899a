package dev.shoal.it;

import dev.shoal.storage.testing.AwsFixture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.EmptyBatchRequestException;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;
import software.amazon.awssdk.services.sqs.model.ReceiptHandleIsInvalidException;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;
import software.amazon.awssdk.services.sqs.model.TooManyEntriesInBatchRequestException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The AWS SDK v2 SqsClient, unchanged but for its endpoint, against Shoal's SQS face. The client
 * checks every MD5 it gets back (body and attributes), so passing sends and receives also proves
 * the digests are SQS's.
 */
@EndToEnd
class SqsCompatibilityTest {

    @Test
    void sdkCreatesSendsReceivesChangesVisibilityAndDeletesInBatches(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "test", "test")) {
            String url = sqs.createQueue(b -> b.queueName("orders").attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30"))).queueUrl();
            assertEquals(shoal.endpoint() + "/000000000000/orders", url);
            assertEquals(url, sqs.getQueueUrl(b -> b.queueName("orders")).queueUrl());
            assertTrue(sqs.listQueues(b -> b.queueNamePrefix("ord")).queueUrls().contains(url));

            SendMessageBatchResponse sent = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(IntStream.range(0, 3)
                    .mapToObj(i -> SendMessageBatchRequestEntry.builder().id("m" + i).messageBody("body " + i)
                            .messageAttributes(Map.of(
                                    "index", MessageAttributeValue.builder().dataType("Number").stringValue(Integer.toString(i)).build(),
                                    "tag", MessageAttributeValue.builder().dataType("String").stringValue("t" + i).build(),
                                    "raw", MessageAttributeValue.builder().dataType("Binary").binaryValue(
                                            software.amazon.awssdk.core.SdkBytes.fromByteArray(new byte[]{1, 2, (byte) i})).build()))
                            .build()).toList()));
            assertEquals(3, sent.successful().size(), sent.failed().toString());

            List<Message> received = receive(sqs, url, 3);
            Message first = received.getFirst();
            assertTrue(first.body().startsWith("body "));
            assertEquals("t" + first.messageAttributes().get("index").stringValue(), first.messageAttributes().get("tag").stringValue());
            assertEquals("1", first.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));
            assertTrue(first.attributes().containsKey(MessageSystemAttributeName.SENT_TIMESTAMP));

            sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(first.receiptHandle()).visibilityTimeout(0));
            Message again = receive(sqs, url, 1).getFirst();
            assertEquals(first.body(), again.body());
            assertEquals("2", again.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));

            List<Message> all = new ArrayList<>(received.subList(1, 3));
            all.add(again);
            var changed = sqs.changeMessageVisibilityBatch(b -> b.queueUrl(url).entries(all.stream().map(m ->
                    ChangeMessageVisibilityBatchRequestEntry.builder().id("c" + all.indexOf(m)).receiptHandle(m.receiptHandle())
                            .visibilityTimeout(60).build()).toList()));
            assertEquals(3, changed.successful().size(), changed.failed().toString());

            DeleteMessageBatchResponse deleted = sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(all.stream().map(m ->
                    DeleteMessageBatchRequestEntry.builder().id("d" + all.indexOf(m)).receiptHandle(m.receiptHandle()).build()).toList()));
            assertEquals(3, deleted.successful().size(), deleted.failed().toString());

            assertTrue(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages().isEmpty(),
                    "deleted messages came back");
            // approximate counts, as in SQS: they settle shortly after the deletes
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                Map<QueueAttributeName, String> counts = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
                return counts.values().stream().allMatch("0"::equals);
            });
            Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url)
                    .attributeNames(QueueAttributeName.ALL)).attributes();
            assertEquals("30", attributes.get(QueueAttributeName.VISIBILITY_TIMEOUT));
            assertEquals("arn:aws:sqs:us-east-1:000000000000:orders", attributes.get(QueueAttributeName.QUEUE_ARN));
        }
    }

    @Test
    void longPollReturnsAMessageSentWhileWaiting(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "test", "test")) {
            String url = sqs.createQueue(b -> b.queueName("waiting")).queueUrl();
            CompletableFuture<ReceiveMessageResponse> poll = CompletableFuture.supplyAsync(() ->
                    sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(10).maxNumberOfMessages(1)));
            await().pollDelay(Duration.ofMillis(300)).until(() -> true);
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("worth the wait"));
            assertEquals("worth the wait", poll.join().messages().getFirst().body());
        }
    }

    @Test
    void fifoQueueKeepsGroupOrderAndDeduplicatesByContent(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "test", "test")) {
            String url = sqs.createQueue(b -> b.queueName("jobs.fifo").attributes(Map.of(
                    QueueAttributeName.FIFO_QUEUE, "true", QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true"))).queueUrl();
            var r1 = sqs.sendMessage(b -> b.queueUrl(url).messageBody("first").messageGroupId("g"));
            var dup = sqs.sendMessage(b -> b.queueUrl(url).messageBody("first").messageGroupId("g"));
            assertEquals(r1.messageId(), dup.messageId());
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("second").messageGroupId("g"));

            // one at a time: a receive may return several messages of a group, in order
            Message m1 = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(1)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages().getFirst();
            assertEquals("first", m1.body());
            assertEquals("g", m1.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID));
            assertTrue(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages().isEmpty(),
                    "the group is blocked while its first message is in flight");
            sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m1.receiptHandle()));
            assertEquals("second", receive(sqs, url, 1).getFirst().body());
        }
    }

    @Test
    void redrivePolicyMovesAMessageToTheDeadLetterQueue(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "test", "test")) {
            String dlq = sqs.createQueue(b -> b.queueName("dead")).queueUrl();
            String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            String url = sqs.createQueue(b -> b.queueName("work").attributes(Map.of(
                    QueueAttributeName.VISIBILITY_TIMEOUT, "0",
                    QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"1\"}"))).queueUrl();
            assertEquals("{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":1}",
                    sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.REDRIVE_POLICY))
                            .attributes().get(QueueAttributeName.REDRIVE_POLICY));
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("poison"));
            assertEquals("poison", receive(sqs, url, 1).getFirst().body());
            // visibility 0: the next receive would be delivery 2 > maxReceiveCount, so it moves instead
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10));
                return !sqs.receiveMessage(b -> b.queueUrl(dlq).maxNumberOfMessages(1)).messages().isEmpty();
            });
        }
    }

    @Test
    void purgeEmptiesTheQueueAndDeletedQueuesAreReportedMissing(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "test", "test")) {
            String url = sqs.createQueue(b -> b.queueName("temp")).queueUrl();
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("x"));
            sqs.purgeQueue(b -> b.queueUrl(url));
            assertTrue(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages().isEmpty());
            sqs.setQueueAttributes(b -> b.queueUrl(url).attributes(Map.of(QueueAttributeName.DELAY_SECONDS, "5")));
            assertEquals("5", sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.DELAY_SECONDS))
                    .attributes().get(QueueAttributeName.DELAY_SECONDS));
            sqs.deleteQueue(b -> b.queueUrl(url));
            QueueDoesNotExistException e = assertThrows(QueueDoesNotExistException.class, () -> sqs.getQueueUrl(b -> b.queueName("temp")));
            assertEquals("AWS.SimpleQueueService.NonExistentQueue", e.awsErrorDetails().errorCode());
        }
    }

    @Test
    void createQueueIsIdempotentAndRefusesOtherAttributesAndListQueuesPages(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "test", "test")) {
            Map<QueueAttributeName, String> attributes = Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "45");
            String url = sqs.createQueue(b -> b.queueName("same").attributes(attributes)).queueUrl();
            assertEquals(url, sqs.createQueue(b -> b.queueName("same").attributes(attributes)).queueUrl());
            assertEquals(url, sqs.createQueue(b -> b.queueName("same")).queueUrl(), "no attributes given: nothing to disagree with");
            assertThrows(QueueNameExistsException.class, () -> sqs.createQueue(b -> b.queueName("same")
                    .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "46"))));

            sqs.createQueue(b -> b.queueName("same-2"));
            sqs.createQueue(b -> b.queueName("same-3"));
            var page1 = sqs.listQueues(b -> b.queueNamePrefix("same").maxResults(2));
            assertEquals(2, page1.queueUrls().size());
            var page2 = sqs.listQueues(b -> b.queueNamePrefix("same").maxResults(2).nextToken(page1.nextToken()));
            assertEquals(List.of(shoal.endpoint() + "/000000000000/same-3"), page2.queueUrls());
            assertTrue(page2.nextToken() == null);
        }
    }

    @Test
    void sqsErrorsArriveAsTheSdksModeledExceptions(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "test", "test")) {
            String url = sqs.createQueue(b -> b.queueName("errors")).queueUrl();
            assertThrows(EmptyBatchRequestException.class, () -> sqs.sendMessageBatch(b -> b.queueUrl(url).entries(List.of())));
            assertThrows(TooManyEntriesInBatchRequestException.class, () -> sqs.sendMessageBatch(b -> b.queueUrl(url).entries(
                    IntStream.range(0, 11).mapToObj(i -> SendMessageBatchRequestEntry.builder().id("e" + i).messageBody("x").build()).toList())));
            assertThrows(ReceiptHandleIsInvalidException.class, () -> sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle("forged")));
            DeleteMessageBatchResponse batch = sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(
                    DeleteMessageBatchRequestEntry.builder().id("a").receiptHandle("forged-too").build()));
            BatchResultErrorEntry failed = batch.failed().getFirst();
            assertEquals("ReceiptHandleIsInvalid", failed.code());
            assertTrue(failed.senderFault());
            SqsException badAttribute = assertThrows(SqsException.class, () -> sqs.createQueue(b -> b.queueName("bad")
                    .attributesWithStrings(Map.of("VisibilityTimeout", "99999"))));
            assertEquals("InvalidAttributeValue", badAttribute.awsErrorDetails().errorCode());
            assertTrue(badAttribute.getMessage().contains("VisibilityTimeout"), badAttribute.getMessage());
        }
    }

    @Test
    void wrongSecretIsRejectedWithSignatureDoesNotMatch(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "test", "not-the-secret")) {
            SqsException e = assertThrows(SqsException.class, () -> sqs.listQueues());
            assertEquals(403, e.statusCode());
            assertEquals("SignatureDoesNotMatch", e.awsErrorDetails().errorCode());
        }
    }

    @Test
    void unknownAccessKeyIsRejectedWithInvalidClientTokenId(AwsFixture aws) {
        try (ShoalServer shoal = ShoalServer.start(aws); SqsClient sqs = client(shoal, "stranger", "test")) {
            SqsException e = assertThrows(SqsException.class, () -> sqs.createQueue(b -> b.queueName("nope")));
            assertEquals(403, e.statusCode());
            assertEquals("InvalidClientTokenId", e.awsErrorDetails().errorCode());
        }
    }

    static SqsClient client(ShoalServer shoal, String accessKey, String secretKey) {
        return SqsClient.builder()
                .endpointOverride(shoal.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(40)).build())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD))
                .build();
    }

    static List<Message> receive(SqsClient sqs, String url, int n) {
        List<Message> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            got.addAll(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .messageAttributeNames("All").messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages());
            return got.size() >= n;
        });
        return got;
    }
}
