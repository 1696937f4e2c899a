package dev.shoal.storage.fifo;

import dev.shoal.storage.api.ConflictException;
import dev.shoal.storage.batching.NewestClaims;
import dev.shoal.storage.dynamodb.FifoItems;
import dev.shoal.storage.dynamodb.ShoalTables;
import dev.shoal.storage.subscription.ChunkTable;
import dev.shoal.storage.subscription.Cursor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import static dev.shoal.storage.dynamodb.Items.*;
import static dev.shoal.storage.dynamodb.ShoalTables.*;

/**
 * Claimed ranges of FIFO subscriptions in the state table, next to the cursor of their
 * subscription-partition, under {@code r#<gen>#<start>}: a chain, like the log's, that makes
 * claims race-free (a claim puts the range after the newest on the condition that it is not
 * there). The ranges from the cursor's floor on are the live window: one consistent query reads
 * the state of every group of the partition. Ranges below the floor are done and only wait for
 * the table's TTL (ADR 0019); the floor is always a range's start (or the frontier), so the window
 * starts at one. A gap in the chain is done ranges the TTL deleted.
 */
public final class RangeTable {

    /**
     * The live ranges of a subscription-partition's generation, in offset order.
     *
     * @param cursor   the cursor they were read under (its floor is where they start)
     * @param ranges   every range from the floor on
     * @param frontier the next offset never claimed
     */
    record Window(Cursor cursor, List<ClaimedRange> ranges, long frontier) {
        long floor() {
            return Math.max(cursor.genStart(), cursor.floor());
        }

        /** Offsets from the floor to the frontier: what a claim may not grow past ({@link FifoClaims#MAX_WINDOW}). */
        long width() {
            return frontier - floor();
        }

        /** Where the floor can move: the start of the first range not done, or the frontier. */
        long doneUpTo() {
            for (ClaimedRange r : ranges) if (!r.done()) return r.start();
            return frontier;
        }
    }

    /** Ranges remembered per subscription-partition, at most (the newest starts are kept). */
    static final int REMEMBERED_PER_PARTITION = 1024;

    private final DynamoDbClient dynamo;
    private final String table;
    private final ChunkTable cursors;
    /**
     * The ranges as this process last wrote or read them, per subscription-partition, by start.
     * Only a hint: a write on a remembered range is conditional on its version like any other,
     * so a stale one costs a failed write and a read, never a wrong state ({@link #remembered}).
     */
    private final Map<String, NavigableMap<Long, ClaimedRange>> remembered = new ConcurrentHashMap<>();
    /** Per subscription-partition, how many writes of this process lost a race: another writer is about. */
    private final Map<String, Long> lostRaces = new ConcurrentHashMap<>();

    private final NewestClaims newest;

    public RangeTable(DynamoDbClient dynamo, ShoalTables tables, ChunkTable cursors, Clock clock) {
        this.dynamo = dynamo;
        this.table = tables.stateTable();
        this.cursors = cursors;
        this.newest = new NewestClaims(clock);
    }

    /** The newest range of each subscription-partition this process has seen stored. */
    NewestClaims newest() {
        return newest;
    }

    /** The cursor of the subscription-partition. */
    Cursor cursor(String stateKey, long defaultStart) {
        return cursors.head(stateKey, defaultStart).cursor();
    }

    /**
     * The live window. Ranges of the gate layout (claimed before ADR 0013 part 2) are adopted
     * when their gates are drained (the floor moves past them), and refused otherwise.
     */
    Window live(String stateKey, Cursor cursor) {
        long from = Math.max(cursor.genStart(), cursor.floor());
        List<ClaimedRange> ranges = new ArrayList<>();
        long gateLayoutEnd = -1;
        for (var item : query(stateKey, cursor.gen(), from)) {
            if (RangeCodec.gateLayout(item)) {
                gateLayoutEnd = Math.max(gateLayoutEnd, num(item, "end", 0));
            } else {
                ranges.add(remember(stateKey, RangeCodec.decode(cursor.gen(), item)));
            }
        }
        if (gateLayoutEnd >= 0) {
            return live(stateKey, adoptGateLayout(stateKey, cursor, gateLayoutEnd));
        }
        long frontier = ranges.isEmpty() ? from : Math.max(from, ranges.getLast().end());
        if (!ranges.isEmpty()) newest.seen(stateKey, cursor.gen(), ranges.getLast().start(), ranges.getLast().end());
        return new Window(cursor, ranges, frontier);
    }

