package dev.shoal.storage.fifo;

import dev.shoal.storage.api.NackEntry;
import dev.shoal.storage.api.ReceiptResult;
import dev.shoal.storage.api.ReceiveRequest;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.api.SubscriptionStats;
import dev.shoal.storage.catalog.SubscriptionRef;
import dev.shoal.storage.subscription.Consumption;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Consumption of FIFO queues: consumer state per claimed range, the group rule computed from it (ADR 0013 part 2). */
public final class FifoConsumption implements Consumption {

    private final FifoReceiver receiver;
    private final FifoAcknowledger acknowledger;
    private final FifoState state;

    public FifoConsumption(FifoReceiver receiver, FifoAcknowledger acknowledger, FifoState state) {
        this.receiver = receiver;
        this.acknowledger = acknowledger;
        this.state = state;
    }

    @Override
    public List<ReceivedMessage> receive(SubscriptionRef sub, ReceiveRequest request) {
        return receiver.receive(sub, request);
    }

    @Override
    public List<ReceiptResult> ack(SubscriptionRef sub, List<String> receipts) {
        return acknowledger.ack(sub, receipts);
    }

    @Override
    public List<ReceiptResult> nack(SubscriptionRef sub, Map<String, NackEntry> entries) {
        return acknowledger.nack(sub, entries);
    }

    @Override
    public List<ReceiptResult> changeVisibility(SubscriptionRef sub, Map<String, Duration> timeouts) {
        return acknowledger.changeVisibility(sub, timeouts);
    }

    @Override
    public SubscriptionStats stats(SubscriptionRef sub) {
        return state.stats(sub);
    }

    @Override
    public long[] maintain(SubscriptionRef sub) {
        return state.floors(sub);
    }
}
