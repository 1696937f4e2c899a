package dev.shoal.storage.dynamodb;

import dev.shoal.storage.subscription.Chunk;
import dev.shoal.storage.subscription.Cursor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

import static dev.shoal.storage.dynamodb.Items.*;
import static dev.shoal.storage.dynamodb.ShoalTables.DUE_INDEX_PARTITION_KEY;
import static dev.shoal.storage.dynamodb.ShoalTables.STATE_SORT_KEY;

/**
 * Chunks and cursors as state-table items (keys in {@link StateItems}). A chunk's attributes
 * are short because a receive writes one item per chunk: {@code end}, {@code seg} (S3 key),
 * {@code sb} (segment base), {@code sz} (object size), {@code hl} (header length), {@code ack}
 * (acked bits), {@code lease}, {@code st} ({@code L} leased, {@code D} delayed), {@code due},
 * {@code la} (leased at), {@code rc} (receive count), {@code fr} (first received), {@code v}
 * (version), and {@code done} (with {@code ttl} when it is left to expire) or, for a chunk in the
 * {@code due} index, the index key {@code dg}.
 * A chunk that is neither done nor indexed has neither: a long lease not yet swept
 * ({@link dev.shoal.storage.subscription.LeaseSweep}).
 */
public final class ChunkItems {

    /** The attribute every conditional chunk write compares: the version read. */
    public static final String VERSION = "v";
    /** Set on done chunks (and only them): maintenance deletes on the condition that it is there. */
    public static final String DONE = "done";
    /** The cursor's sweep mark: see {@link Cursor#swept()}. */
    public static final String SWEPT = "swept";

    private ChunkItems() {
    }

    public static Map<String, AttributeValue> encode(String stateKey, Chunk c) {
        Map<String, AttributeValue> item = new HashMap<>(StateItems.chunkKey(stateKey, c.gen(), c.start()));
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
        item.put(VERSION, n(c.version()));
        if (c.done()) {
            item.put(DONE, bool(true));
            // a TTL only below the newest chunk: the frontier rests on the newest (ADR 0018)
            if (c.expiresAt() > 0) item.put(ShoalTables.STATE_TTL_ATTRIBUTE, n(c.expiresAt()));
        } else if (c.indexed()) {
            item.put(DUE_INDEX_PARTITION_KEY, s(StateItems.dueGroup(stateKey, c.gen())));
        }
        return item;
    }

    public static Chunk decode(Map<String, AttributeValue> item) {
        byte[] bits = bytes(item, "ack");
        return new Chunk(num(item, "gen", 0), StateItems.chunkStart(str(item, STATE_SORT_KEY)), num(item, "end", 0), str(item, "seg"),
                num(item, "sb", 0), num(item, "sz", 0), (int) num(item, "hl", 0),
                bits == null ? new BitSet() : BitSet.valueOf(bits), str(item, "lease"),
                "L".equals(str(item, "st")) ? Chunk.State.LEASED : Chunk.State.DELAYED, num(item, "due", 0), num(item, "la", 0),
                (int) num(item, "rc", 0), num(item, "fr", 0), num(item, VERSION, 0), flag(item, DONE),
                item.containsKey(DUE_INDEX_PARTITION_KEY), num(item, ShoalTables.STATE_TTL_ATTRIBUTE, 0));
    }

    /** True for the cursor item of a subscription-partition (it shares the partition key with the chunks). */
    public static boolean isCursor(Map<String, AttributeValue> item) {
        return StateItems.CURSOR.equals(str(item, STATE_SORT_KEY));
    }

    public static Map<String, AttributeValue> encodeCursor(String stateKey, Cursor cursor) {
        Map<String, AttributeValue> item = new HashMap<>(StateItems.cursorKey(stateKey));
        item.put("gen", n(cursor.gen()));
        item.put("genStart", n(cursor.genStart()));
        item.put("floor", n(cursor.floor()));
        if (cursor.swept() > 0) item.put(SWEPT, n(cursor.swept()));
        return item;
    }

    /** The cursor an item holds; {@code defaultStart} for what a cursor written by maintenance alone lacks. */
    public static Cursor decodeCursor(Map<String, AttributeValue> item, long defaultStart) {
        return new Cursor(num(item, "gen", 0), num(item, "genStart", defaultStart), num(item, "floor", defaultStart), num(item, SWEPT, 0));
    }
}
