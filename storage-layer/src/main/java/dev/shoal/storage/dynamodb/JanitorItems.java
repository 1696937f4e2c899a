package dev.shoal.storage.dynamodb;

import dev.shoal.storage.log.LogCheckpoint;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.shoal.storage.dynamodb.Items.n;
import static dev.shoal.storage.dynamodb.Items.num;
import static dev.shoal.storage.dynamodb.Items.s;
import static dev.shoal.storage.dynamodb.Items.str;
import static dev.shoal.storage.dynamodb.ShoalTables.STATE_PARTITION_KEY;
import static dev.shoal.storage.dynamodb.ShoalTables.STATE_SORT_KEY;

/**
 * The janitor's checkpoint items in the state table: pk {@code janitor#<queueId>}, sk
 * {@code log#<partition>}, so one query reads a queue's checkpoints. Pending objects are stored
 * by their name under the partition's prefix, as {@code <lastModified millis> <name>}.
 */
public final class JanitorItems {

    private static final String LOG = "log#";
    /** Every attribute of a checkpoint item besides its key (those absent are removed on write). */
    public static final List<String> ATTRIBUTES = List.of("ix", "lt", "la", "pd", "oe", "oa");

    private JanitorItems() {
    }

    public static String partitionKey(String queueId) {
        return "janitor#" + queueId;
    }

    public static Map<String, AttributeValue> key(String queueId, int partition) {
        return Map.of(STATE_PARTITION_KEY, s(partitionKey(queueId)), STATE_SORT_KEY, s(LOG + partition));
    }

    /** The partition a checkpoint item is for, or -1 for another kind of item. */
    public static int partitionOf(Map<String, AttributeValue> item) {
        String sk = str(item, STATE_SORT_KEY);
        return sk != null && sk.startsWith(LOG) ? Integer.parseInt(sk.substring(LOG.length())) : -1;
    }

    public static Map<String, AttributeValue> encode(String queueId, int partition, String prefix, LogCheckpoint c) {
        Map<String, AttributeValue> item = new HashMap<>(key(queueId, partition));
        item.put("ix", n(c.indexFrom()));
        if (c.listedTo() != null) item.put("lt", s(c.listedTo()));
        if (c.listedAt() != null) item.put("la", n(c.listedAt().toEpochMilli()));
        if (!c.pending().isEmpty()) {
            List<AttributeValue> pending = new ArrayList<>(c.pending().size());
            for (LogCheckpoint.Pending p : c.pending()) {
                String name = p.key().startsWith(prefix) ? p.key().substring(prefix.length()) : p.key();
                pending.add(s(p.lastModified().toEpochMilli() + " " + name));
            }
            item.put("pd", AttributeValue.fromL(pending));
        }
        item.put("oe", n(c.oldestEnd()));
        if (c.oldestAt() != null) item.put("oa", n(c.oldestAt().toEpochMilli()));
        return item;
    }

    public static LogCheckpoint decode(Map<String, AttributeValue> item, String prefix) {
        List<LogCheckpoint.Pending> pending = new ArrayList<>();
        AttributeValue pd = item.get("pd");
        if (pd != null && pd.hasL()) {
            for (AttributeValue v : pd.l()) {
                String text = v.s();
                int space = text.indexOf(' ');
                String name = text.substring(space + 1);
                pending.add(new LogCheckpoint.Pending(name.startsWith("segments/") ? name : prefix + name,
                        Instant.ofEpochMilli(Long.parseLong(text.substring(0, space)))));
            }
        }
        long la = num(item, "la", -1), oa = num(item, "oa", -1);
        return new LogCheckpoint(num(item, "ix", 0), str(item, "lt"), la < 0 ? null : Instant.ofEpochMilli(la), pending,
                num(item, "oe", -1), oa < 0 ? null : Instant.ofEpochMilli(oa));
    }

    /** An update expression that makes a stored checkpoint hold exactly an encoded one's attributes. */
    public record Replacement(String expression, Map<String, String> names, Map<String, AttributeValue> values) {
    }

    /** SET the attributes {@code item} has, REMOVE those it lacks (an update, as the janitor may not put). */
    public static Replacement replacement(Map<String, AttributeValue> item) {
        List<String> set = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        for (String attribute : ATTRIBUTES) {
            names.put("#" + attribute, attribute);
            if (item.containsKey(attribute)) {
                set.add("#" + attribute + " = :" + attribute);
                values.put(":" + attribute, item.get(attribute));
            } else {
                remove.add("#" + attribute);
            }
        }
        String expression = "SET " + String.join(", ", set) + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
        return new Replacement(expression, names, values);
    }
}
