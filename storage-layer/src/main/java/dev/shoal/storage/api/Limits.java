package dev.shoal.storage.api;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Shoal's limits, in one place, with the checks that enforce them. Every check throws an
 * {@link InvalidRequestException} that names the field and the allowed values, before
 * anything is written.
 */
public final class Limits {

    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    public static final String FIFO_SUFFIX = ".fifo";
    public static final String DEFAULT_SUBSCRIPTION = "default";

    public static final int MAX_PARTITIONS = 256;
    /** Partitions of a FIFO queue created with {@link FifoThroughputLimit#PER_MESSAGE_GROUP_ID} and no partition count. */
    public static final int HIGH_THROUGHPUT_FIFO_PARTITIONS = 8;
    public static final int MAX_BATCH_MESSAGES = 1_000;
    public static final int MAX_RECEIVE_MESSAGES = 1_000;
    public static final long MAX_MESSAGE_BYTES = 64L * 1024 * 1024;
    public static final long DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;
    public static final int MAX_ATTRIBUTES = 50;
    public static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,256}");
    /** Attribute names Shoal sets itself (dead-letter provenance); users may not. */
    public static final String RESERVED_ATTRIBUTE_PREFIX = "shoal.";
    public static final Pattern GROUP_ID = Pattern.compile("[\\x21-\\x7E]{1,128}");
    public static final Pattern DEDUP_ID = Pattern.compile("[\\x21-\\x7E]{1,128}");

    public static final Duration MAX_VISIBILITY_TIMEOUT = Duration.ofHours(12);
    public static final Duration MAX_WAIT_TIME = Duration.ofSeconds(20);
    public static final Duration MAX_QUEUE_DELAY = Duration.ofMinutes(15);
    public static final Duration MAX_MESSAGE_DELAY = Duration.ofHours(12);
    public static final Duration MIN_RETENTION = Duration.ofMinutes(1);
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(4);
    public static final int MAX_RECEIVE_COUNT_LIMIT = 1_000;
    public static final Duration DEDUP_WINDOW = Duration.ofMinutes(5);
    public static final Duration MAX_BATCH_WINDOW = Duration.ofSeconds(1);
    /** Chosen from the SQS-face benchmark (BENCHMARKS.md): enough to share a segment at a few hundred calls/s. */
    public static final Duration DEFAULT_BATCH_WINDOW = Duration.ofMillis(100);
    /**
     * FIFO's is shorter: a group's next message goes out only after its earlier one is acked, so
     * the window is in the latency of every message. Chosen from the FIFO SQS-face benchmark
     * (BENCHMARKS.md section 16): at 100 msg/s on 64 groups it keeps p99 within 5x ElasticMQ's
     * + 50 ms, and the bill under SQS FIFO's price.
     */
    public static final Duration DEFAULT_FIFO_BATCH_WINDOW = Duration.ofMillis(60);
    /** One SQS receive's worth: a flush of single sends that fills a receive, sooner than the window at a few hundred a second. */
    public static final int DEFAULT_BATCH_WINDOW_MESSAGES = 10;
    public static final int MAX_BATCH_WINDOW_MESSAGES = 10_000;

    private Limits() {
    }

    /** Queue names: 1-80 of letters, digits, '-' and '_', plus ".fifo" for FIFO queues. */
    public static void checkQueueName(String field, String name, boolean fifo) {
        if (name == null) {
            throw new InvalidRequestException(field, "is required");
        }
        String base = fifo && name.endsWith(FIFO_SUFFIX) ? name.substring(0, name.length() - FIFO_SUFFIX.length()) : name;
        if (fifo && !name.endsWith(FIFO_SUFFIX)) {
            throw new InvalidRequestException(field, "a FIFO queue's name must end with '.fifo', was '" + name + "'");
        }
        if (!fifo && name.endsWith(FIFO_SUFFIX)) {
            throw new InvalidRequestException(field, "only FIFO queues may end with '.fifo'; set fifo=true or rename '" + name + "'");
        }
        if (!NAME.matcher(base).matches()) {
            throw new InvalidRequestException(field, "must be 1-80 characters of A-Z, a-z, 0-9, '-' and '_'"
                    + (fifo ? " before '.fifo'" : "") + ", was '" + name + "'");
        }
    }

    /** Queue names as given in a call, where the queue's kind is not known yet. */
    public static void checkQueueNameSyntax(String field, String name) {
        checkQueueName(field, name, name != null && name.endsWith(FIFO_SUFFIX));
    }

    public static void checkSubscriptionName(String field, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidRequestException(field, "must be 1-80 characters of A-Z, a-z, 0-9, '-' and '_', was '" + name + "'");
        }
    }

    public static void checkRange(String field, Duration value, Duration min, Duration max) {
        if (value == null) {
            throw new InvalidRequestException(field, "is required");
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new InvalidRequestException(field, "must be between " + human(min) + " and " + human(max) + ", was " + human(value));
        }
    }

    public static void checkRange(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new InvalidRequestException(field, "must be between " + min + " and " + max + ", was " + value);
        }
    }

    /** "30s", "15m", "12h" or "1500ms", for error messages people read. */
    public static String human(Duration d) {
        if (d.isZero()) return "0s";
        if (d.toMillis() % 1000 != 0) return d.toMillis() + "ms";
        long s = d.toSeconds();
        if (s % 86400 == 0) return s / 86400 + "d";
        if (s % 3600 == 0) return s / 3600 + "h";
        if (s % 60 == 0) return s / 60 + "m";
        return s + "s";
    }
}
