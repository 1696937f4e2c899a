package dev.shoal.functions.api.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.functions.api.Json;
import dev.shoal.storage.DeadLetterPolicy;
import dev.shoal.storage.DeduplicationScope;
import dev.shoal.storage.FifoThroughputLimit;
import dev.shoal.storage.InvalidRequestException;
import dev.shoal.storage.Limits;
import dev.shoal.storage.QueueDescription;
import dev.shoal.storage.QueueSettings;
import dev.shoal.storage.SubscriptionSettings;
import dev.shoal.storage.SubscriptionStats;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * SQS queue attributes to and from {@link QueueSettings}. Writable: VisibilityTimeout,
 * MessageRetentionPeriod, DelaySeconds, MaximumMessageSize, RedrivePolicy,
 * ContentBasedDeduplication, DeduplicationScope, FifoThroughputLimit (FifoThroughputLimit=perMessageGroupId
 * at creation spreads the groups over {@link Limits#HIGH_THROUGHPUT_FIFO_PARTITIONS} partitions),
 * FifoQueue (at creation). ReceiveMessageWaitTimeSeconds is only
 * accepted as 0 (Shoal has no per-queue default wait; pass WaitTimeSeconds on ReceiveMessage).
 * A few SQS attributes whose only meaning is what Shoal does anyway are accepted with that
 * value; everything else is refused by name.
 */
final class SqsQueueAttributes {

    /** SQS attributes accepted with the one value that describes Shoal's behaviour. */
    private static final Map<String, Set<String>> FIXED = Map.of(
            "SqsManagedSseEnabled", Set.of("true", "false"),
            "ReceiveMessageWaitTimeSeconds", Set.of("0"));

    static final List<String> READABLE = List.of("QueueArn", "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed", "CreatedTimestamp", "LastModifiedTimestamp", "VisibilityTimeout",
            "MaximumMessageSize", "MessageRetentionPeriod", "DelaySeconds", "ReceiveMessageWaitTimeSeconds", "RedrivePolicy",
            "FifoQueue", "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit", "SqsManagedSseEnabled");

    /** Shoal's "unlimited" retention, reported as 100 years: SQS has no word for it. */
    static final Duration UNLIMITED_REPORTED_AS = Duration.ofDays(365 * 100);

    private SqsQueueAttributes() {
    }

    /** Settings for a new queue: SQS's defaults, then the given attributes. */
    static QueueSettings forCreate(String queue, Map<String, String> attributes) {
        String fifoText = attributes.getOrDefault("FifoQueue", "false");
        if (!fifoText.equals("true") && !fifoText.equals("false")) {
            throw invalidValue("FifoQueue", "must be true or false, was " + fifoText);
        }
        boolean fifo = fifoText.equals("true");
        try {
            Limits.checkQueueName("QueueName", queue, fifo);
        } catch (InvalidRequestException e) {
            throw SqsException.invalidParameter("QueueName", queue, e.getMessage()
                    + (queue.endsWith(Limits.FIFO_SUFFIX) && !fifo ? " (set the attribute FifoQueue=true)" : ""));
        }
        Map<String, String> rest = new LinkedHashMap<>(attributes);
        rest.remove("FifoQueue");
        QueueSettings settings = apply(QueueSettings.builder().fifo(fifo).build(), rest);
        if (settings.fifoThroughputLimit() == FifoThroughputLimit.PER_MESSAGE_GROUP_ID) {
            // high-throughput FIFO: groups are spread over partitions, which a FIFO queue fixes at creation
            return settings.toBuilder().partitions(Limits.HIGH_THROUGHPUT_FIFO_PARTITIONS).build();
        }
        return settings;
    }

    /** {@code base} with the given attributes changed (SetQueueAttributes, or CreateQueue's comparison). */
    static QueueSettings apply(QueueSettings base, Map<String, String> attributes) {
        QueueSettings.Builder q = base.toBuilder();
        SubscriptionSettings.Builder sub = base.defaultSubscription().toBuilder();
        for (var e : attributes.entrySet()) {
            String name = e.getKey();
            String value = e.getValue();
            switch (name) {
                case "VisibilityTimeout" -> sub.visibilityTimeout(Duration.ofSeconds(integer(name, value, 0, Limits.MAX_VISIBILITY_TIMEOUT.toSeconds())));
                case "MessageRetentionPeriod" -> q.retention(Duration.ofSeconds(integer(name, value, Limits.MIN_RETENTION.toSeconds(), UNLIMITED_REPORTED_AS.toSeconds())));
                case "DelaySeconds" -> q.deliveryDelay(Duration.ofSeconds(integer(name, value, 0, Limits.MAX_QUEUE_DELAY.toSeconds())));
                case "MaximumMessageSize" -> q.maxMessageBytes(integer(name, value, 1, Limits.MAX_MESSAGE_BYTES));
                case "ContentBasedDeduplication" -> q.contentBasedDeduplication(bool(name, value));
                case "RedrivePolicy" -> sub.deadLetter(redrivePolicy(value));
                case "DeduplicationScope" -> q.deduplicationScope(fifoOnly(base, name, () -> DeduplicationScope.of(name, value)));
                case "FifoThroughputLimit" -> q.fifoThroughputLimit(fifoOnly(base, name, () -> FifoThroughputLimit.of(name, value)));
                case "FifoQueue" -> {
                    if (bool(name, value) != base.fifo()) {
                        throw invalidValue(name, "a queue's type cannot change after it is created");
                    }
                }
                default -> {
                    Set<String> fixed = FIXED.get(name);
                    if (fixed == null) {
                        throw SqsException.sender("InvalidAttributeName", "Unknown or unsupported attribute " + name
                                + ". Shoal supports VisibilityTimeout, MessageRetentionPeriod, DelaySeconds, MaximumMessageSize, "
                                + "RedrivePolicy, FifoQueue, ContentBasedDeduplication, DeduplicationScope, FifoThroughputLimit.");
                    }
                    if (!fixed.contains(value)) {
                        throw invalidValue(name, name.equals("ReceiveMessageWaitTimeSeconds")
                                ? "Shoal has no per-queue default wait; only 0 is accepted. Pass WaitTimeSeconds (up to 20) on ReceiveMessage instead."
                                : "Shoal only supports " + String.join(" or ", fixed));
                    }
                }
            }
        }
        try {
            return q.defaultSubscription(sub.build()).build();
        } catch (InvalidRequestException e) {
            throw invalidValue(attributeOf(e.field()), e.getMessage());
        }
    }

    private static DeadLetterPolicy redrivePolicy(String value) {
        if (value.isEmpty()) {
            return null; // SQS removes the policy when given an empty string
        }
        JsonNode policy;
        try {
            policy = Json.MAPPER.readTree(value.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw invalidValue("RedrivePolicy", "must be JSON {\"deadLetterTargetArn\": \"arn:aws:sqs:...\", \"maxReceiveCount\": 5}");
        }
        if (policy == null || !policy.isObject() || !policy.hasNonNull("deadLetterTargetArn") || !policy.hasNonNull("maxReceiveCount")) {
            throw invalidValue("RedrivePolicy", "must be JSON with deadLetterTargetArn and maxReceiveCount");
        }
        String arn = policy.get("deadLetterTargetArn").asText();
        long max = integer("RedrivePolicy.maxReceiveCount", policy.get("maxReceiveCount").asText(), 1, Limits.MAX_RECEIVE_COUNT_LIMIT);
        try {
            return new DeadLetterPolicy(QueueUrls.queueOfArn(arn), (int) max);
        } catch (InvalidRequestException e) {
            throw invalidValue("RedrivePolicy", e.getMessage());
        }
    }

    /** The requested attributes of a queue ({@code All} for every one). */
    static Map<String, String> read(QueueDescription q, List<String> names, QueueUrls urls) {
        boolean all = names.contains("All");
        for (String n : names) {
            if (!all && !READABLE.contains(n)) {
                throw SqsException.sender("InvalidAttributeName", "Unknown Attribute " + n + ".");
            }
        }
        QueueSettings s = q.settings();
        SubscriptionStats stats = q.stats() == null ? SubscriptionStats.EMPTY : q.stats();
        Map<String, String> v = new LinkedHashMap<>();
        v.put("QueueArn", urls.arn(q.name()));
        v.put("ApproximateNumberOfMessages", Long.toString(stats.visible()));
        v.put("ApproximateNumberOfMessagesNotVisible", Long.toString(stats.inFlight()));
        v.put("ApproximateNumberOfMessagesDelayed", Long.toString(stats.delayed()));
        String created = q.createdAt() == null ? "0" : Long.toString(q.createdAt().getEpochSecond());
        v.put("CreatedTimestamp", created);
        v.put("LastModifiedTimestamp", created);
        v.put("VisibilityTimeout", Long.toString(s.defaultSubscription().visibilityTimeout().toSeconds()));
        v.put("MaximumMessageSize", Long.toString(s.maxMessageBytes()));
        v.put("MessageRetentionPeriod", Long.toString((s.retention() == null ? UNLIMITED_REPORTED_AS : s.retention()).toSeconds()));
        v.put("DelaySeconds", Long.toString(s.deliveryDelay().toSeconds()));
        v.put("ReceiveMessageWaitTimeSeconds", "0");
        v.put("SqsManagedSseEnabled", "false");
        s.defaultSubscription().deadLetterPolicy().ifPresent(d -> v.put("RedrivePolicy",
                "{\"deadLetterTargetArn\":\"" + urls.arn(d.queue()) + "\",\"maxReceiveCount\":" + d.maxReceiveCount() + "}"));
        if (s.fifo()) {
            v.put("FifoQueue", "true");
            v.put("ContentBasedDeduplication", Boolean.toString(s.contentBasedDeduplication()));
            v.put("DeduplicationScope", s.deduplicationScope().text());
            v.put("FifoThroughputLimit", s.fifoThroughputLimit().text());
        }
        if (!all) {
            v.keySet().retainAll(names);
        }
        return v;
    }

    /** A FIFO attribute's value; on a standard queue SQS does not know the attribute. */
    private static <T> T fifoOnly(QueueSettings base, String name, java.util.function.Supplier<T> value) {
        if (!base.fifo()) {
            throw SqsException.sender("InvalidAttributeName", "Unknown Attribute " + name + ".");
        }
        try {
            return value.get();
        } catch (InvalidRequestException e) {
            throw invalidValue(name, e.getMessage());
        }
    }

    private static long integer(String name, String value, long min, long max) {
        long v;
        try {
            v = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw invalidValue(name, "must be an integer, was '" + value + "'");
        }
        if (v < min || v > max) {
            throw invalidValue(name, "must be between " + min + " and " + max + ", was " + v);
        }
        return v;
    }

    private static boolean bool(String name, String value) {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalidValue(name, "must be true or false, was '" + value + "'");
        };
    }

    private static SqsException invalidValue(String attribute, String reason) {
        return SqsException.sender("InvalidAttributeValue", "Invalid value for the parameter " + attribute + ". Reason: " + reason);
    }

    /** The SQS attribute behind a Shoal field named in a validation error. */
    private static String attributeOf(String field) {
        if (field == null) return "Attributes";
        if (field.startsWith("deadLetter")) return "RedrivePolicy";
        return switch (field) {
            case "visibilityTimeout" -> "VisibilityTimeout";
            case "retention" -> "MessageRetentionPeriod";
            case "deliveryDelay" -> "DelaySeconds";
            case "maxMessageBytes" -> "MaximumMessageSize";
            case "contentBasedDeduplication" -> "ContentBasedDeduplication";
            case "deduplicationScope" -> "DeduplicationScope";
            case "fifoThroughputLimit" -> "FifoThroughputLimit";
            default -> field;
        };
    }
}
