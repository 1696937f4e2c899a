package dev.shoal.storage.subscription;

import dev.shoal.storage.dynamodb.ShoalTables;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import dev.shoal.storage.StoreErrors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.shoal.storage.dynamodb.Items.*;
import static dev.shoal.storage.StoreErrors.guard;
import static dev.shoal.storage.dynamodb.ShoalTables.*;

/**
 * Chunks and cursors of subscriptions in the state table. A subscription-partition's items
 * share one partition key; chunks sort by generation and start offset ({@code c#<gen>#<start>}),
 * and the cursor ({@code cursor}) sorts after them, so one query returns the cursor and the
 * newest chunk. Chunks that are not done carry the {@code due} index keys; done chunks drop
 * them and stay until maintenance has raised the floor past them and deletes them. They have
 * no TTL: an expired done chunk at the frontier would let its acked messages be delivered
 * again, so correctness must not depend on maintenance running in time.
 *
 * <p>Errors leave as Shoal's kinds ({@link StoreErrors}); lost races are answers, not errors.
 */
public final class ChunkTable {

    static final String CURSOR = "cursor";

    private final DynamoDbClient dynamo;
    private final String table;

    public ChunkTable(DynamoDbClient dynamo, ShoalTables tables) {
        this.dynamo = dynamo;
        this.table = tables.stateTable();
    }

    /** The cursor and the newest chunk of the cursor's generation, in one query. */
    public Head head(String stateKey, long defaultStart) {
        var items = guard("the read of " + stateKey, () -> dynamo.query(b -> b.tableName(table)
                .keyConditionExpression(STATE_PARTITION_KEY + " = :pk AND " + STATE_SORT_KEY + " <= :cursor")
                .expressionAttributeValues(Map.of(":pk", s(stateKey), ":cursor", s(CURSOR)))
                .scanIndexForward(false).limit(2).consistentRead(true)).items());
        Cursor cursor = new Cursor(0, defaultStart, defaultStart);
        Chunk newest = null;
        for (Map<String, AttributeValue> item : items) {
            if (CURSOR.equals(str(item, STATE_SORT_KEY))) {
                cursor = new Cursor(num(item, "gen", 0), num(item, "genStart", defaultStart), num(item, "floor", defaultStart));
            } else if (newest == null) {
                newest = decode(item); // items come newest first
            }
        }
        if (newest != null && newest.gen() != cursor.gen()) {
            newest = null;
        }
        return new Head(cursor, Optional.ofNullable(newest));
    }

    /** The cursor and, if any, the newest chunk of its generation. */
    public record Head(Cursor cursor, Optional<Chunk> newest) {
        public long frontier() {
            return cursor.frontier(newest.map(Chunk::end).orElse(0L));
        }
    }

    /** Start offsets of up to {@code limit} chunks of the generation due at or before {@code nowMillis}, soonest first. */
    public List<Long> dueStarts(String stateKey, long gen, long nowMillis, int limit) {
        var response = guard("the read of " + stateKey, () -> dynamo.query(b -> b.tableName(table).indexName(DUE_INDEX)
                .keyConditionExpression(DUE_INDEX_PARTITION_KEY + " = :dg AND " + DUE_INDEX_SORT_KEY + " <= :now")
                .expressionAttributeValues(Map.of(":dg", s(dueGroup(stateKey, gen)), ":now", n(nowMillis)))
                .limit(limit)));
        List<Long> starts = new ArrayList<>();
        for (Map<String, AttributeValue> item : response.items()) {
            starts.add(startOf(str(item, STATE_SORT_KEY)));
        }
        return starts;
    }

    public Optional<Chunk> get(String stateKey, long gen, long start) {
        var item = guard("the read of " + stateKey, () -> dynamo.getItem(b -> b.tableName(table).key(key(stateKey, gen, start))
                .consistentRead(true)).item());
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(decode(item));
    }