    /** The range holding {@code offset}, if it is still stored. */
    Optional<ClaimedRange> containing(String stateKey, long gen, long offset) {
        var items = dynamo.query(b -> b.tableName(table)
                .keyConditionExpression(STATE_PARTITION_KEY + " = :pk AND " + STATE_SORT_KEY + " BETWEEN :lo AND :hi")
                .expressionAttributeValues(Map.of(":pk", s(stateKey), ":lo", s(FifoItems.claimSortKey(gen, 0)),
                        ":hi", s(FifoItems.claimSortKey(gen, offset))))
                .scanIndexForward(false).limit(1).consistentRead(true)).items();
        if (items.isEmpty() || RangeCodec.gateLayout(items.getFirst())) return Optional.empty();
        ClaimedRange r = remember(stateKey, RangeCodec.decode(gen, items.getFirst()));
        return r.contains(offset) ? Optional.of(r) : Optional.empty();
    }

    /**
     * The range holding {@code offset} as this process last wrote or read it, without a read; it
     * may be stale (another process wrote it since, or it is gone). Callers rely on it only
     * through a conditional write, which fails if it is not what is stored.
     */
    Optional<ClaimedRange> remembered(String stateKey, long gen, long offset) {
        NavigableMap<Long, ClaimedRange> known = remembered.get(stateKey);
        if (known == null) return Optional.empty();
        synchronized (known) {
            var e = known.floorEntry(offset);
            return e == null || e.getValue().gen() != gen || !e.getValue().contains(offset) ? Optional.empty() : Optional.of(e.getValue());
        }
    }

    /** The stored ranges of the generation that start in {@code [from, to]}, in order (a nack's reach). */
    List<ClaimedRange> between(String stateKey, long gen, long from, long to) {
        List<ClaimedRange> out = new ArrayList<>();
        dynamo.queryPaginator(b -> b.tableName(table)
                        .keyConditionExpression(STATE_PARTITION_KEY + " = :pk AND " + STATE_SORT_KEY + " BETWEEN :lo AND :hi")
                        .expressionAttributeValues(Map.of(":pk", s(stateKey), ":lo", s(FifoItems.claimSortKey(gen, from)),
                                ":hi", s(FifoItems.claimSortKey(gen, to))))
                        .consistentRead(true))
                .items().forEach(i -> {
                    if (!RangeCodec.gateLayout(i)) out.add(remember(stateKey, RangeCodec.decode(gen, i)));
                });
        return out;
    }

    Optional<ClaimedRange> get(String stateKey, long gen, long start) {
        var item = dynamo.getItem(b -> b.tableName(table).key(RangeCodec.key(stateKey, gen, start)).consistentRead(true)).item();
        if (item == null || item.isEmpty() || RangeCodec.gateLayout(item)) {
            forget(stateKey, gen, start);
            return Optional.empty();
        }
        return Optional.of(remember(stateKey, RangeCodec.decode(gen, item)));
    }

