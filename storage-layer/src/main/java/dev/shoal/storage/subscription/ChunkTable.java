package dev.shoal.storage.subscription;

import dev.shoal.storage.StoreErrors;
import dev.shoal.storage.dynamodb.ChunkItems;
import dev.shoal.storage.dynamodb.ShoalTables;
import dev.shoal.storage.dynamodb.StateItems;
import dev.shoal.storage.dynamodb.WriteOutcome;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.shoal.storage.StoreErrors.guard;
import static dev.shoal.storage.dynamodb.ChunkItems.decode;
import static dev.shoal.storage.dynamodb.ChunkItems.encode;
import static dev.shoal.storage.dynamodb.Items.*;
import static dev.shoal.storage.dynamodb.ShoalTables.*;
import static dev.shoal.storage.dynamodb.StateItems.chunkKey;
import static dev.shoal.storage.dynamodb.StateItems.chunkSortKey;

/**
 * Chunks and cursors of subscriptions in the state table (keys in {@link StateItems}, items in
 * {@link ChunkItems}): one query returns a subscription-partition's cursor and newest chunk.
 * Chunks that are not done carry the {@code due} index keys; done chunks drop them and stay
 * until maintenance has raised the floor past them and deletes them. They have no TTL: an
 * expired done chunk at the frontier would let its acked messages be delivered again, so
 * correctness must not depend on maintenance running in time.
 *
 * <p>Errors leave as Shoal's kinds ({@link StoreErrors}); conditional writes return a
 * {@link WriteOutcome}, with the chunk that won a lost race when DynamoDB returned it.
 */