    /** The chunk of the generation that holds {@code offset}, if it was delivered. */
    public Optional<Chunk> containing(String stateKey, long gen, long offset) {
        var items = guard("the read of " + stateKey, () -> dynamo.query(b -> b.tableName(table)
                .keyConditionExpression(STATE_PARTITION_KEY + " = :pk AND " + STATE_SORT_KEY + " BETWEEN :lo AND :hi")
                .expressionAttributeValues(Map.of(":pk", s(stateKey), ":lo", s(sortKey(gen, 0)), ":hi", s(sortKey(gen, offset))))
                .scanIndexForward(false).limit(1).consistentRead(true)).items());
        return items.isEmpty() ? Optional.empty() : Optional.of(decode(items.getFirst())).filter(c -> c.contains(offset));
    }

    /** Chunks of the generation starting at or after {@code from}, in offset order, at most {@code limit}. */
    public List<Chunk> from(String stateKey, long gen, long from, int limit) {
        QueryRequest request = QueryRequest.builder().tableName(table)
                .keyConditionExpression(STATE_PARTITION_KEY + " = :pk AND " + STATE_SORT_KEY + " BETWEEN :lo AND :hi")
                .expressionAttributeValues(Map.of(":pk", s(stateKey), ":lo", s(sortKey(gen, from)), ":hi", s(sortKey(gen, Long.MAX_VALUE))))
                .limit(limit).consistentRead(true).build();
        return guard("the read of " + stateKey, () -> dynamo.query(request).items()).stream().map(ChunkTable::decode).toList();
    }

    /** Claims new chunks at the frontier: all are put, or none when any start is taken (another receiver won). */
    public boolean claim(String stateKey, List<Chunk> chunks, long nowMillis) {
        try {
            if (chunks.size() == 1) {
                dynamo.putItem(b -> b.tableName(table).item(encode(stateKey, chunks.getFirst(), nowMillis))
                        .conditionExpression("attribute_not_exists(" + STATE_PARTITION_KEY + ")"));
            } else {
                List<TransactWriteItem> puts = chunks.stream().map(c -> putIfAbsent(stateKey, c, nowMillis)).toList();
                dynamo.transactWriteItems(b -> b.transactItems(puts));
            }
            return true;
        } catch (SdkException e) {
            return lostRace(e, "the claim of messages in " + stateKey);
        }
    }

