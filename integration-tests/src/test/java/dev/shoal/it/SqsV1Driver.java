package dev.shoal.it;

import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder;
import com.amazonaws.services.sqs.AmazonSQS;
import com.amazonaws.services.sqs.AmazonSQSClientBuilder;
import com.amazonaws.services.sqs.model.AmazonSQSException;
import com.amazonaws.services.sqs.model.CreateQueueRequest;
import com.amazonaws.services.sqs.model.DeleteMessageBatchRequestEntry;
import com.amazonaws.services.sqs.model.MessageAttributeValue;
import com.amazonaws.services.sqs.model.ReceiveMessageRequest;
import com.amazonaws.services.sqs.model.SendMessageBatchRequestEntry;
import com.amazonaws.services.sqs.model.SendMessageRequest;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** The AWS SDK for Java v1 AmazonSQSClient (signs user-agent; checks every MD5). */
final class SqsV1Driver implements SqsDriver {

    private final AmazonSQS sqs;

    SqsV1Driver(URI endpoint) {
        this.sqs = AmazonSQSClientBuilder.standard()
                .withEndpointConfiguration(new AwsClientBuilder.EndpointConfiguration(endpoint.toString(), "us-east-1"))
                .withCredentials(new AWSStaticCredentialsProvider(new BasicAWSCredentials("test", "test"))).build();
    }

    public String name() {
        return "SDK v1 AmazonSQSClient";
    }

    public String createQueue(String name, Map<String, String> attributes) {
        return sqs.createQueue(new CreateQueueRequest(name).withAttributes(attributes)).getQueueUrl();
    }

    public Sent send(String url, String body, Map<String, String> stringAttributes, String groupId) {
        SendMessageRequest r = new SendMessageRequest(url, body).withMessageGroupId(groupId);
        stringAttributes.forEach((k, v) -> r.addMessageAttributesEntry(k, new MessageAttributeValue().withDataType("String").withStringValue(v)));
        var out = sqs.sendMessage(r);
        return new Sent(out.getMessageId(), out.getMD5OfMessageAttributes(), out.getSequenceNumber());
    }

    public List<String> sendBatch(String url, List<String> bodies) {
        var r = sqs.sendMessageBatch(url, IntStream.range(0, bodies.size()).mapToObj(i -> new SendMessageBatchRequestEntry("e" + i, bodies.get(i))).toList());
        if (!r.getFailed().isEmpty()) throw new IllegalStateException(r.getFailed().toString());
        return r.getSuccessful().stream().map(s -> s.getMessageId()).toList();
    }

    public List<Received> receive(String url, int max, int waitSeconds) {
        return sqs.receiveMessage(new ReceiveMessageRequest(url).withMaxNumberOfMessages(max).withWaitTimeSeconds(waitSeconds)
                .withMessageAttributeNames("All").withAttributeNames("All")).getMessages().stream().map(m -> {
            Map<String, String> attributes = new LinkedHashMap<>();
            m.getMessageAttributes().forEach((k, v) -> attributes.put(k, v.getStringValue()));
            return new Received(m.getMessageId(), m.getBody(), m.getReceiptHandle(), attributes, m.getAttributes(), m.getMD5OfMessageAttributes());
        }).toList();
    }

    public void delete(String url, String receipt) {
        sqs.deleteMessage(url, receipt);
    }

    public int deleteBatch(String url, List<String> receipts) {
        return sqs.deleteMessageBatch(url, IntStream.range(0, receipts.size()).mapToObj(i -> new DeleteMessageBatchRequestEntry("d" + i, receipts.get(i))).toList())
                .getSuccessful().size();
    }

    public void changeVisibility(String url, String receipt, int seconds) {
        sqs.changeMessageVisibility(url, receipt, seconds);
    }

    public Map<String, String> attributes(String url) {
        return sqs.getQueueAttributes(url, List.of("All")).getAttributes();
    }

    public void tag(String url, Map<String, String> tags) {
        sqs.tagQueue(url, tags);
    }

    public Map<String, String> tags(String url) {
        Map<String, String> tags = sqs.listQueueTags(url).getTags();
        return tags == null ? Map.of() : tags;
    }

    public String errorCodeOfGetQueueUrl(String missingQueue) {
        try {
            sqs.getQueueUrl(missingQueue);
            return null;
        } catch (AmazonSQSException e) {
            return e.getErrorCode();
        }
    }
}
