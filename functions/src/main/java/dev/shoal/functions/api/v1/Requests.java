package dev.shoal.functions.api.v1;

import java.util.List;
import java.util.Map;

/**
 * Request bodies of the native API, exactly as documented in {@code docs/api.md}. Every
 * field is optional at the JSON level (null when absent); {@link NativeCodec} applies the
 * defaults and the domain records validate ranges. Unknown fields are rejected by the mapper.
 */
public final class Requests {

    private Requests() {
    }

    /** PUT /v1/queues/{queue}: the whole configuration; fields not given take their defaults. */
    public record QueueBody(Boolean fifo, Integer partitions, String retention, String deliveryDelay,
                            Boolean contentBasedDeduplication, Long maxMessageBytes, Boolean deleteOnAck, String batchWindow,
                            Integer batchWindowMessages, String visibilityTimeout, RetryPolicyBody retryPolicy, DeadLetterBody deadLetter,
                            PushBody push, String deduplicationScope, String fifoThroughputLimit) {
    }

    /** PUT /v1/queues/{queue}/subscriptions/{subscription}. */
    public record SubscriptionBody(String visibilityTimeout, RetryPolicyBody retryPolicy, DeadLetterBody deadLetter,
                                   PushBody push) {
    }

    public record RetryPolicyBody(String initialDelay, Double multiplier, String maxDelay) {
    }

    public record DeadLetterBody(String queue, Integer maxReceiveCount) {
    }

    /**
     * A push target. Besides Shoal's own fields it takes those of an SQS event source mapping:
     * {@code maximumBatchingWindowInSeconds} (instead of {@code batchingWindow}) and
     * {@code functionResponseTypes} ({@code ["ReportBatchItemFailures"]}, the default, or
     * {@code []} to ignore what the target answers). {@code eventFormat} is {@code sqs} (default)
     * or {@code shoal}.
     */
    public record PushBody(String target, Integer batchSize, String batchingWindow, Integer maxConcurrency, String timeout,
                           String eventFormat, List<String> functionResponseTypes, Integer maximumBatchingWindowInSeconds) {
    }

    /** POST /v1/queues/{queue}/messages. */
    public record ProduceBody(List<MessageBody> messages, Integer partition, String producerId, Long sequence) {
    }

    /** One message: exactly one of {@code body} (UTF-8 text) and {@code bodyBase64}. */
    public record MessageBody(String body, String bodyBase64, Map<String, AttributeBody> attributes, String groupId,
                              String dedupId, String delay) {
    }

    /** A typed attribute: {@code value} for String and Number types, {@code valueBase64} for Binary. */
    public record AttributeBody(String type, String value, String valueBase64) {
    }

    /** POST .../receive. */
    public record ReceiveBody(Integer maxMessages, String visibilityTimeout, String waitTime, String receiveAttemptId) {
    }

    /** POST .../ack. */
    public record AckBody(List<String> receipts) {
    }

    /** POST .../nack: per entry, an explicit delay or (absent) the retry policy's backoff. */
    public record NackBody(List<NackEntryBody> entries) {
    }

    public record NackEntryBody(String receipt, String delay) {
    }

    /** POST .../visibility. */
    public record VisibilityBody(List<VisibilityEntryBody> entries) {
    }

    public record VisibilityEntryBody(String receipt, String visibilityTimeout) {
    }

    /** POST .../seek: exactly one of {@code to} ("earliest" or "latest"), {@code time} and {@code offsets}. */
    public record SeekBody(String to, String time, Map<String, Long> offsets) {
    }

    /** POST /v1/queues/{dlq}/redrive. */
    public record RedriveBody(String targetQueue, Integer maxMessages, Integer maxPerSecond) {
    }
}
