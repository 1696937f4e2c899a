package dev.shoal.bench;

import dev.shoal.storage.api.RetryableException;
import dev.shoal.storage.api.Sleeper;
import dev.shoal.storage.dynamodb.ShoalTables;
import dev.shoal.storage.log.Committer;
import dev.shoal.storage.log.IndexEntry;
import dev.shoal.storage.log.LogIndex;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static dev.shoal.storage.dynamodb.ShoalTables.LOG_PARTITION_KEY;
import static dev.shoal.storage.dynamodb.ShoalTables.LOG_SORT_KEY;

/**
 * One way to give a written segment its offsets in a partition: the three that DESIGN.md ("The
 * log") weighs against each other. Each returns the base offset it committed the segment at.
 * Items have the log table's key schema ({@code p} partition, {@code o} offset) and its index
 * attributes, so an index item costs the same units in every protocol.
 */
sealed interface CommitProtocol {

    String name();

    /** The table this protocol's items live in (for checking the result). */
    String table();

    long commit(IndexEntry entry);

    /** The head item's sort key in protocols that keep one: below every offset. */
    long HEAD = -1;

    /** (a) Shoal's own: read the chain's last entry, conditional put at its end ({@link Committer}). */
    record Chain(Committer committer, String table) implements CommitProtocol {
        static Chain on(DynamoDbClient dynamo, ShoalTables tables) {
            return new Chain(new Committer(new LogIndex(dynamo, tables), Clock.systemUTC(), Sleeper.SYSTEM), tables.logTable());
        }

        public String name() {
            return "(a) chain: read last, conditional put";
        }

        public long commit(IndexEntry entry) {
            return committer.commit(entry).baseOffset();
        }
    }

    /**
     * (b) Optimistic transaction on a head item: read {@code next}, then TransactWriteItems {update
     * head SET next = next + count WHERE next = read value; put index item}. On a lost race it backs
     * off with the same full-jitter schedule as the Committer and reads the head again.
     */
    record Transaction(DynamoDbClient dynamo, String table) implements CommitProtocol {
        static final int MAX_ATTEMPTS = 60;

        public String name() {
            return "(b) transaction: head CAS + index put";
        }

        public long commit(IndexEntry entry) {
            String pk = entry.partitionKey();
            long expected = -1; // unknown: read the head
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                if (expected < 0) {
                    Map<String, AttributeValue> head = dynamo.getItem(b -> b.tableName(table).key(key(pk, HEAD)).consistentRead(true)).item();
                    expected = head == null || !head.containsKey("next") ? 0 : Long.parseLong(head.get("next").n());
                }
                long base = expected;
                Update advance = Update.builder().tableName(table).key(key(pk, HEAD))
                        .updateExpression("SET #next = :end")
                        .conditionExpression(base == 0 ? "attribute_not_exists(#p) OR #next = :base" : "#next = :base")
                        .expressionAttributeNames(base == 0 ? Map.of("#next", "next", "#p", LOG_PARTITION_KEY) : Map.of("#next", "next"))
                        .expressionAttributeValues(Map.of(":end", num(base + entry.count()), ":base", num(base)))
                        .build();
                Put index = Put.builder().tableName(table).item(item(entry, base))
                        .conditionExpression("attribute_not_exists(" + LOG_PARTITION_KEY + ")").build();
                try {
                    dynamo.transactWriteItems(b -> b.transactItems(TransactWriteItem.builder().update(advance).build(),
                            TransactWriteItem.builder().put(index).build()));
                    return base;
                } catch (TransactionCanceledException lost) {
                    // Not the head's value as the cancellation could return it (ALL_OLD): after the
                    // backoff below it is stale (others commit meanwhile), and a producer retrying on
                    // it starves (7 of 2,000 commits gave up after 60 attempts under 8 producers when
                    // we tried). Read again after the backoff, as the chain does.
                    expected = -1;
                }
                sleep(attempt);
            }
            throw new RetryableException("transaction commit gave up after " + MAX_ATTEMPTS + " attempts", null);
        }
    }

    /**
     * (c) Allocate, then index: UpdateItem ADD next :count RETURN UPDATED_NEW hands out the range
     * without conflicts, then a plain (if-absent) put of the index item. Only the happy path: a
     * producer that dies between the two leaves a hole that readers must wait out and tombstone;
     * that machinery, and its reads, are not implemented or counted here.
     */
    record AtomicAdd(DynamoDbClient dynamo, String table) implements CommitProtocol {
        public String name() {
            return "(c) atomic ADD + index put";
        }

        public long commit(IndexEntry entry) {
            String pk = entry.partitionKey();
            var updated = dynamo.updateItem(b -> b.tableName(table).key(key(pk, HEAD))
                    .updateExpression("ADD #next :count")
                    .expressionAttributeNames(Map.of("#next", "next"))
                    .expressionAttributeValues(Map.of(":count", num(entry.count())))
                    .returnValues(ReturnValue.UPDATED_NEW));
            long base = Long.parseLong(updated.attributes().get("next").n()) - entry.count();
            dynamo.putItem(b -> b.tableName(table).item(item(entry, base))
                    .conditionExpression("attribute_not_exists(" + LOG_PARTITION_KEY + ")"));
            return base;
        }
    }

    private static Map<String, AttributeValue> key(String pk, long offset) {
        return Map.of(LOG_PARTITION_KEY, AttributeValue.fromS(pk), LOG_SORT_KEY, num(offset));
    }

    /** The same attributes as Shoal's log items (LogIndex), so the item's size and units match. */
    private static Map<String, AttributeValue> item(IndexEntry e, long base) {
        Map<String, AttributeValue> item = new HashMap<>(key(e.partitionKey(), base));
        item.put("n", num(e.count()));
        item.put("k", AttributeValue.fromS(e.segmentKey()));
        item.put("sz", num(e.bytes()));
        item.put("hl", num(e.headerLength()));
        item.put("t0", num(e.firstTimestamp().toEpochMilli()));
        item.put("t1", num(e.lastTimestamp().toEpochMilli()));
        item.put("d", num(e.earliestDelivery().toEpochMilli()));
        item.put("c", num(System.currentTimeMillis()));
        return item;
    }

    private static AttributeValue num(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    /** Full jitter in [0, min(200 ms, 2 ms * 2^attempt)), as the Committer's backoff. */
    private static void sleep(int attempt) {
        long ceiling = Math.min(200, 2L << Math.min(attempt, 20));
        Sleeper.SYSTEM.sleep(Duration.ofMillis(ThreadLocalRandom.current().nextLong(Math.max(1, ceiling))));
    }
}
