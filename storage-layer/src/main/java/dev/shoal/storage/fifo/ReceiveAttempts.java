package dev.shoal.storage.fifo;

import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.catalog.SubscriptionRef;
import dev.shoal.storage.dynamodb.FifoItems;
import dev.shoal.storage.dynamodb.ShoalTables;
import dev.shoal.storage.subscription.Receipt;
import dev.shoal.storage.subscription.ReceiptCodec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

import static dev.shoal.storage.dynamodb.Items.*;
import static dev.shoal.storage.dynamodb.ShoalTables.*;

/**
 * FIFO receive-attempt ids: a receive that names an attempt id remembers what it delivered for
 * five minutes; a retry with the same id gets the same messages and receipts back, provided
 * none of them was acked, nacked or leased again since. Otherwise the retry is a new receive.
 */
public final class ReceiveAttempts {

    /** One delivered message, as a repeat needs to find it again. */
    public record Delivered(int partition, long gen, String group, long offset, String lease) {
    }

    private final DynamoDbClient dynamo;
    private final String table;
    private final ReceiptCodec receipts;
    private final Clock clock;

    public ReceiveAttempts(DynamoDbClient dynamo, ShoalTables tables, ReceiptCodec receipts, Clock clock) {
        this.dynamo = dynamo;
        this.table = tables.stateTable();
        this.receipts = receipts;
        this.clock = clock;
    }

    Optional<List<ReceivedMessage>> repeat(SubscriptionRef sub, String attemptId,
                                           BiFunction<SubscriptionRef, Delivered, Optional<ReceivedMessage>> stillLeased) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key(sub, attemptId)).consistentRead(true)).item();
        if (item == null || item.isEmpty() || num(item, "exp", 0) < clock.millis()) {
            return Optional.empty();
        }
        List<ReceivedMessage> again = new ArrayList<>();
        for (AttributeValue v : item.get("d").l()) {
            String[] f = v.s().split("\\|", 5);
            Optional<ReceivedMessage> m = stillLeased.apply(sub,
                    new Delivered(Integer.parseInt(f[0]), Long.parseLong(f[1]), f[4], Long.parseLong(f[2]), f[3]));
            if (m.isEmpty()) {
                return Optional.empty();
            }
            again.add(m.get());
        }
        return Optional.of(again);
    }

    void remember(SubscriptionRef sub, String attemptId, List<ReceivedMessage> delivered) {
        if (delivered.isEmpty()) {
            return;
        }
        List<AttributeValue> entries = new ArrayList<>();
        for (ReceivedMessage m : delivered) {
            Receipt r = receipts.decode(m.receipt());
            entries.add(s(r.partition() + "|" + r.gen() + "|" + r.offset() + "|" + r.lease() + "|" + r.group()));
        }
        long expires = clock.millis() + Limits.DEDUP_WINDOW.toMillis();
        Map<String, AttributeValue> item = new HashMap<>(key(sub, attemptId));
        item.put("d", AttributeValue.fromL(entries));
        item.put("exp", n(expires));
        item.put(STATE_TTL_ATTRIBUTE, n(expires / 1000 + 1));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    private static Map<String, AttributeValue> key(SubscriptionRef sub, String attemptId) {
        return Map.of(STATE_PARTITION_KEY, s(FifoItems.receiveAttempts(sub.queue().id(), sub.name())), STATE_SORT_KEY, s(attemptId));
    }
}