    /**
     * Writes {@code updated} if {@code readAs} is what is stored (for a range not stored yet: if
     * no range starts there). Returns the range as stored, or empty when another writer was first.
     */
    Optional<ClaimedRange> write(String stateKey, ClaimedRange updated, ClaimedRange readAs) {
        long version = readAs.version() + 1;
        Map<String, AttributeValue> item = RangeCodec.encode(stateKey, updated, version);
        try {
            if (readAs.stored()) {
                dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("v = :v")
                        .expressionAttributeValues(Map.of(":v", n(readAs.version()))));
            } else {
                dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(" + STATE_PARTITION_KEY + ")"));
            }
            newest.seen(stateKey, updated.gen(), updated.start(), updated.end());
            return Optional.of(remember(stateKey, updated.storedAs(version)));
        } catch (ConditionalCheckFailedException e) {
            forget(stateKey, readAs.gen(), readAs.start());
            lostRaces.merge(stateKey, 1L, Long::sum);
            return Optional.empty();
        }
    }

    /** Moves the floor of the window up to {@code floor} (a range start, or the frontier); false when it lost a race. */
    boolean raiseFloor(String stateKey, Cursor cursor, long floor) {
        return floor > cursor.floor() && cursors.raiseFloor(stateKey, cursor, floor).landed();
    }

    /** Deletes a done range below the floor (one an older version left without a TTL), unless it changed since it was read. */
    void delete(String stateKey, ClaimedRange r) {
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(RangeCodec.key(stateKey, r.gen(), r.start()))
                    .conditionExpression("v = :v").expressionAttributeValues(Map.of(":v", n(r.version()))));
            forget(stateKey, r.gen(), r.start());
        } catch (ConditionalCheckFailedException changed) {
            // written since it was read: the next pass looks again
        }
    }

    /**
     * Leaves done ranges the floor has passed to the table's TTL, from {@code epochSeconds} on
     * (each on its version: one changed since it was read is left to the next pass).
     */
    void expire(String stateKey, List<ClaimedRange> passed, long epochSeconds) {
        for (ClaimedRange r : passed) {
            try {
                dynamo.updateItem(b -> b.tableName(table).key(RangeCodec.key(stateKey, r.gen(), r.start()))
                        .updateExpression(FifoItems.SET_TTL).conditionExpression("v = :v")
                        .expressionAttributeNames(FifoItems.TTL_NAME)
                        .expressionAttributeValues(Map.of(":t", n(epochSeconds), ":v", n(r.version()))));
            } catch (ConditionalCheckFailedException changed) {
                // written or deleted since it was read
            }
        }
    }

    /** Stored ranges of the generation that start below {@code below}, at most {@code limit} (maintenance). */
    List<ClaimedRange> before(String stateKey, long gen, long below, int limit) {
        return startingIn(stateKey, gen, 0, below, limit);
    }

    /** Stored ranges of the generation that start in {@code [from, below)}, at most {@code limit}, in order (maintenance). */
    List<ClaimedRange> startingIn(String stateKey, long gen, long from, long below, int limit) {
        if (below <= from) return List.of();
        var items = dynamo.query(b -> b.tableName(table)
                .keyConditionExpression(STATE_PARTITION_KEY + " = :pk AND " + STATE_SORT_KEY + " BETWEEN :lo AND :hi")
                .expressionAttributeValues(Map.of(":pk", s(stateKey), ":lo", s(FifoItems.claimSortKey(gen, from)),
                        ":hi", s(FifoItems.claimSortKey(gen, Math.max(0, below - 1)))))
                .limit(limit).consistentRead(true)).items();
        return items.stream().filter(i -> !RangeCodec.gateLayout(i)).map(i -> RangeCodec.decode(gen, i)).toList();
    }

    private ClaimedRange remember(String stateKey, ClaimedRange r) {
        NavigableMap<Long, ClaimedRange> known = remembered.computeIfAbsent(stateKey, k -> new TreeMap<>());
        synchronized (known) {
            ClaimedRange before = known.get(r.start());
            if (before == null || before.gen() != r.gen() || before.version() <= r.version()) known.put(r.start(), r);
            while (known.size() > REMEMBERED_PER_PARTITION) known.pollFirstEntry();
        }
        return r;
    }

    /** How many writes of ranges of the subscription-partition lost a race in this process so far. */
    long lostRaces(String stateKey) {
        return lostRaces.getOrDefault(stateKey, 0L);
    }

    /** Forgets the remembered ranges that start below {@code floor}: they are done, and only a late ack reads one again. */
    void forgetBelow(String stateKey, long floor) {
        NavigableMap<Long, ClaimedRange> known = remembered.get(stateKey);
        if (known == null) return;
        synchronized (known) {
            known.headMap(floor, false).clear();
        }
    }

    private void forget(String stateKey, long gen, long start) {
        NavigableMap<Long, ClaimedRange> known = remembered.get(stateKey);
        if (known == null) return;
        synchronized (known) {
            ClaimedRange r = known.get(start);
            if (r != null && r.gen() == gen) known.remove(start);
        }
    }

    private List<Map<String, AttributeValue>> query(String stateKey, long gen, long from) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        dynamo.queryPaginator(b -> b.tableName(table)
                        .keyConditionExpression(STATE_PARTITION_KEY + " = :pk AND " + STATE_SORT_KEY + " BETWEEN :lo AND :hi")
                        .expressionAttributeValues(Map.of(":pk", s(stateKey), ":lo", s(FifoItems.claimSortKey(gen, from)),
                                ":hi", s(FifoItems.claimSortKey(gen, Long.MAX_VALUE))))
                        .consistentRead(true))
                .items().forEach(items::add);
        return items;
    }

    /**
     * Ranges claimed under the gate layout hold their messages in gates ({@code g#} items). When
     * no gate of the generation holds a message, they are done: the floor moves past them. Else
     * the receive is refused with what to do: this build cannot serve those messages.
     */
    private Cursor adoptGateLayout(String stateKey, Cursor cursor, long end) {
        var gates = dynamo.queryPaginator(b -> b.tableName(table)
                .keyConditionExpression(STATE_PARTITION_KEY + " = :pk AND begins_with(" + STATE_SORT_KEY + ", :prefix)")
                .expressionAttributeValues(Map.of(":pk", s(stateKey), ":prefix", s(FifoItems.gatePrefix(cursor.gen()))))
                .projectionExpression("pending").consistentRead(true)).items();
        for (var gate : gates) {
            AttributeValue pending = gate.get("pending");
            if (pending != null && pending.hasL() && !pending.l().isEmpty()) {
                throw new ConflictException("FifoGateLayout", "this FIFO subscription holds unacked messages in per-group gates, "
                        + "the layout before ADR 0013 part 2, which this version no longer serves: drain it with the previous "
                        + "version, or purge the queue (its messages are dropped) to go on with this one");
            }
        }
        if (!raiseFloor(stateKey, cursor, end)) {
            return cursor(stateKey, cursor.genStart());
        }
        return new Cursor(cursor.gen(), cursor.genStart(), end);
    }
}
