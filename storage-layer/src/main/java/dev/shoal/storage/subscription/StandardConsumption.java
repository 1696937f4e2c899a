package dev.shoal.storage.subscription;

import dev.shoal.storage.api.InvalidRequestException;
import dev.shoal.storage.api.NackEntry;
import dev.shoal.storage.api.ReceiptResult;
import dev.shoal.storage.api.ReceiveRequest;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.api.SubscriptionStats;
import dev.shoal.storage.catalog.SubscriptionRef;

import dev.shoal.storage.api.Sleeper;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Consumption of standard queues: chunk leases (ADR 0002), receives and acks coalesced across callers (ADR 0005). */
public final class StandardConsumption implements Consumption {

    private final Receiver receiver;
    private final Acknowledger acknowledger;
    private final CoalescedAcks acks;
    private final StateReader stateReader;
    private final Maintenance maintenance;

    public StandardConsumption(Receiver receiver, Acknowledger acknowledger, StateReader stateReader, Maintenance maintenance,
                               Clock clock, Sleeper sleeper) {
        this.receiver = receiver;
        this.acknowledger = acknowledger;
        this.acks = new CoalescedAcks(acknowledger, clock, sleeper);
        this.stateReader = stateReader;
        this.maintenance = maintenance;
    }

    @Override
    public List<ReceivedMessage> receive(SubscriptionRef sub, ReceiveRequest request) {
        if (request.receiveAttemptId() != null) {
            throw new InvalidRequestException("receiveAttemptId", "is only supported on FIFO queues");
        }
        return receiver.receive(sub, request);
    }

    @Override
    public List<ReceiptResult> ack(SubscriptionRef sub, List<String> receipts) {
        return acks.ack(sub, receipts);
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
        return stateReader.stats(sub);
    }

    @Override
    public long[] maintain(SubscriptionRef sub) {
        return maintenance.run(sub);
    }
}
