package dev.shoal.storage.dynamodb;

import dev.shoal.storage.api.RetryableException;
import dev.shoal.storage.api.Sleeper;
import dev.shoal.storage.log.Backoff;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one loop that retries lost races: how often it tries, how it waits, and when it gives up. */
class LostRacesTest {

    private final List<Duration> slept = new ArrayList<>();
    private final Sleeper recording = slept::add;
    private final LostRaces races = new LostRaces(recording, new Backoff(Duration.ofMillis(4), Duration.ofMillis(50)));

    @Test
    void aWriteThatLosesTwiceIsTriedAThirdTimeAfterTwoBoundedWaits() {
        List<Integer> attempts = new ArrayList<>();

        races.untilWritten("seeks", n -> {
            attempts.add(n);
            return n < 3 ? WriteOutcome.lostRace(Optional.empty()) : WriteOutcome.written();
        });

        assertEquals(List.of(1, 2, 3), attempts);
        assertEquals(2, slept.size());
        assertTrue(slept.get(0).toMillis() < 8 && slept.get(1).toMillis() < 16, slept.toString());
    }

    @Test
    void aWriteThatAlwaysLosesGivesUpWithARetryableErrorNamingWhatContends() {
        int[] attempts = {0};

        var e = assertThrows(RetryableException.class, () -> races.untilWritten("seeks and purges of partition 2", n -> {
            attempts[0]++;
            return WriteOutcome.lostRace(Optional.empty());
        }));

        assertEquals(LostRaces.MAX_ATTEMPTS, attempts[0]);
        assertTrue(e.getMessage().contains("too many concurrent seeks and purges of partition 2"), e.getMessage());
        assertTrue(slept.stream().allMatch(d -> d.toMillis() < 50), "waits stay under the cap: " + slept);
    }

    @Test
    void aConflictWithAnotherTransactionIsRetriedLikeALostRace() {
        List<Integer> attempts = new ArrayList<>();

        races.untilWritten("acks", n -> {
            attempts.add(n);
            return n == 1 ? new WriteOutcome.Conflicted<>() : WriteOutcome.written();
        });

        assertEquals(List.of(1, 2), attempts);
    }
}
