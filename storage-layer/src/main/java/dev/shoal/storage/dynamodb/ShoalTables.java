package dev.shoal.storage.dynamodb;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The one source of truth for Shoal's DynamoDB tables, their key attributes and indexes.
 * The local stack creates tables from {@link TableDefinitions}, and the CDK app takes its
 * names and keys from here, so the two cannot drift.
 *
 * <p>Two tables:
 * <ul>
 *   <li><b>log</b>: one item per committed segment, keyed by partition and base offset. It
 *       has a stream (new images) that triggers the dispatcher when segments are committed.</li>
 *   <li><b>state</b>: everything else (queue catalog, subscriptions, chunks of leased
 *       offsets, deduplication windows, producer sequences), keyed by a string pair, with a
 *       TTL attribute and one sparse index of chunks by the time they become visible.</li>
 * </ul>
 *
 * @param prefix prefix of every table name, for example {@code shoal} or {@code shoal-test-7}
 */
public record ShoalTables(String prefix) {

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.-]{1,200}");

    // log table
    public static final String LOG_PARTITION_KEY = "p";
    public static final String LOG_SORT_KEY = "o";

    // state table
    public static final String STATE_PARTITION_KEY = "pk";
    public static final String STATE_SORT_KEY = "sk";
    public static final String STATE_TTL_ATTRIBUTE = "ttl";

    /** Sparse index of chunks that are leased or delayed, by the time they become visible. */
    public static final String DUE_INDEX = "due";
    public static final String DUE_INDEX_PARTITION_KEY = "dg";
    public static final String DUE_INDEX_SORT_KEY = "due";

    public ShoalTables {
        Objects.requireNonNull(prefix, "prefix");
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("table prefix must be 1-200 of [A-Za-z0-9_.-], was '" + prefix + "'");
        }
    }

    public static ShoalTables withDefaultPrefix() {
        return new ShoalTables("shoal");
    }

    public String logTable() {
        return prefix + "-log";
    }

    public String stateTable() {
        return prefix + "-state";
    }
}
