package dev.shoal.storage.dynamodb;

import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.SubscriptionSettings;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.shoal.storage.dynamodb.ShoalTables.STATE_PARTITION_KEY;
import static dev.shoal.storage.dynamodb.ShoalTables.STATE_SORT_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/design.md's table of state-table items says what the key functions of this package
 * write: each documented key, its {@code <placeholders>} filled with sample values, must match
 * the key written for those values, and every item kind must be documented.
 */
class LayoutDocumentedTest {

    private static final Map<String, String> SAMPLE = Map.of(
            "queueId", "0a1b2c3d4e5f", "sub", "orders", "partition", "3", "gen", "2", "start", "42", "group", "g7");
    private static final Set<String> NUMBERS = Set.of("partition", "gen", "start");
    private static final Pattern ROW = Pattern.compile("^\\| ([^|]+?) \\| ([^|]+?) \\| ([^|]+?) \\|$", Pattern.MULTILINE);
    private static final Pattern PLACEHOLDER = Pattern.compile("<(\\w+)>");

    /** The items this package writes (catalog items as their schemas store them), each as its key for {@link #SAMPLE}; sort keys in prose where they are a name. */
    private static Map<String, Key> written() {
        String stateKey = StateItems.stateKey(SAMPLE.get("queueId"), SAMPLE.get("sub"), 3);
        Map<String, Key> items = new LinkedHashMap<>();
        Instant t = Instant.EPOCH;
        items.put("queue", Key.of(CatalogSchemas.QUEUE.itemToMap(
                new CatalogSchemas.QueueEntry("any", "id", t, QueueSettings.builder().build()), true), "queue name"));
        items.put("subscription", Key.of(CatalogSchemas.SUBSCRIPTION.itemToMap(new CatalogSchemas.SubscriptionEntry(
                SAMPLE.get("queueId"), "any", t, SubscriptionSettings.DEFAULT, Map.of()), true), "subscription name"));
        items.put("deleted queue (for the janitor)", Key.of(CatalogSchemas.DELETED_QUEUE.itemToMap(
                new CatalogSchemas.DeletedQueueEntry("any", "q", 1, List.of(), t), true), "queue id"));
        items.put("cursor", Key.of(StateItems.cursorKey(stateKey)));
        items.put("chunk", Key.of(StateItems.chunkKey(stateKey, 2, 42)));
        items.put("dead-letter move marker", Key.of(DeadLetterItems.marker(stateKey, "p", 0, 0).item(), "source position"));
        items.put("janitor checkpoint of a partition", Key.of(JanitorItems.key(SAMPLE.get("queueId"), 3)));
        items.put("FIFO claimed range", new Key(stateKey, FifoItems.claimSortKey(2, 42), null));
        items.put("deduplication id", new Key(FifoItems.deduplicationIds(SAMPLE.get("queueId")), null, "id:<dedupId> or sha256:<hex>"));
        items.put("producer sequence", new Key(FifoItems.producerSequences(LogItems.partitionKey(SAMPLE.get("queueId"), 3)), null, "producer id"));
        items.put("receive attempt", new Key(FifoItems.receiveAttempts(SAMPLE.get("queueId"), SAMPLE.get("sub")), null, "attempt id"));
        return items;
    }

    record Key(String partitionKey, String sortKey, String sortKeyProse) {
        static Key of(Map<String, AttributeValue> key) {
            return new Key(key.get(STATE_PARTITION_KEY).s(), key.get(STATE_SORT_KEY).s(), null);
        }

        static Key of(Map<String, AttributeValue> key, String sortKeyProse) {
            return new Key(key.get(STATE_PARTITION_KEY).s(), null, sortKeyProse);
        }
    }

    private static Map<String, String[]> documented() throws IOException {
        Path here = Path.of("").toAbsolutePath();
        Path design = (Files.isDirectory(here.resolve("docs")) ? here : here.getParent()).resolve("docs/design.md");
        String text = Files.readString(design);
        String table = text.substring(text.indexOf("| item | pk | sk |"));
        table = table.substring(0, table.indexOf("\n\n"));
        Map<String, String[]> rows = new LinkedHashMap<>();
        Matcher m = ROW.matcher(table);
        while (m.find()) {
            if (!m.group(1).equals("item") && !m.group(1).startsWith("---")) {
                rows.put(m.group(1), new String[] {unquote(m.group(2)), unquote(m.group(3))});
            }
        }
        return rows;
    }

    private static String unquote(String cell) {
        return cell.replace("`", "");
    }

    /** A documented key as a pattern: placeholders become the sample value (numbers may be zero-padded). */
    private static Pattern pattern(String documented) {
        StringBuilder regex = new StringBuilder();
        Matcher m = PLACEHOLDER.matcher(documented);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(documented.substring(last, m.start())));
            String name = m.group(1);
            regex.append(NUMBERS.contains(name) ? "0*" : "").append(Pattern.quote(SAMPLE.getOrDefault(name, "<" + name + ">")));
            last = m.end();
        }
        return Pattern.compile(regex.append(Pattern.quote(documented.substring(last))).toString());
    }

    @Test
    void everyItemKindIsDocumentedAndNothingElse() throws IOException {
        assertEquals(written().keySet(), documented().keySet());
    }

    @Test
    void theDocumentedKeysAreTheKeysWritten() throws IOException {
        Map<String, String[]> docs = documented();
        written().forEach((item, key) -> {
            String[] doc = docs.get(item);
            assertTrue(pattern(doc[0]).matcher(key.partitionKey()).matches(),
                    item + ": design.md says pk " + doc[0] + ", the code writes " + key.partitionKey());
            if (key.sortKeyProse() != null) {
                assertEquals(key.sortKeyProse(), doc[1], item + ": sort key");
            } else {
                assertTrue(pattern(doc[1]).matcher(key.sortKey()).matches(),
                        item + ": design.md says sk " + doc[1] + ", the code writes " + key.sortKey());
            }
        });
    }
}
