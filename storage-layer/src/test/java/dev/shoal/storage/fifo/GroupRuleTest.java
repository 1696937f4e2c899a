package dev.shoal.storage.fifo;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** SQS's group rule computed over claimed ranges (no store: the values alone). */
class GroupRuleTest {

    private static final long NOW = 1_000_000;

    private static List<String> groups(List<GroupRule.GroupTake> takes) {
        return takes.stream().map(GroupRule.GroupTake::group).toList();
    }

    @Test
    void eachGroupOffersItsAvailableMessagesInOrderOldestGroupFirstAcrossRanges() {
        ClaimedRange first = ClaimedRange.claimed(1, 0, List.of("b", "a", "b"));
        ClaimedRange second = ClaimedRange.claimed(1, 3, List.of("a", "c"));
        List<GroupRule.GroupTake> takes = GroupRule.takes(List.of(first, second), NOW, "mine");
        assertEquals(List.of("b", "a", "c"), groups(takes));
        assertEquals(List.of(0L, 2L), takes.get(0).available());
        assertEquals(List.of(1L, 3L), takes.get(1).available(), "a's message in the later range comes with its earlier one");
        assertEquals(5, GroupRule.deliverable(List.of(first, second), NOW, "mine"));
    }

    @Test
    void aGroupWithAMessageInFlightOffersNothingAfterItEvenInALaterRange() {
        ClaimedRange first = ClaimedRange.claimed(1, 0, List.of("a", "b")).leased(List.of(0L), "other", NOW, NOW + 30_000, 20);
        ClaimedRange second = ClaimedRange.claimed(1, 2, List.of("a", "b"));
        List<GroupRule.GroupTake> takes = GroupRule.takes(List.of(first, second), NOW, "mine");
        assertEquals(List.of("b"), groups(takes));
        assertEquals(List.of(1L, 3L), takes.getFirst().available());
    }

    @Test
    void messagesHeldByTheSameReceiveCountAsTakenSoItsGroupGoesOnForIt() {
        ClaimedRange first = ClaimedRange.claimed(1, 0, List.of("a")).leased(List.of(0L), "mine", NOW, NOW + 30_000, 20);
        ClaimedRange second = ClaimedRange.claimed(1, 1, List.of("a", "a"));
        GroupRule.GroupTake take = GroupRule.takes(List.of(first, second), NOW, "mine").getFirst();
        assertTrue(take.heldByUs());
        assertEquals(List.of(1L, 2L), take.available());
        assertEquals(List.of(), GroupRule.takes(List.of(first, second), NOW, "another receive"), "another receive waits for a");
    }

    @Test
    void anEarlierMessageWhoseVisibilityRanOutComesBackAloneWhileALaterOneIsExtended() {
        ClaimedRange r = ClaimedRange.claimed(1, 0, List.of("a", "a", "a"))
                .leased(List.of(0L, 1L, 2L), "old", NOW, NOW + 30_000, 20).withVisibility(1, NOW + 120_000, NOW);
        GroupRule.GroupTake take = GroupRule.takes(List.of(r), NOW + 31_000, "mine").getFirst();
        assertEquals(List.of(0L), take.available(), "message 3 waits behind message 2, still in flight");
    }

    @Test
    void ackedAndDroppedMessagesNoLongerHoldTheirGroup() {
        ClaimedRange r = ClaimedRange.claimed(1, 0, List.of("a", "a", "a"))
                .leased(List.of(0L, 1L), "old", NOW, NOW + 30_000, 20).acked(0, NOW).dropped(List.of(1L), NOW);
        assertEquals(List.of(2L), GroupRule.takes(List.of(r), NOW, "mine").getFirst().available());
    }

    @Test
    void aBackingOffMessageHoldsItsGroupUntilItsBackoffEnds() {
        ClaimedRange r = ClaimedRange.claimed(1, 0, List.of("a", "a")).leased(List.of(0L), "old", NOW, NOW + 30_000, 20)
                .nacked(0, NOW + 5_000, true, NOW);
        assertEquals(List.of(), GroupRule.takes(List.of(r), NOW + 4_999, "mine"));
        assertEquals(List.of(0L, 1L), GroupRule.takes(List.of(r), NOW + 5_000, "mine").getFirst().available());
    }
}
