package dev.shoal.storage.log;

import dev.shoal.storage.dynamodb.ShoalTables;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static dev.shoal.storage.dynamodb.Items.*;
import static dev.shoal.storage.dynamodb.ShoalTables.LOG_PARTITION_KEY;
import static dev.shoal.storage.dynamodb.ShoalTables.LOG_SORT_KEY;

/**
 * The log table: one item per committed segment, keyed by partition and base offset.
 *
 * <p>The items form a chain: every segment starts where the one before it ends, and a new
 * segment is committed by putting its item at the chain's end on the condition that no item is
 * there yet. One conditional put per commit, no head item to contend on; offsets are dense and
 * never reused (see docs/adr/0001-chained-log-commit.md).
 */
public final class LogIndex {

    /** The attribute holding an inline segment's bytes (ADR 0016). */
    private static final String INLINE_SEGMENT = "b";

    private final DynamoDbClient dynamo;
    private final String table;
    /**
     * Per partition, the newest entry this process committed and the last one it found: entries
     * never change, so they answer reads without a query (and are forgotten when their segment is
     * found deleted by retention).
     */
    private final Map<String, IndexEntry> newestCommitted = new ConcurrentHashMap<>();
    private final Map<String, IndexEntry> lastFound = new ConcurrentHashMap<>();
    /** Partitions where another process committed after this one: their end is read, not assumed. */
    private final Set<String> sharedTails = ConcurrentHashMap.newKeySet();

    public LogIndex(DynamoDbClient dynamo, ShoalTables tables) {
        this.dynamo = dynamo;
        this.table = tables.logTable();
    }

    /** The newest segment of the partition (strongly consistent), or empty for an empty log. */
    public Optional<IndexEntry> last(String partitionKey) {
        return first(query(partitionKey).scanIndexForward(false).limit(1).consistentRead(true).build());
    }

    /**
     * Where the partition's chain likely ends: the end of the newest entry this process committed,
     * while no other process has been seen committing to the partition. A commit may put there
     * without reading the tail first (its put is conditional, so a wrong guess costs one failed
     * put and a read, never a wrong offset); empty means read it.
     */
    public Optional<Long> likelyEnd(String partitionKey) {
        IndexEntry mine = newestCommitted.get(partitionKey);
        return mine == null || sharedTails.contains(partitionKey) ? Optional.empty() : Optional.of(mine.endOffset());
    }

    /** A guess from {@link #likelyEnd} was taken by another process's entry: read this partition's tail from now on. */
    void tailIsShared(String partitionKey) {
        sharedTails.add(partitionKey);
    }

    /** The segment holding {@code offset}, or empty when no retained segment does. */
    public Optional<IndexEntry> containing(String partitionKey, long offset) {
        Optional<IndexEntry> known = known(partitionKey, offset);
        if (known.isPresent()) {
            return known;
        }
        return first(query(partitionKey, "<=", offset).scanIndexForward(false).limit(1).consistentRead(true).build())
                .filter(e -> e.contains(offset));
    }

    /**
     * The segment holding {@code offset}, or else the first one after it (past a retention gap),
     * or empty at the log's end. A claim's read of the log: one query at most, none when this
     * process already knows the segment.
     */
    public Optional<IndexEntry> atOrAfter(String partitionKey, long offset) {
        Optional<IndexEntry> known = known(partitionKey, offset);
        if (known.isPresent()) {
            return known;
        }
        Optional<IndexEntry> next = from(partitionKey, offset, 1).stream().findFirst();
        if (next.isPresent() && next.get().baseOffset() == offset) {
            return Optional.of(found(next.get()));
        }
        if (endsAt(partitionKey, offset)) {
            return next.map(this::found); // a known segment ends right here: nothing can hold the offset
        }
        Optional<IndexEntry> holding = containing(partitionKey, offset);
        return holding.or(() -> next).map(this::found);
    }

