package dev.shoal.storage.fifo;

import dev.shoal.storage.dynamodb.ShoalTables;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.shoal.storage.dynamodb.Items.*;
import static dev.shoal.storage.dynamodb.ShoalTables.*;

/**
 * Gates and claimed ranges of FIFO subscriptions in the state table, next to the cursor of the
 * subscription-partition: gates under {@code g#<gen>#<group>}, claimed ranges under
 * {@code r#<gen>#<start>} (a chain, like the log's, that makes claims race-free). A gate with
 * pending messages carries the {@code due} index keys; an idle one does not.
 */
public final class GateTable {

    /**
     * At most this many claimed, unacked messages wait in one group's gate (it keeps items
     * small: every gate write is billed by its size). A claim stops before a group whose gate
     * is full, so one group with a deep backlog in flight holds back the claiming of later
     * records of its partition until it drains.
     */
    static final int MAX_PENDING = 300;

    private final DynamoDbClient dynamo;
    private final String table;

    public GateTable(DynamoDbClient dynamo, ShoalTables tables) {
        this.dynamo = dynamo;
        this.table = tables.stateTable();
    }

    public Optional<Gate> get(String stateKey, long gen, String group) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key(stateKey, gen, group)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(decode(item));
    }

    /** Groups of the generation whose gate is due at or before {@code now}. */
    public List<String> dueGroups(String stateKey, long gen, long now, int limit) {
        var items = dynamo.query(b -> b.tableName(table).indexName(DUE_INDEX)
                .keyConditionExpression(DUE_INDEX_PARTITION_KEY + " = :dg AND " + DUE_INDEX_SORT_KEY + " <= :now")
                .expressionAttributeValues(Map.of(":dg", s(dueGroup(stateKey, gen)), ":now", n(now))).limit(limit)).items();
        List<String> groups = new ArrayList<>();
        String prefix = gatePrefix(gen);
        for (var item : items) {
            String sk = str(item, STATE_SORT_KEY);
            if (sk.startsWith(prefix)) groups.add(sk.substring(prefix.length()));
        }
        return groups;
    }

    /** Every gate of the generation (counts and maintenance; not on the receive path). */
    public Iterable<Gate> all(String stateKey, long gen) {
        return () -> dynamo.queryPaginator(b -> b.tableName(table)
                        .keyConditionExpression(STATE_PARTITION_KEY + " = :pk AND begins_with(" + STATE_SORT_KEY + ", :prefix)")
                        .expressionAttributeValues(Map.of(":pk", s(stateKey), ":prefix", s(gatePrefix(gen)))))
                .items().stream().map(GateTable::decode).iterator();
    }

    /**
     * Appends a claimed range's offsets of one group, once: the condition on {@code upTo} makes
     * a repeated claim of the same offsets (a retry, a racing claimer) a no-op.
     *
     * @return false when some of these offsets were appended before (the caller reads the gate and appends the rest)
     */
    public boolean append(String stateKey, long gen, String group, List<Long> offsets, long upTo, long now) {
        List<AttributeValue> offs = offsets.stream().map(o -> n(o)).toList();
        List<AttributeValue> zeros = offsets.stream().map(o -> n(0)).toList();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":offs", AttributeValue.fromL(offs));
        values.put(":zeros", AttributeValue.fromL(zeros));
        values.put(":empty", AttributeValue.fromL(List.of()));
        values.put(":upTo", n(upTo));
        values.put(":first", n(offsets.getFirst()));
        values.put(":gen", n(gen));
        values.put(":dg", s(dueGroup(stateKey, gen)));
        values.put(":now", n(now));
        values.put(":zero", n(0));
        values.put(":one", n(1));
        values.put(":max", n(MAX_PENDING));
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(stateKey, gen, group))
                    .updateExpression("SET pending = list_append(if_not_exists(pending, :empty), :offs), "
                            + "rc = list_append(if_not_exists(rc, :empty), :zeros), fr = list_append(if_not_exists(fr, :empty), :zeros), "
                            + "upTo = :upTo, gen = :gen, dg = :dg, " + DUE_INDEX_SORT_KEY + " = if_not_exists(" + DUE_INDEX_SORT_KEY + ", :now), "
                            + "v = if_not_exists(v, :zero) + :one")
                    .conditionExpression("(attribute_not_exists(upTo) OR upTo <= :first) AND (attribute_not_exists(pending) OR size(pending) < :max)")
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Writes the gate if nobody changed it since it was read; false when somebody did. */
    public boolean put(String stateKey, Gate gate, Gate readAs) {
        Map<String, AttributeValue> item = encode(stateKey, gate, readAs.version() + 1);
        try {
            dynamo.putItem(b -> b.tableName(table).item(item)
                    .conditionExpression("v = :v").expressionAttributeValues(Map.of(":v", n(readAs.version()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** The end of the newest claimed range of the generation, if any. */
    public Optional<Long> newestClaimEnd(String stateKey, long gen) {
        var items = dynamo.query(b -> b.tableName(table)
                .keyConditionExpression(STATE_PARTITION_KEY + " = :pk AND begins_with(" + STATE_SORT_KEY + ", :prefix)")
                .expressionAttributeValues(Map.of(":pk", s(stateKey), ":prefix", s("r#" + String.format("%010d#", gen))))
                .scanIndexForward(false).limit(1).consistentRead(true)).items();
        return items.isEmpty() ? Optional.empty() : Optional.of(num(items.getFirst(), "end", 0));
    }

    /** Records that {@code [start, end)} is claimed; false when another claimer recorded it first. */
    public boolean recordClaim(String stateKey, long gen, long start, long end) {
        try {
            dynamo.putItem(b -> b.tableName(table).item(Map.of(STATE_PARTITION_KEY, s(stateKey),
                            STATE_SORT_KEY, s("r#" + String.format("%010d#%019d", gen, start)), "end", n(end)))
                    .conditionExpression("attribute_not_exists(" + STATE_PARTITION_KEY + ")"));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    static String gatePrefix(long gen) {
        return String.format("g#%010d#", gen);
    }

    static String dueGroup(String stateKey, long gen) {
        return stateKey + "#" + gen;
    }

    private static Map<String, AttributeValue> key(String stateKey, long gen, String group) {
        return Map.of(STATE_PARTITION_KEY, s(stateKey), STATE_SORT_KEY, s(gatePrefix(gen) + group));
    }

    private static Map<String, AttributeValue> encode(String stateKey, Gate g, long version) {
        Map<String, AttributeValue> item = new HashMap<>(key(stateKey, g.gen(), g.group()));
        item.put("gen", n(g.gen()));
        item.put("pending", AttributeValue.fromL(g.pending().stream().map(o -> n(o)).toList()));
        item.put("rc", AttributeValue.fromL(g.receiveCounts().stream().map(c -> n(c)).toList()));
        item.put("fr", AttributeValue.fromL(g.firstReceived().stream().map(t -> n(t)).toList()));
        item.put("upTo", n(g.upTo()));
        item.put("leased", n(g.leased()));
        item.put("ack", b(g.acked().toByteArray()));
        if (g.lease() != null) item.put("lease", s(g.lease()));
        item.put("nacked", bool(g.delayed()));
        item.put(DUE_INDEX_SORT_KEY, n(g.due()));
        item.put("la", n(g.leasedAt()));
        item.put("v", n(version));
        if (!g.pending().isEmpty()) {
            item.put(DUE_INDEX_PARTITION_KEY, s(dueGroup(stateKey, g.gen())));
        }
        return item;
    }

    static Gate decode(Map<String, AttributeValue> item) {
        String sk = str(item, STATE_SORT_KEY);
        long gen = num(item, "gen", 0);
        byte[] bits = bytes(item, "ack");
        return new Gate(gen, sk.substring(gatePrefix(gen).length()), longs(item, "pending"), ints(item, "rc"), longs(item, "fr"),
                num(item, "upTo", 0), (int) num(item, "leased", 0), bits == null ? new BitSet() : BitSet.valueOf(bits),
                str(item, "lease"), flag(item, "nacked"), num(item, DUE_INDEX_SORT_KEY, 0), num(item, "la", 0), num(item, "v", 0));
    }

    private static List<Long> longs(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || !v.hasL() ? List.of() : v.l().stream().map(x -> Long.parseLong(x.n())).toList();
    }

    private static List<Integer> ints(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || !v.hasL() ? List.of() : v.l().stream().map(x -> Integer.parseInt(x.n())).toList();
    }
}
