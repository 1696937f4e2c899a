package dev.shoal.functions.api.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.functions.api.Json;
import dev.shoal.storage.api.DeadLetterPolicy;
import dev.shoal.storage.api.DeduplicationScope;
import dev.shoal.storage.api.FifoThroughputLimit;
import dev.shoal.storage.api.InvalidRequestException;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.QueueDescription;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.SubscriptionSettings;
import dev.shoal.storage.api.SubscriptionStats;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * SQS queue attributes to and from {@link QueueSettings}. Writable and applied: VisibilityTimeout,
 * MessageRetentionPeriod, DelaySeconds, MaximumMessageSize, RedrivePolicy,
 * ContentBasedDeduplication, DeduplicationScope, FifoThroughputLimit (FifoThroughputLimit=perMessageGroupId
 * at creation spreads the groups over {@link Limits#HIGH_THROUGHPUT_FIFO_PARTITIONS} partitions),
 * FifoQueue (at creation), ReceiveMessageWaitTimeSeconds (the default wait of a ReceiveMessage that
 * names none). Accepted, stored and returned but not enforced (Shoal has no IAM or KMS of its own):
 * Policy, RedriveAllowPolicy, KmsMasterKeyId, KmsDataKeyReusePeriodSeconds, SqsManagedSseEnabled
 * (true unless a KMS key is set, as in SQS). FIFO-only attributes are refused on standard queues;
 * everything else is refused by name. Booleans are read case-insensitively, as SQS does.
 */
final class SqsQueueAttributes {

    /** Attributes SQS only knows on FIFO queues: on a standard queue they are unknown names. */
    private static final Set<String> FIFO_ONLY = Set.of("ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit");

    /** Where the attributes Shoal stores but does not interpret live in {@link QueueSettings#faceAttributes()}. */
    static final String STORED_PREFIX = "sqs.";
    static final String WAIT = "ReceiveMessageWaitTimeSeconds";
    /** When SetQueueAttributes last changed the queue, in epoch seconds. */
    static final String LAST_MODIFIED = STORED_PREFIX + "LastModifiedTimestamp";
    private static final String SELF_REDRIVE = "RedrivePolicy";

    static final List<String> READABLE = List.of("QueueArn", "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed", "CreatedTimestamp", "LastModifiedTimestamp", "VisibilityTimeout",
            "MaximumMessageSize", "MessageRetentionPeriod", "DelaySeconds", "ReceiveMessageWaitTimeSeconds", "RedrivePolicy",
            "FifoQueue", "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit", "SqsManagedSseEnabled",
            "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "Policy", "RedriveAllowPolicy", "ShoalBatchWindowMillis",
            "ShoalBatchWindowMessages");

    /**
     * Shoal's attributes of its own: the queue's batching window (the dial between latency and
     * cost, ADR 0005), in milliseconds, and the messages that close it early. Returned only when
     * asked for by name, so that {@code All} stays what SQS returns.
     */
    static final String BATCH_WINDOW = "ShoalBatchWindowMillis";
    static final String BATCH_WINDOW_MESSAGES = "ShoalBatchWindowMessages";

    /** Shoal's "unlimited" retention, reported as 100 years: SQS has no word for it. */
    static final Duration UNLIMITED_REPORTED_AS = Duration.ofDays(365 * 100);

    private SqsQueueAttributes() {
    }

    /** Settings for a new queue: SQS's defaults, then the given attributes. */
    static QueueSettings forCreate(String queue, Map<String, String> attributes) {
        boolean fifo = bool("FifoQueue", attributes.getOrDefault("FifoQueue", "false"));
        try {
            Limits.checkQueueName("QueueName", queue, fifo);
        } catch (InvalidRequestException e) {
            throw SqsException.invalidParameter("QueueName", queue, e.getMessage()
                    + (queue.endsWith(Limits.FIFO_SUFFIX) && !fifo ? " (set the attribute FifoQueue=true)" : ""));
        }
        Map<String, String> rest = new LinkedHashMap<>(attributes);
        rest.remove("FifoQueue");
        QueueSettings settings = apply(queue, QueueSettings.builder().fifo(fifo).build(), rest);
        if (settings.fifoThroughputLimit() == FifoThroughputLimit.PER_MESSAGE_GROUP_ID) {
            // high-throughput FIFO: groups are spread over partitions, which a FIFO queue fixes at creation
            return settings.toBuilder().partitions(Limits.HIGH_THROUGHPUT_FIFO_PARTITIONS).build();
        }
        return settings;
    }

    /** {@code base} with the given attributes changed (SetQueueAttributes, or CreateQueue's comparison). */
    static QueueSettings apply(String queue, QueueSettings base, Map<String, String> attributes) {
        QueueSettings.Builder q = base.toBuilder();
        SubscriptionSettings.Builder sub = base.defaultSubscription().toBuilder();
        Map<String, String> stored = new TreeMap<>(base.faceAttributes());
        for (var e : attributes.entrySet()) {
            String name = e.getKey();
            String value = e.getValue();
            if (FIFO_ONLY.contains(name) && !base.fifo()) {
                throw unknownAttribute(name);
            }
            switch (name) {
                case "VisibilityTimeout" -> sub.visibilityTimeout(Duration.ofSeconds(integer(name, value, 0, Limits.MAX_VISIBILITY_TIMEOUT.toSeconds())));
                case "MessageRetentionPeriod" -> q.retention(Duration.ofSeconds(integer(name, value, Limits.MIN_RETENTION.toSeconds(), UNLIMITED_REPORTED_AS.toSeconds())));
                case BATCH_WINDOW -> q.batchWindow(Duration.ofMillis(integer(name, value, 0, Limits.MAX_BATCH_WINDOW.toMillis())));
                case BATCH_WINDOW_MESSAGES -> q.batchWindowMessages((int) integer(name, value, 1, Limits.MAX_BATCH_WINDOW_MESSAGES));
                case "DelaySeconds" -> q.deliveryDelay(Duration.ofSeconds(integer(name, value, 0, Limits.MAX_QUEUE_DELAY.toSeconds())));
                case "MaximumMessageSize" -> q.maxMessageBytes(integer(name, value, 1, Limits.MAX_MESSAGE_BYTES));
                case "ContentBasedDeduplication" -> q.contentBasedDeduplication(bool(name, value));
                case "RedrivePolicy" -> redrive(queue, value, sub, stored);
                case "DeduplicationScope" -> q.deduplicationScope(parsed(name, () -> DeduplicationScope.of(name, value)));
                case "FifoThroughputLimit" -> q.fifoThroughputLimit(parsed(name, () -> FifoThroughputLimit.of(name, value)));
                case "FifoQueue" -> {
                    if (bool(name, value) != base.fifo()) {
                        throw invalidValue(name, "a queue's type cannot change after it is created");
                    }
                }
                case WAIT -> stored.put(STORED_PREFIX + name, Long.toString(integer(name, value, 0, Limits.MAX_WAIT_TIME.toSeconds())));
                case "KmsDataKeyReusePeriodSeconds" -> stored.put(STORED_PREFIX + name, Long.toString(integer(name, value, 60, 86_400)));
                case "SqsManagedSseEnabled" -> stored.put(STORED_PREFIX + name, Boolean.toString(bool(name, value)));
                case "KmsMasterKeyId" -> storeOrRemove(stored, name, value);
                case "Policy", "RedriveAllowPolicy" -> {
                    if (!value.isEmpty()) json(name, value);
                    storeOrRemove(stored, name, value);
                }
                default -> throw unknownAttribute(name);
            }
        }
        try {
            return q.defaultSubscription(sub.build()).faceAttributes(stored).build();
        } catch (InvalidRequestException e) {
            throw invalidValue(attributeOf(e.field()), e.getMessage());
        }
    }

    /** The default wait of a receive on this queue ({@code ReceiveMessageWaitTimeSeconds}), 0 unless set. */
    static int defaultWaitSeconds(QueueSettings s) {
        return Integer.parseInt(s.faceAttributes().getOrDefault(STORED_PREFIX + WAIT, "0"));
    }

    private static SqsException unknownAttribute(String name) {
        return SqsException.sender("InvalidAttributeName", "Unknown Attribute " + SqsException.echo(name) + ".");
    }

    private static void storeOrRemove(Map<String, String> stored, String name, String value) {
        if (value.isEmpty()) {
            stored.remove(STORED_PREFIX + name);
        } else {
            stored.put(STORED_PREFIX + name, value);
        }
    }

    private static void json(String name, String value) {
        try {
            JsonNode n = Json.MAPPER.readTree(value.getBytes(StandardCharsets.UTF_8));
            if (n == null || !n.isObject()) throw new IllegalArgumentException();
        } catch (Exception e) {
            throw invalidValue(name, "must be a JSON object (an IAM policy document)");
        }
    }

    /**
     * A redrive policy: applied, unless it names the queue itself, which SQS accepts and Shoal
     * stores and returns without moving anything (a message would come back to the same queue).
     */
    private static void redrive(String queue, String value, SubscriptionSettings.Builder sub, Map<String, String> stored) {
        stored.remove(STORED_PREFIX + SELF_REDRIVE);
        DeadLetterPolicy policy = redrivePolicy(value);
        sub.deadLetter(policy);
        if (policy != null && policy.queue().equals(queue)) {
            sub.deadLetter(null);
            stored.put(STORED_PREFIX + SELF_REDRIVE, Integer.toString(policy.maxReceiveCount()));
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
        v.put("LastModifiedTimestamp", s.faceAttributes().getOrDefault(LAST_MODIFIED, created));
        v.put("VisibilityTimeout", Long.toString(s.defaultSubscription().visibilityTimeout().toSeconds()));
        v.put("MaximumMessageSize", Long.toString(s.maxMessageBytes()));
        v.put("MessageRetentionPeriod", Long.toString((s.retention() == null ? UNLIMITED_REPORTED_AS : s.retention()).toSeconds()));
        v.put("DelaySeconds", Long.toString(s.deliveryDelay().toSeconds()));
        v.put(WAIT, Integer.toString(defaultWaitSeconds(s)));
        Map<String, String> stored = s.faceAttributes();
        String kms = stored.get(STORED_PREFIX + "KmsMasterKeyId");
        v.put("SqsManagedSseEnabled", stored.getOrDefault(STORED_PREFIX + "SqsManagedSseEnabled", Boolean.toString(kms == null)));
        if (kms != null) {
            v.put("KmsMasterKeyId", kms);
            v.put("KmsDataKeyReusePeriodSeconds", stored.getOrDefault(STORED_PREFIX + "KmsDataKeyReusePeriodSeconds", "300"));
        }
        for (String n : List.of("Policy", "RedriveAllowPolicy")) {
            if (stored.containsKey(STORED_PREFIX + n)) v.put(n, stored.get(STORED_PREFIX + n));
        }
        s.defaultSubscription().deadLetterPolicy().ifPresent(d -> v.put("RedrivePolicy", redriveJson(urls.arn(d.queue()), d.maxReceiveCount())));
        if (stored.containsKey(STORED_PREFIX + SELF_REDRIVE)) {
            v.put("RedrivePolicy", redriveJson(urls.arn(q.name()), Integer.parseInt(stored.get(STORED_PREFIX + SELF_REDRIVE))));
        }
        if (s.fifo()) {
            v.put("FifoQueue", "true");
            v.put("ContentBasedDeduplication", Boolean.toString(s.contentBasedDeduplication()));
            v.put("DeduplicationScope", s.deduplicationScope().text());
            v.put("FifoThroughputLimit", s.fifoThroughputLimit().text());
        }
        if (!all) {
            v.keySet().retainAll(names);
        }
        if (names.contains(BATCH_WINDOW)) {
            v.put(BATCH_WINDOW, Long.toString(s.batchWindow().toMillis()));
        }
        if (names.contains(BATCH_WINDOW_MESSAGES)) {
            v.put(BATCH_WINDOW_MESSAGES, Integer.toString(s.batchWindowMessages()));
        }
        return v;
    }

    private static String redriveJson(String arn, int maxReceiveCount) {
        return "{\"deadLetterTargetArn\":\"" + arn + "\",\"maxReceiveCount\":" + maxReceiveCount + "}";
    }

    /** An attribute's value as the engine reads it, its refusal as SQS's InvalidAttributeValue. */
    private static <T> T parsed(String name, java.util.function.Supplier<T> value) {
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
            throw invalidValue(name, "must be an integer, was '" + SqsException.echo(value) + "'");
        }
        if (v < min || v > max) {
            throw invalidValue(name, "must be between " + min + " and " + max + ", was " + v);
        }
        return v;
    }

    /** SQS reads booleans case-insensitively ("True" is true). */
    private static boolean bool(String name, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalidValue(name, "must be true or false, was '" + SqsException.echo(value) + "'");
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
            case "batchWindow" -> BATCH_WINDOW;
            case "batchWindowMessages" -> BATCH_WINDOW_MESSAGES;
            case "maxMessageBytes" -> "MaximumMessageSize";
            case "contentBasedDeduplication" -> "ContentBasedDeduplication";
            case "deduplicationScope" -> "DeduplicationScope";
            case "fifoThroughputLimit" -> "FifoThroughputLimit";
            default -> field;
        };
    }
}