    /**
     * True when the newest entry this process knows of the partition ends exactly at {@code offset}:
     * nothing lies beyond as far as this process knows, without a read. Another process may have
     * committed there since; callers that must see that read instead.
     */
    public boolean knownToEndAt(String partitionKey, long offset) {
        return remembered(partitionKey).mapToLong(IndexEntry::endOffset).max().orElse(-1) == offset;
    }

    /** Forgets a remembered entry whose segment retention deleted. */
    public void forget(IndexEntry entry) {
        newestCommitted.remove(entry.partitionKey(), entry);
        lastFound.remove(entry.partitionKey(), entry);
    }

    /** The segment holding {@code offset} if this process remembers it (its newest commit, the last one found); no read. */
    public Optional<IndexEntry> known(String partitionKey, long offset) {
        return remembered(partitionKey).filter(e -> e.contains(offset)).findFirst();
    }

    /** The entries this process remembers of the partition: its newest commit, and the last one it found. */
    private Stream<IndexEntry> remembered(String partitionKey) {
        return Stream.of(newestCommitted.get(partitionKey), lastFound.get(partitionKey)).filter(Objects::nonNull);
    }

    private boolean endsAt(String partitionKey, long offset) {
        return remembered(partitionKey).anyMatch(e -> e.endOffset() == offset);
    }

    private IndexEntry found(IndexEntry e) {
        lastFound.put(e.partitionKey(), e);
        return e;
    }

    /** Up to {@code limit} segments whose base offset is at least {@code fromBase}, in offset order. */
    public List<IndexEntry> from(String partitionKey, long fromBase, int limit) {
        var response = dynamo.query(query(partitionKey, ">=", fromBase).limit(limit).consistentRead(true).build());
        return response.items().stream().map(item -> decode(partitionKey, item)).toList();
    }

    /**
     * As {@link #from}, read eventually consistent (half the price): it may miss the newest
     * entries, and every entry it returns is committed (entries never change). For a reader
     * that only looks for new segments, where one found a moment later is as good.
     */
    public List<IndexEntry> peekFrom(String partitionKey, long fromBase, int limit) {
        var response = dynamo.query(query(partitionKey, ">=", fromBase).limit(limit).consistentRead(false).build());
        return response.items().stream().map(item -> decode(partitionKey, item)).toList();
    }

    /** The oldest retained segment. */
    public Optional<IndexEntry> firstEntry(String partitionKey) {
        return first(query(partitionKey).limit(1).consistentRead(true).build());
    }

