package dev.shoal.storage.subscription;

import dev.shoal.storage.api.NackEntry;
import dev.shoal.storage.api.ReceiptResult;
import dev.shoal.storage.api.ReceiveRequest;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.api.SubscriptionStats;
import dev.shoal.storage.catalog.SubscriptionRef;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How a queue's messages are consumed: standard queues lease chunks ({@link StandardConsumption}),
 * FIFO queues lease message groups through gates ({@code fifo.FifoConsumption}). The engine picks
 * one per queue, in one place; everything below is one kind or the other.
 */
public interface Consumption {

    List<ReceivedMessage> receive(SubscriptionRef sub, ReceiveRequest request);

    List<ReceiptResult> ack(SubscriptionRef sub, List<String> receipts);

    List<ReceiptResult> nack(SubscriptionRef sub, Map<String, NackEntry> entries);

    List<ReceiptResult> changeVisibility(SubscriptionRef sub, Map<String, Duration> timeouts);

    /** Approximate counts, off the receive path. */
    SubscriptionStats stats(SubscriptionRef sub);

    /** One janitor pass over the subscription's state; returns each partition's ack floor (what retention may drop below). */
    long[] maintain(SubscriptionRef sub);
}
