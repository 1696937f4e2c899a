package dev.shoal.client.internal.http;

import java.util.List;
import java.util.Map;

/**
 * The native API's JSON bodies, field for field as {@code docs/api.md} (and the functions
 * module's {@code Requests}/{@code Responses}) define them. A separate copy, not a dependency:
 * the client must not need the server's module, and the wire format is the contract between them.
 * Absent fields are null; unknown fields in responses are ignored (newer servers may add some).
 */
final class Wire {

    private Wire() {
    }

    // ---- requests (and settings, which come back in the same shape)

    record QueueBody(Boolean fifo, Integer partitions, String retention, String deliveryDelay,
                     Boolean contentBasedDeduplication, Long maxMessageBytes, Boolean deleteOnAck, String batchWindow,
                     Integer batchWindowMessages, String visibilityTimeout, RetryPolicyBody retryPolicy, DeadLetterBody deadLetter, PushBody push,
                     String deduplicationScope, String fifoThroughputLimit) {
    }

    record SubscriptionBody(String visibilityTimeout, RetryPolicyBody retryPolicy, DeadLetterBody deadLetter, PushBody push) {
    }

    record RetryPolicyBody(String initialDelay, Double multiplier, String maxDelay) {
    }

    record DeadLetterBody(String queue, Integer maxReceiveCount) {
    }

    /** {@code eventFormat} and {@code functionResponseTypes} absent (an older server): SQS events, failures reported. */
    record PushBody(String target, Integer batchSize, String batchingWindow, Integer maxConcurrency, String timeout,
                    String eventFormat, List<String> functionResponseTypes) {
    }

    record ProduceBody(List<MessageBody> messages, Integer partition, String producerId, Long sequence) {
    }

    record MessageBody(String body, String bodyBase64, Map<String, AttributeBody> attributes, String groupId,
                       String dedupId, String delay) {
    }

    record AttributeBody(String type, String value, String valueBase64) {
    }

    record ReceiveBody(Integer maxMessages, String visibilityTimeout, String waitTime, String receiveAttemptId) {
    }

    record AckBody(List<String> receipts) {
    }

    record NackBody(List<NackEntryBody> entries) {
    }

    record NackEntryBody(String receipt, String delay) {
    }

    record VisibilityBody(List<VisibilityEntryBody> entries) {
    }

    record VisibilityEntryBody(String receipt, String visibilityTimeout) {
    }

    record SeekBody(String to, String time, Map<String, Long> offsets) {
    }

    record RedriveBody(String targetQueue, Integer maxMessages, Integer maxPerSecond) {
    }

    // ---- responses

    record QueueView(String name, QueueBody settings, String createdAt, StatsView stats) {
    }

    record SubscriptionView(String queue, String name, SubscriptionBody settings, String createdAt, StatsView stats) {
    }

    record StatsView(long visible, long inFlight, long delayed, String oldestUnackedAge) {
    }

    record QueueList(List<String> queues) {
    }

    record SubscriptionList(List<SubscriptionView> subscriptions) {
    }

    record ProduceResult(List<Produced> results) {
    }

    record Produced(String id, boolean duplicate) {
    }

    record ReceiveResult(List<Message> messages) {
    }

    record Message(String id, String body, String bodyBase64, Map<String, AttributeBody> attributes, String groupId,
                   String dedupId, int receiveCount, String sentAt, String firstReceivedAt, String receipt) {
    }

    record ReceiptResults(String code, String message, List<ReceiptOutcome> results) {
    }

    record ReceiptOutcome(String receipt, boolean ok, String code, String message, String field) {
    }

    record RedriveView(long moved, boolean remaining) {
    }

    record ErrorBody(String code, String message, String field) {
    }
}
