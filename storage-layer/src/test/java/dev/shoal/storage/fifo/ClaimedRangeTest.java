package dev.shoal.storage.fifo;

import dev.shoal.storage.fifo.ClaimedRange.SlotState;
import dev.shoal.storage.fifo.ClaimedRange.Visibility;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A claimed range's per-offset states and the transitions between them (no store: the values
 * alone). Replaces GateTest: the same transitions, on the record that now holds them.
 */
class ClaimedRangeTest {

    private static final long NOW = 1_000_000;

    /** Offsets 10, 11, 12 of group g and 13 of group h, none delivered. */
    private static ClaimedRange claimed() {
        return ClaimedRange.claimed(1, 10, List.of("g", "g", "g", "h"));
    }

    private static List<Visibility> at(ClaimedRange r, long now) {
        return r.slots().stream().map(s -> s.at(now)).toList();
    }

    @Test
    void aClaimedRangeKnowsEachOffsetsGroupAndEveryOffsetIsAvailable() {
        ClaimedRange r = claimed();
        assertEquals(List.of("g", "h"), r.groups());
        assertEquals("h", r.group(13));
        assertEquals(14, r.end());
        assertEquals(List.of(Visibility.AVAILABLE, Visibility.AVAILABLE, Visibility.AVAILABLE, Visibility.AVAILABLE), at(r, NOW));
        assertFalse(r.stored(), "not stored until its claim is put");
    }

    @Test
    void aLeaseTakesMessagesInFlightUntilTheirVisibilityRunsOutAndCountsTheDelivery() {
        ClaimedRange r = claimed().leased(List.of(10L, 13L), "lease-1", NOW, NOW + 30_000, 20);
        assertEquals(List.of(Visibility.IN_FLIGHT, Visibility.AVAILABLE, Visibility.AVAILABLE, Visibility.IN_FLIGHT), at(r, NOW));
        assertEquals(Visibility.AVAILABLE, r.slot(10).at(NOW + 30_000), "visible again when the lease ends");
        assertEquals(1, r.slot(10).receiveCount());
        assertEquals(NOW, r.slot(10).firstReceived());
        assertTrue(r.heldBy(10, "lease-1", NOW));
        assertFalse(r.heldBy(10, "lease-2", NOW));
        assertThrows(IllegalStateException.class, () -> r.leased(List.of(10L), "lease-2", NOW, NOW + 30_000, 20),
                "a message in flight cannot be leased again");
    }

    @Test
    void aMessageWhoseVisibilityRanOutIsAvailableAgainEvenWhileALaterOneWasExtended() {
        ClaimedRange r = claimed().leased(List.of(10L, 11L), "lease-1", NOW, NOW + 30_000, 20).withVisibility(11, NOW + 90_000, NOW);
        long later = NOW + 31_000;
        assertEquals(Visibility.AVAILABLE, r.slot(10).at(later));
        assertEquals(Visibility.IN_FLIGHT, r.slot(11).at(later));
    }

    @Test
    void aNackBacksOffTheMessageAndTheLaterOnesOfItsGroupAndDeliveryOnly() {
        ClaimedRange r = claimed().leased(List.of(10L, 11L, 13L), "lease-1", NOW, NOW + 30_000, 20).nacked(10, NOW + 5_000, true, NOW);
        assertEquals(List.of(Visibility.BACKING_OFF, Visibility.BACKING_OFF, Visibility.AVAILABLE, Visibility.IN_FLIGHT), at(r, NOW),
                "h's message of the same delivery is not its group's: it stays in flight");
        assertEquals(Visibility.AVAILABLE, r.slot(10).at(NOW + 5_000), "available once the backoff is over");
        ClaimedRange undelivered = claimed().leased(List.of(10L), "lease-1", NOW, NOW + 30_000, 20).nacked(10, NOW, false, NOW);
        assertEquals(0, undelivered.slot(10).receiveCount(), "given back undelivered: the delivery does not count");
    }

    @Test
    void anAckRemovesTheMessageFromItsGroupAndRemembersWhichDeliveryAckedIt() {
        ClaimedRange r = claimed().leased(List.of(10L), "lease-1", NOW, NOW + 30_000, 20).acked(10, NOW);
        assertEquals(SlotState.ACKED, r.slot(10).state());
        assertEquals("lease-1", r.delivery(10).lease());
        assertEquals(Visibility.GONE, r.slot(10).at(NOW));
        assertEquals(11, r.firstLive());
        assertFalse(r.done());
    }

    @Test
    void aRangeIsDoneWhenEveryOffsetIsAckedOrDroppedAndKnowsWhen() {
        ClaimedRange r = claimed().leased(List.of(10L, 11L, 12L), "lease-1", NOW, NOW + 30_000, 20)
                .acked(10, NOW).acked(11, NOW).dropped(List.of(12L, 13L), NOW + 7);
        assertTrue(r.done());
        assertEquals(NOW + 7, r.doneAt());
        assertEquals(14, r.firstLive());
    }

    @Test
    void transitionsByReceiptRefuseAMessageThatWasNeverDeliveredOrIsAcked() {
        ClaimedRange r = claimed();
        assertThrows(IllegalStateException.class, () -> r.acked(10, NOW));
        assertThrows(IllegalStateException.class, () -> r.withVisibility(10, NOW + 1, NOW));
        assertThrows(IllegalStateException.class, () -> r.nacked(10, NOW + 1, true, NOW));
        ClaimedRange acked = r.leased(List.of(10L), "lease-1", NOW, NOW + 30_000, 20).acked(10, NOW);
        assertThrows(IllegalStateException.class, () -> acked.acked(10, NOW));
        assertThrows(IllegalStateException.class, () -> acked.leased(List.of(10L), "lease-2", NOW, NOW + 1, 20));
        assertThrows(IllegalArgumentException.class, () -> r.slot(14), "outside the range");
    }

    @Test
    void aNacksReachIntoALaterRangeBacksOffOnlyItsGroupsMessagesOfTheSameDelivery() {
        ClaimedRange later = ClaimedRange.claimed(1, 14, List.of("g", "h", "g"))
                .leased(List.of(14L, 15L), "lease-1", NOW, NOW + 30_000, 20).leased(List.of(16L), "lease-2", NOW, NOW + 30_000, 20);
        ClaimedRange moved = later.followingNack(14, "g", "lease-1", NOW + 5_000, true);
        assertEquals(List.of(Visibility.BACKING_OFF, Visibility.IN_FLIGHT, Visibility.IN_FLIGHT), at(moved, NOW));
        assertSame(later, later.followingNack(14, "x", "lease-1", NOW + 5_000, true), "a group not in the range: unchanged");
    }
}
