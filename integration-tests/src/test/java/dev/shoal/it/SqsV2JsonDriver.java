package dev.shoal.it;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** The AWS SDK for Java v2 SqsClient (the JSON protocol). */
final class SqsV2JsonDriver implements SqsDriver {

    private final SqsClient sqs;

    SqsV2JsonDriver(URI endpoint) {
        this.sqs = SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(40)).build()).build();
    }

    public String name() {
        return "SDK v2 SqsClient (JSON)";
    }

    public String createQueue(String name, Map<String, String> attributes) {
        return sqs.createQueue(b -> b.queueName(name).attributesWithStrings(attributes)).queueUrl();
    }

    public Sent send(String url, String body, Map<String, String> stringAttributes, String groupId) {
        Map<String, MessageAttributeValue> a = new LinkedHashMap<>();
        stringAttributes.forEach((k, v) -> a.put(k, MessageAttributeValue.builder().dataType("String").stringValue(v).build()));
        var r = sqs.sendMessage(b -> b.queueUrl(url).messageBody(body).messageAttributes(a).messageGroupId(groupId));
        return new Sent(r.messageId(), r.md5OfMessageAttributes(), r.sequenceNumber());
    }

    public List<String> sendBatch(String url, List<String> bodies) {
        var r = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(IntStream.range(0, bodies.size()).mapToObj(i ->
                SendMessageBatchRequestEntry.builder().id("e" + i).messageBody(bodies.get(i)).build()).toList()));
        if (!r.failed().isEmpty()) throw new IllegalStateException(r.failed().toString());
        return r.successful().stream().map(s -> s.messageId()).toList();
    }

    public List<Received> receive(String url, int max, int waitSeconds) {
        return sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(max).waitTimeSeconds(waitSeconds)
                .messageAttributeNames("All").messageSystemAttributeNamesWithStrings("All")).messages().stream().map(m -> {
            Map<String, String> attributes = new LinkedHashMap<>();
            m.messageAttributes().forEach((k, v) -> attributes.put(k, v.stringValue()));
            return new Received(m.messageId(), m.body(), m.receiptHandle(), attributes, m.attributesAsStrings(), m.md5OfMessageAttributes());
        }).toList();
    }

    public void delete(String url, String receipt) {
        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(receipt));
    }

    public int deleteBatch(String url, List<String> receipts) {
        return sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(IntStream.range(0, receipts.size()).mapToObj(i ->
                DeleteMessageBatchRequestEntry.builder().id("d" + i).receiptHandle(receipts.get(i)).build()).toList())).successful().size();
    }

    public void changeVisibility(String url, String receipt, int seconds) {
        sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(receipt).visibilityTimeout(seconds));
    }

    public Map<String, String> attributes(String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("All")).attributesAsStrings();
    }

    public void tag(String url, Map<String, String> tags) {
        sqs.tagQueue(b -> b.queueUrl(url).tags(tags));
    }

    public Map<String, String> tags(String url) {
        return sqs.listQueueTags(b -> b.queueUrl(url)).tags();
    }

    public String errorCodeOfGetQueueUrl(String missingQueue) {
        try {
            sqs.getQueueUrl(b -> b.queueName(missingQueue));
            return null;
        } catch (SqsException e) {
            return e.awsErrorDetails().errorCode();
        }
    }
}