public final class ChunkTable {

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
                .expressionAttributeValues(Map.of(":pk", s(stateKey), ":cursor", s(StateItems.CURSOR)))
                .scanIndexForward(false).limit(2).consistentRead(true)).items());
        Cursor cursor = new Cursor(0, defaultStart, defaultStart);
        Chunk newest = null;
        for (Map<String, AttributeValue> item : items) {
            if (ChunkItems.isCursor(item)) {
                cursor = ChunkItems.decodeCursor(item, defaultStart);
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
                .expressionAttributeValues(Map.of(":dg", s(StateItems.dueGroup(stateKey, gen)), ":now", n(nowMillis)))
                .limit(limit)));
        List<Long> starts = new ArrayList<>();
        for (Map<String, AttributeValue> item : response.items()) {
            starts.add(StateItems.chunkStart(str(item, STATE_SORT_KEY)));
        }
        return starts;
    }

    public Optional<Chunk> get(String stateKey, long gen, long start) {
        var item = guard("the read of " + stateKey, () -> dynamo.getItem(b -> b.tableName(table).key(chunkKey(stateKey, gen, start))
                .consistentRead(true)).item());
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(decode(item));
    }

    /** The chunk of the generation that holds {@code offset}, if it was delivered. */
    public Optional<Chunk> containing(String stateKey, long gen, long offset) {
        var items = guard("the read of " + stateKey, () -> dynamo.query(b -> b.tableName(table)
                .keyConditionExpression(STATE_PARTITION_KEY + " = :pk AND " + STATE_SORT_KEY + " BETWEEN :lo AND :hi")
                .expressionAttributeValues(Map.of(":pk", s(stateKey), ":lo", s(chunkSortKey(gen, 0)), ":hi", s(chunkSortKey(gen, offset))))
                .scanIndexForward(false).limit(1).consistentRead(true)).items());
        return items.isEmpty() ? Optional.empty() : Optional.of(decode(items.getFirst())).filter(c -> c.contains(offset));
    }

    /** Chunks of the generation starting at or after {@code from}, in offset order, at most {@code limit}. */
    public List<Chunk> from(String stateKey, long gen, long from, int limit) {
        QueryRequest request = QueryRequest.builder().tableName(table)
                .keyConditionExpression(STATE_PARTITION_KEY + " = :pk AND " + STATE_SORT_KEY + " BETWEEN :lo AND :hi")
                .expressionAttributeValues(Map.of(":pk", s(stateKey), ":lo", s(chunkSortKey(gen, from)), ":hi", s(chunkSortKey(gen, Long.MAX_VALUE))))
                .limit(limit).consistentRead(true).build();
        return guard("the read of " + stateKey, () -> dynamo.query(request).items()).stream().map(ChunkItems::decode).toList();
    }

    /**
     * Claims new chunks at the frontier: all are put, or none when any start is taken (another
     * receiver won: its chunk there is the winner).
     */
    public WriteOutcome<Chunk> claim(String stateKey, List<Chunk> chunks, long nowMillis) {
        try {
            if (chunks.size() == 1) {
                dynamo.putItem(b -> b.tableName(table).item(encode(stateKey, chunks.getFirst()))
                        .conditionExpression("attribute_not_exists(" + STATE_PARTITION_KEY + ")")
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            } else {
                List<TransactWriteItem> puts = chunks.stream().map(c -> putIfAbsent(stateKey, c)).toList();
                dynamo.transactWriteItems(b -> b.transactItems(puts));
            }
            return WriteOutcome.written();
        } catch (SdkException e) {
            return WriteOutcome.ofFailure(e, "the claim of messages in " + stateKey, ChunkItems::decode);
        }
    }

    /**
     * Replaces {@code original} by {@code pieces} (one piece with the same start: an update;
     * several: a split), on the condition that nobody changed the original since it was read.
     * A lost race when somebody did (the winner is the chunk now stored, when returned): the
     * caller reads again. Anything but a lost race, a cancelled transaction whose items were
     * throttled included, is thrown as Shoal's kind: retrying at once would only add load.
     */
    public WriteOutcome<Chunk> replace(String stateKey, Chunk original, List<Chunk> pieces, long nowMillis) {
        List<TransactWriteItem> writes = new ArrayList<>(pieces.size());
        Map<String, AttributeValue> expected = Map.of(":v", n(original.version()));
        String sameVersion = ChunkItems.VERSION + " = :v";
        try {
            if (pieces.size() == 1) {
                dynamo.putItem(b -> b.tableName(table).item(encode(stateKey, pieces.getFirst().versionAfter(original)))
                        .conditionExpression(sameVersion).expressionAttributeValues(expected)
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
                return WriteOutcome.written();
            }
            for (Chunk piece : pieces) {
                if (piece.start() == original.start()) {
                    writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table)
                            .item(encode(stateKey, piece.versionAfter(original)))
                            .conditionExpression(sameVersion).expressionAttributeValues(expected)
                            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build()).build());
                } else {
                    writes.add(putIfAbsent(stateKey, piece.versionAfter(original)));
                }
            }
            dynamo.transactWriteItems(b -> b.transactItems(writes));
            return WriteOutcome.written();
        } catch (SdkException e) {
            return WriteOutcome.ofFailure(e, "the update of messages in " + stateKey, ChunkItems::decode);
        }
    }

    /**
     * Replaces the cursor {@code read} by {@code next} (seek, purge), on the condition that no
     * other seek or purge moved it since it was read. A lost race when one did: read again.
     */
    public WriteOutcome<Cursor> moveCursor(String stateKey, Cursor read, Cursor next) {
        Map<String, AttributeValue> item = ChunkItems.encodeCursor(stateKey, next);
        try {
            dynamo.putItem(b -> b.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(" + STATE_PARTITION_KEY + ") OR gen = :g")
                    .expressionAttributeValues(Map.of(":g", n(read.gen()))));
            return WriteOutcome.written();
        } catch (SdkException e) {
            return WriteOutcome.ofFailure(e, "the move of " + stateKey, winner -> ChunkItems.decodeCursor(winner, next.genStart()));
        }
    }

    /**
     * Moves the floor up (never down, never across generations), creating the cursor of a
     * partition that has none yet. Written when the stored floor is now {@code floor}; a lost
     * race when another pass moved it as far or a seek started a new generation.
     */
    public WriteOutcome<Cursor> raiseFloor(String stateKey, Cursor read, long floor) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(StateItems.cursorKey(stateKey))
                    .updateExpression("SET floor = :f, gen = if_not_exists(gen, :g), genStart = if_not_exists(genStart, :gs)")
                    .conditionExpression("attribute_not_exists(" + STATE_PARTITION_KEY + ") OR (gen = :g AND floor < :f)")
                    .expressionAttributeValues(Map.of(":f", n(floor), ":g", n(read.gen()), ":gs", n(read.genStart())))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return WriteOutcome.written();
        } catch (SdkException e) {
            return WriteOutcome.ofFailure(e, "the floor of " + stateKey, winner -> ChunkItems.decodeCursor(winner, read.genStart()));
        }
    }

    /**
     * Puts a chunk that is not done in the {@code due} index (a sweep found its lease still
     * running), on the condition that nobody changed it since it was read; one version later, so
     * that a writer that read it before, and would write it back out of the index, loses its race.
     */
    public WriteOutcome<Chunk> putInIndex(String stateKey, Chunk read) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(chunkKey(stateKey, read.gen(), read.start()))
                    .updateExpression("SET " + DUE_INDEX_PARTITION_KEY + " = :dg, " + ChunkItems.VERSION + " = :next")
                    .conditionExpression(ChunkItems.VERSION + " = :v")
                    .expressionAttributeValues(Map.of(":dg", s(StateItems.dueGroup(stateKey, read.gen())),
                            ":v", n(read.version()), ":next", n(read.version() + 1)))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return WriteOutcome.written();
        } catch (SdkException e) {
            return WriteOutcome.ofFailure(e, "the indexing of messages in " + stateKey, ChunkItems::decode);
        }
    }

    /**
     * Moves the sweep mark up to {@code to} (never down, never across generations), creating the
     * cursor of a partition that has none yet. A lost race when another sweep moved it as far or
     * a seek started a new generation.
     */
    public WriteOutcome<Cursor> raiseSwept(String stateKey, Cursor read, long to) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(StateItems.cursorKey(stateKey))
                    .updateExpression("SET " + ChunkItems.SWEPT + " = :s, gen = if_not_exists(gen, :g), "
                            + "genStart = if_not_exists(genStart, :gs), floor = if_not_exists(floor, :f)")
                    .conditionExpression("attribute_not_exists(" + STATE_PARTITION_KEY + ") OR (gen = :g AND (attribute_not_exists("
                            + ChunkItems.SWEPT + ") OR " + ChunkItems.SWEPT + " < :s))")
                    .expressionAttributeValues(Map.of(":s", n(to), ":g", n(read.gen()), ":gs", n(read.genStart()), ":f", n(read.floor())))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return WriteOutcome.written();
        } catch (SdkException e) {
            return WriteOutcome.ofFailure(e, "the sweep mark of " + stateKey, winner -> ChunkItems.decodeCursor(winner, read.genStart()));
        }
    }

    /** Deletes done chunks that the floor has passed (maintenance, after raising the floor). */
    public void deleteDone(String stateKey, List<Chunk> done) {
        for (Chunk c : done) {
            guard("the cleanup of " + stateKey, () -> dynamo.deleteItem(d -> d.tableName(table).key(chunkKey(stateKey, c.gen(), c.start()))
                    .conditionExpression(ChunkItems.DONE + " = :t").expressionAttributeValues(Map.of(":t", bool(true)))));
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
        for (String prefix : StateItems.GENERATION_PREFIXES) {
            String upper = StateItems.generationPrefix(prefix, gen);
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

    private TransactWriteItem putIfAbsent(String stateKey, Chunk chunk) {
        return TransactWriteItem.builder().put(Put.builder().tableName(table).item(encode(stateKey, chunk))
                .conditionExpression("attribute_not_exists(" + STATE_PARTITION_KEY + ")")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build()).build();
    }
}