    /**
     * Replaces {@code original} by {@code pieces} (one piece with the same start: an update;
     * several: a split), on the condition that nobody changed the original since it was read.
     * Returns false when somebody did; the caller reads again.
     */
    public boolean replace(String stateKey, Chunk original, List<Chunk> pieces, long nowMillis) {
        List<TransactWriteItem> writes = new ArrayList<>(pieces.size());
        Map<String, AttributeValue> expected = Map.of(":v", n(original.version()));
        try {
            if (pieces.size() == 1) {
                dynamo.putItem(b -> b.tableName(table).item(encode(stateKey, bump(pieces.getFirst(), original), nowMillis))
                        .conditionExpression("v = :v").expressionAttributeValues(expected));
                return true;
            }
            for (Chunk piece : pieces) {
                if (piece.start() == original.start()) {
                    writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table)
                            .item(encode(stateKey, bump(piece, original), nowMillis))
                            .conditionExpression("v = :v").expressionAttributeValues(expected).build()).build());
                } else {
                    writes.add(putIfAbsent(stateKey, bump(piece, original), nowMillis));
                }
            }
            dynamo.transactWriteItems(b -> b.transactItems(writes));
            return true;
        } catch (SdkException e) {
            return lostRace(e, "the update of messages in " + stateKey);
        }
    }

    /**
     * False when {@code e} is a lost race (a condition failed, or another transaction touched
     * the same items): the caller reads again and retries after a backoff. Anything else, a
     * cancelled transaction whose items were throttled included, is thrown as Shoal's kind
     * ({@code ServiceUnavailable} for throttling, 5xx and no answer): retrying at once would
     * only add load.
     */
    private static boolean lostRace(SdkException e, String what) {
        StoreErrors.Kind kind = StoreErrors.classify(e);
        if (kind == StoreErrors.Kind.CONDITION_FAILED || kind == StoreErrors.Kind.TRANSACTION_CONFLICT) {
            return false;
        }
        throw StoreErrors.translate(e, what);
    }

    /**
     * Replaces the cursor {@code read} by {@code next} (seek, purge), on the condition that no
     * other seek or purge moved it since it was read. False when one did: read again.
     */
    public boolean moveCursor(String stateKey, Cursor read, Cursor next) {
        Map<String, AttributeValue> item = new HashMap<>(Map.of(STATE_PARTITION_KEY, s(stateKey), STATE_SORT_KEY, s(CURSOR)));
        item.put("gen", n(next.gen()));
        item.put("genStart", n(next.genStart()));
        item.put("floor", n(next.floor()));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(" + STATE_PARTITION_KEY + ") OR gen = :g")
                    .expressionAttributeValues(Map.of(":g", n(read.gen()))));
            return true;
        } catch (SdkException e) {
            return lostRace(e, "the move of " + stateKey);
        }
    }

    /**
     * Moves the floor up (never down, never across generations), creating the cursor of a
     * partition that has none yet. True when the stored floor is now {@code floor}; false when
     * another pass moved it as far or a seek started a new generation.
     */
    public boolean raiseFloor(String stateKey, Cursor read, long floor) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(Map.of(STATE_PARTITION_KEY, s(stateKey), STATE_SORT_KEY, s(CURSOR)))
                    .updateExpression("SET floor = :f, gen = if_not_exists(gen, :g), genStart = if_not_exists(genStart, :gs)")
                    .conditionExpression("attribute_not_exists(" + STATE_PARTITION_KEY + ") OR (gen = :g AND floor < :f)")
                    .expressionAttributeValues(Map.of(":f", n(floor), ":g", n(read.gen()), ":gs", n(read.genStart()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (RuntimeException e) {
            throw StoreErrors.translate(e, "the floor of " + stateKey);
        }
    }

    /** Deletes done chunks that the floor has passed (maintenance, after raising the floor). */
    public void deleteDone(String stateKey, List<Chunk> done) {
        for (Chunk c : done) {
            guard("the cleanup of " + stateKey, () -> dynamo.deleteItem(d -> d.tableName(table).key(key(stateKey, c.gen(), c.start()))
                    .conditionExpression("done = :t").expressionAttributeValues(Map.of(":t", bool(true)))));
        }
    }

    /** Deletes every item of the subscription-partition (subscription or queue deletion). */
    public void deleteAll(String stateKey) {
        guard("the deletion of " + stateKey, () -> dynamo.queryPaginator(b -> b.tableName(table).keyConditionExpression(STATE_PARTITION_KEY + " = :pk")
                        .expressionAttributeValues(Map.of(":pk", s(stateKey))).projectionExpression(STATE_PARTITION_KEY + ", " + STATE_SORT_KEY))
                .items().forEach(item -> dynamo.deleteItem(d -> d.tableName(table).key(item))));
    }

    /**
     * Deletes items that seek and purge left in generations before {@code gen}: chunks
     * ({@code c#}), FIFO gates ({@code g#}) and claimed ranges ({@code r#}); at most {@code limit}.
     */
    public int deleteOldGenerations(String stateKey, long gen, int limit) {
        if (gen == 0) {
            return 0; // nothing comes before the first generation: no reads for subscriptions never sought or purged
        }
        int deleted = 0;
        for (String prefix : new String[] {"c#", "g#", "r#"}) {
            String upper = String.format("%s%010d#", prefix, gen);
            var items = dynamo.query(b -> b.tableName(table)
                    .keyConditionExpression(STATE_PARTITION_KEY + " = :pk AND " + STATE_SORT_KEY + " BETWEEN :lo AND :hi")
                    .expressionAttributeValues(Map.of(":pk", s(stateKey), ":lo", s(prefix), ":hi", s(upper)))
                    .projectionExpression(STATE_PARTITION_KEY + ", " + STATE_SORT_KEY).limit(limit)).items();
            for (var item : items) {
                if (!str(item, STATE_SORT_KEY).startsWith(upper)) {
                    dynamo.deleteItem(d -> d.tableName(table).key(item));
                    deleted++;
                }
            }
        }
        return deleted;
    }

    private static Chunk bump(Chunk piece, Chunk original) {
        return new Chunk(piece.gen(), piece.start(), piece.end(), piece.segmentKey(), piece.segmentBase(), piece.segmentBytes(),
                piece.headerLength(), piece.acked(), piece.lease(), piece.state(), piece.due(), piece.leasedAt(),
                piece.receiveCount(), piece.firstReceivedAt(), original.version() + 1, piece.done());
    }

    private TransactWriteItem putIfAbsent(String stateKey, Chunk chunk, long nowMillis) {
        return TransactWriteItem.builder().put(Put.builder().tableName(table).item(encode(stateKey, chunk, nowMillis))
                .conditionExpression("attribute_not_exists(" + STATE_PARTITION_KEY + ")").build()).build();
    }

    static String sortKey(long gen, long start) {
        return String.format("c#%010d#%019d", gen, start);
    }

    static long startOf(String sortKey) {
        return Long.parseLong(sortKey.substring(sortKey.lastIndexOf('#') + 1));
    }

    static String dueGroup(String stateKey, long gen) {
        return stateKey + "#" + gen;
    }

    private static Map<String, AttributeValue> key(String stateKey, long gen, long start) {
        return Map.of(STATE_PARTITION_KEY, s(stateKey), STATE_SORT_KEY, s(sortKey(gen, start)));
    }

    static Map<String, AttributeValue> encode(String stateKey, Chunk c, long nowMillis) {
        Map<String, AttributeValue> item = new HashMap<>(key(stateKey, c.gen(), c.start()));
        item.put("gen", n(c.gen()));
        item.put("end", n(c.end()));
        item.put("seg", s(c.segmentKey()));
        item.put("sb", n(c.segmentBase()));
        item.put("sz", n(c.segmentBytes()));
        item.put("hl", n(c.headerLength()));
        item.put("ack", b(c.acked().toByteArray()));
        if (c.lease() != null) item.put("lease", s(c.lease()));
        item.put("st", s(c.state() == Chunk.State.LEASED ? "L" : "D"));
        item.put("due", n(c.due()));
        item.put("la", n(c.leasedAt()));
        item.put("rc", n(c.receiveCount()));
        item.put("fr", n(c.firstReceivedAt()));
        item.put("v", n(c.version()));
        if (c.done()) {
            // no TTL: the frontier may rest on this chunk until maintenance has raised the floor past it
            item.put("done", bool(true));
        } else {
            item.put(DUE_INDEX_PARTITION_KEY, s(dueGroup(stateKey, c.gen())));
        }
        return item;
    }

    static Chunk decode(Map<String, AttributeValue> item) {
        byte[] bits = bytes(item, "ack");
        return new Chunk(num(item, "gen", 0), startOf(str(item, STATE_SORT_KEY)), num(item, "end", 0), str(item, "seg"),
                num(item, "sb", 0), num(item, "sz", 0), (int) num(item, "hl", 0),
                bits == null ? new BitSet() : BitSet.valueOf(bits), str(item, "lease"),
                "L".equals(str(item, "st")) ? Chunk.State.LEASED : Chunk.State.DELAYED, num(item, "due", 0), num(item, "la", 0),
                (int) num(item, "rc", 0), num(item, "fr", 0), num(item, "v", 0), flag(item, "done"));
    }
}
