package dev.shoal.storage.fifo;

import dev.shoal.storage.dynamodb.FifoItems;
import dev.shoal.storage.dynamodb.ShoalTables;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

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
     * @return the gate as appended, or empty when some of these offsets were appended before (the caller reads
     *         the gate and appends the rest) or the gate is full
     */
    public Optional<Gate> append(String stateKey, long gen, String group, List<Long> offsets, long upTo, long now) {
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
            var updated = dynamo.updateItem(b -> b.tableName(table).key(key(stateKey, gen, group))
                    .updateExpression("SET pending = list_append(if_not_exists(pending, :empty), :offs), "
                            + "rc = list_append(if_not_exists(rc, :empty), :zeros), fr = list_append(if_not_exists(fr, :empty), :zeros), "
                            + "upTo = :upTo, gen = :gen, dg = :dg, " + DUE_INDEX_SORT_KEY + " = if_not_exists(" + DUE_INDEX_SORT_KEY + ", :now), "
                            + "v = if_not_exists(v, :zero) + :one")
                    .conditionExpression("(attribute_not_exists(upTo) OR upTo <= :first) AND (attribute_not_exists(pending) OR size(pending) < :max)")
                    .expressionAttributeValues(values).returnValues(ReturnValue.ALL_NEW));
            return Optional.of(decode(updated.attributes()));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
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
                .expressionAttributeValues(Map.of(":pk", s(stateKey), ":prefix", s(FifoItems.claimPrefix(gen))))
                .scanIndexForward(false).limit(1).consistentRead(true)).items();
        return items.isEmpty() ? Optional.empty() : Optional.of(num(items.getFirst(), "end", 0));
    }

    /** Records that {@code [start, end)} is claimed; false when another claimer recorded it first. */
    public boolean recordClaim(String stateKey, long gen, long start, long end) {
        try {
            dynamo.putItem(b -> b.tableName(table).item(Map.of(STATE_PARTITION_KEY, s(stateKey),
                            STATE_SORT_KEY, s(FifoItems.claimSortKey(gen, start)), "end", n(end)))
                    .conditionExpression("attribute_not_exists(" + STATE_PARTITION_KEY + ")"));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    static String gatePrefix(long gen) {
        return FifoItems.gatePrefix(gen);
    }

    static String dueGroup(String stateKey, long gen) {
        return FifoItems.dueGroup(stateKey, gen);
    }

    private static Map<String, AttributeValue> key(String stateKey, long gen, String group) {
        return Map.of(STATE_PARTITION_KEY, s(stateKey), STATE_SORT_KEY, s(FifoItems.gateSortKey(gen, group)));
    }

    private static Map<String, AttributeValue> encode(String stateKey, Gate g, long version) {
        Map<String, AttributeValue> item = new HashMap<>(key(stateKey, g.gen(), g.group()));
        item.put("gen", n(g.gen()));
        item.put("pending", AttributeValue.fromL(g.pending().stream().map(o -> n(o)).toList()));
        item.put("rc", AttributeValue.fromL(g.receiveCounts().stream().map(c -> n(c)).toList()));
        item.put("fr", AttributeValue.fromL(g.firstReceived().stream().map(t -> n(t)).toList()));
        item.put("upTo", n(g.upTo()));
        item.put("holds", AttributeValue.fromL(g.holds().stream().map(GateTable::encode).toList()));
        item.put(DUE_INDEX_SORT_KEY, n(g.due()));
        item.put("acks", AttributeValue.fromL(g.recentAcks().stream().map(a -> s(a)).toList()));
        item.put("v", n(version));
        if (!g.pending().isEmpty()) {
            item.put(DUE_INDEX_PARTITION_KEY, s(dueGroup(stateKey, g.gen())));
        }
        return item;
    }

    static Gate decode(Map<String, AttributeValue> item) {
        String sk = str(item, STATE_SORT_KEY);
        long gen = num(item, "gen", 0);
        String group = sk.substring(gatePrefix(gen).length());
        List<Long> pending = longs(item, "pending");
        List<Integer> rc = ints(item, "rc");
        List<Long> fr = longs(item, "fr");
        long upTo = num(item, "upTo", 0), due = num(item, DUE_INDEX_SORT_KEY, 0), version = num(item, "v", 0);
        AttributeValue holds = item.get("holds");
        if (holds != null && holds.hasL()) {
            AttributeValue acks = item.get("acks");
            List<String> recent = acks == null || !acks.hasL() ? List.of() : acks.l().stream().map(AttributeValue::s).toList();
            return Gate.stored(gen, group, pending, rc, fr, upTo, holds.l().stream().map(GateTable::hold).toList(), due, recent, version);
        }
        // written before per-message holds: one lease over the first `leased` positions, whose acked ones were still pending
        String lease = str(item, "lease");
        byte[] bits = bytes(item, "ack");
        BitSet acked = bits == null ? new BitSet() : BitSet.valueOf(bits);
        int leased = lease == null ? 0 : (int) Math.min(num(item, "leased", 0), pending.size());
        List<Gate.Hold> h = new ArrayList<>();
        for (int i = 0; i < leased; i++) h.add(new Gate.Hold(lease, due, num(item, "la", 0), flag(item, "nacked")));
        List<Long> ackedOffsets = new ArrayList<>();
        for (int i = 0; i < leased; i++) if (acked.get(i)) ackedOffsets.add(pending.get(i));
        return Gate.stored(gen, group, pending, rc, fr, upTo, h, due, List.of(), version).without(ackedOffsets, due);
    }

    /** A hold as one string, {@code lease|due|leasedAt|n}; "" for a position never delivered. */
    private static AttributeValue encode(Gate.Hold h) {
        return s(h == null ? "" : h.lease() + "|" + h.due() + "|" + h.leasedAt() + "|" + (h.nacked() ? 1 : 0));
    }

    private static Gate.Hold hold(AttributeValue v) {
        if (v.s().isEmpty()) return null;
        String[] f = v.s().split("\\|");
        return new Gate.Hold(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), f[3].equals("1"));
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
