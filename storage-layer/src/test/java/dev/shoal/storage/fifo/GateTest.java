package dev.shoal.storage.fifo;

import dev.shoal.storage.fifo.Gate.MessageState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The gate's per-message states and the transitions between them (no store: the values alone). */
class GateTest {

    private static final long NOW = 1_000_000;

    /** A group with three claimed messages, none delivered. */
    private static Gate claimed() {
        return Gate.stored(1, "g", List.of(10L, 11L, 12L), List.of(0, 0, 0), List.of(0L, 0L, 0L), 13, List.of(), NOW, List.of(), 1);
    }

    @Test
    void claimedMessagesAreAvailableAndALeaseTakesThemInFlightFromTheHead() {
        Gate leased = claimed().leasedTo("lease-1", 2, NOW, NOW + 30_000);
        assertEquals(List.of(MessageState.IN_FLIGHT, MessageState.IN_FLIGHT, MessageState.AVAILABLE),
                List.of(leased.stateAt(0, NOW), leased.stateAt(1, NOW), leased.stateAt(2, NOW)));
        assertEquals(0, leased.deliverable(NOW), "nothing of the group goes out while its head is in flight");
        assertEquals(List.of(1, 1, 0), leased.receiveCounts());
    }

    @Test
    void aMessageWhoseVisibilityRanOutIsAvailableAgainEvenWhileALaterOneWasExtended() {
        Gate leased = claimed().leasedTo("lease-1", 2, NOW, NOW + 30_000).withVisibility(11, NOW + 90_000, NOW);
        long later = NOW + 31_000;
        assertEquals(MessageState.AVAILABLE, leased.stateAt(0, later));
        assertEquals(MessageState.IN_FLIGHT, leased.stateAt(1, later));
        assertEquals(1, leased.deliverable(later), "the head alone, as SQS delivers it");
    }

    @Test
    void aNackBacksOffTheMessageAndTheLaterOnesOfItsDelivery() {
        Gate nacked = claimed().leasedTo("lease-1", 2, NOW, NOW + 30_000).nacked(10, NOW + 5_000, true, NOW);
        assertEquals(MessageState.BACKING_OFF, nacked.stateAt(0, NOW));
        assertEquals(MessageState.BACKING_OFF, nacked.stateAt(1, NOW));
        assertEquals(MessageState.AVAILABLE, nacked.stateAt(0, NOW + 5_000), "available once the backoff is over");
    }

    @Test
    void anAckRemovesTheMessageAndRemembersWhichDeliveryAckedIt() {
        Gate acked = claimed().leasedTo("lease-1", 1, NOW, NOW + 30_000).acked(10, NOW);
        assertEquals(List.of(11L, 12L), acked.pending());
        assertTrue(acked.ackedUnderAnotherLease(10, "lease-2"));
        assertFalse(acked.ackedUnderAnotherLease(10, "lease-1"));
        assertEquals(2, acked.deliverable(NOW));
    }

    @Test
    void transitionsByReceiptRefuseAMessageThatWasNeverDelivered() {
        Gate gate = claimed();
        assertThrows(IllegalStateException.class, () -> gate.acked(10, NOW));
        assertThrows(IllegalStateException.class, () -> gate.withVisibility(10, NOW + 1, NOW));
        assertThrows(IllegalStateException.class, () -> gate.nacked(10, NOW + 1, true, NOW));
    }

    @Test
    void aLeaseOrADeadLetterMoveTakesOnlyAvailableMessagesAtTheHead() {
        Gate leased = claimed().leasedTo("lease-1", 1, NOW, NOW + 30_000);
        assertThrows(IllegalStateException.class, () -> leased.leasedTo("lease-2", 1, NOW, NOW + 30_000));
        assertThrows(IllegalStateException.class, () -> leased.withoutHead(1, NOW));
        assertThrows(IllegalStateException.class, () -> claimed().leasedTo("lease-2", 4, NOW, NOW + 30_000));
    }
}