    /** The segment at exactly {@code baseOffset}. */
    public Optional<IndexEntry> at(String partitionKey, long baseOffset) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(partitionKey, baseOffset)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(decode(partitionKey, item));
    }

    /**
     * Puts the entry where no entry is yet, together with {@code guards} (conditional writes that
     * must all hold, in one transaction when there are any).
     *
     * @throws OffsetTakenException  another entry holds the base offset
     * @throws GuardFailedException  a guard's condition failed
     */
    void putNew(IndexEntry entry, List<TransactWriteItem> guards) {
        Put put = Put.builder().tableName(table).item(encode(entry))
                .conditionExpression("attribute_not_exists(" + LOG_PARTITION_KEY + ")")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build();
        if (guards.isEmpty()) {
            try {
                dynamo.putItem(b -> b.tableName(put.tableName()).item(put.item()).conditionExpression(put.conditionExpression())
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
                remember(entry);
                return;
            } catch (ConditionalCheckFailedException e) {
                throw new OffsetTakenException(e.hasItem() && !e.item().isEmpty() ? decode(entry.partitionKey(), e.item()) : null);
            }
        }
        List<TransactWriteItem> items = new ArrayList<>(guards.size() + 1);
        items.add(TransactWriteItem.builder().put(put).build());
        items.addAll(guards);
        try {
            dynamo.transactWriteItems(b -> b.transactItems(items));
            remember(entry);
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (reasons.isEmpty()) {
                throw e;
            }
            if ("ConditionalCheckFailed".equals(reasons.getFirst().code())) {
                Map<String, AttributeValue> old = reasons.getFirst().item();
                throw new OffsetTakenException(old != null && !old.isEmpty() ? decode(entry.partitionKey(), old) : null);
            }
            for (int i = 1; i < reasons.size(); i++) {
                if ("ConditionalCheckFailed".equals(reasons.get(i).code())) {
                    throw new GuardFailedException(i - 1, reasons.get(i).item());
                }
            }
            throw e; // a conflict with another transaction: retried by the caller like any transient error
        }
    }

    private void remember(IndexEntry entry) {
        newestCommitted.merge(entry.partitionKey(), entry, (old, e) -> e.baseOffset() > old.baseOffset() ? e : old);
    }

    /** Deletes the entry (retention); the partition's newest entry is kept by the caller. */
    public void delete(String partitionKey, long baseOffset) {
        dynamo.deleteItem(b -> b.tableName(table).key(key(partitionKey, baseOffset)));
    }

    /** Every retained entry of the partition, oldest first (janitor only: it reads the whole partition). */
    public Iterable<IndexEntry> all(String partitionKey) {
        return () -> dynamo.queryPaginator(query(partitionKey).build()).items().stream()
                .map(item -> decode(partitionKey, item)).iterator();
    }

    private QueryRequest.Builder query(String partitionKey) {
        return QueryRequest.builder().tableName(table)
                .keyConditionExpression(LOG_PARTITION_KEY + " = :p")
                .expressionAttributeValues(Map.of(":p", s(partitionKey)));
    }

    private QueryRequest.Builder query(String partitionKey, String operator, long offset) {
        return QueryRequest.builder().tableName(table)
                .keyConditionExpression(LOG_PARTITION_KEY + " = :p AND " + LOG_SORT_KEY + " " + operator + " :o")
                .expressionAttributeValues(Map.of(":p", s(partitionKey), ":o", n(offset)));
    }

    private Optional<IndexEntry> first(QueryRequest request) {
        var items = dynamo.query(request).items();
        return items.isEmpty() ? Optional.empty() : Optional.of(decode(request.expressionAttributeValues().get(":p").s(), items.getFirst()));
    }

    static Map<String, AttributeValue> key(String partitionKey, long offset) {
        return Map.of(LOG_PARTITION_KEY, s(partitionKey), LOG_SORT_KEY, n(offset));
    }

    static Map<String, AttributeValue> encode(IndexEntry e) {
        Map<String, AttributeValue> item = new HashMap<>(key(e.partitionKey(), e.baseOffset()));
        item.put("n", n(e.count()));
        item.put("k", s(e.segmentKey()));
        item.put("sz", n(e.bytes()));
        item.put("hl", n(e.headerLength()));
        item.put("t0", n(e.firstTimestamp().toEpochMilli()));
        item.put("t1", n(e.lastTimestamp().toEpochMilli()));
        item.put("d", n(e.earliestDelivery().toEpochMilli()));
        item.put("c", n(e.committedAt().toEpochMilli()));
        if (e.isInline()) {
            item.put(INLINE_SEGMENT, b(e.inline()));
        }
        return item;
    }

    /** Decodes a log item (also used by the dispatcher for stream images). */
    public static IndexEntry decode(String partitionKey, Map<String, AttributeValue> item) {
        return new IndexEntry(partitionKey, num(item, LOG_SORT_KEY, 0), (int) num(item, "n", 0), str(item, "k"),
                num(item, "sz", 0), (int) num(item, "hl", 0),
                Instant.ofEpochMilli(num(item, "t0", 0)), Instant.ofEpochMilli(num(item, "t1", 0)),
                Instant.ofEpochMilli(num(item, "d", 0)), Instant.ofEpochMilli(num(item, "c", 0)), bytes(item, INLINE_SEGMENT));
    }
}
