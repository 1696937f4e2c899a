package dev.shoal.functions.dispatcher;

import dev.shoal.storage.testing.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PacerTest {

    private final ManualClock clock = new ManualClock();
    private final Pacer pacer = new Pacer(Duration.ofSeconds(1), Duration.ofSeconds(8));

    @Test
    void aThrottleHalvesTheConcurrencyAndPausesAndDeliveriesDoubleItBack() {
        assertEquals(8, pacer.limit(8));

        Duration pause = pacer.throttled(clock.instant(), null, 8);

        assertEquals(Duration.ofSeconds(1), pause);
        assertEquals(4, pacer.limit(8));
        assertTrue(pacer.paused(clock.instant()));
        clock.advance(pause);
        assertFalse(pacer.paused(clock.instant()));
        pacer.delivered(8);
        assertEquals(8, pacer.limit(8));
    }

    @Test
    void throttlesInARowDoubleThePauseUpToTheMaximumAndNeverGoBelowOne() {
        Duration[] pauses = new Duration[5];
        for (int i = 0; i < pauses.length; i++) {
            pauses[i] = pacer.throttled(clock.instant(), null, 4);
            clock.advance(pauses[i]);
        }
        assertEquals(Duration.ofSeconds(1), pauses[0]);
        assertEquals(Duration.ofSeconds(2), pauses[1]);
        assertEquals(Duration.ofSeconds(4), pauses[2]);
        assertEquals(Duration.ofSeconds(8), pauses[3]);
        assertEquals(Duration.ofSeconds(8), pauses[4]);
        assertEquals(1, pacer.limit(4));
    }

    @Test
    void throttlesArrivingDuringAPauseDoNotHalveAgain() {
        pacer.throttled(clock.instant(), null, 8);
        clock.advance(Duration.ofMillis(300));

        Duration rest = pacer.throttled(clock.instant(), null, 8);

        assertEquals(Duration.ofMillis(700), rest, "the rest of the running pause");
        assertEquals(4, pacer.limit(8));
    }

    @Test
    void aTargetsRetryAfterHintLengthensThePauseWithinTheMaximum() {
        assertEquals(Duration.ofSeconds(5), pacer.throttled(clock.instant(), Duration.ofSeconds(5), 8));
        clock.advance(Duration.ofSeconds(5));
        assertEquals(Duration.ofSeconds(8), pacer.throttled(clock.instant(), Duration.ofMinutes(5), 8));
    }

    @Test
    void slotsAreHandedOutUpToTheLimitAndNoneWhilePaused() throws InterruptedException {
        assertTrue(pacer.acquire(2, clock.instant().plusSeconds(1), clock));
        assertTrue(pacer.acquire(2, clock.instant().plusSeconds(1), clock));
        // a full pacer waits for a release until the deadline: a deadline already reached answers at once
        assertFalse(pacer.acquire(2, clock.instant(), clock));
        pacer.release();
        pacer.throttled(clock.instant(), null, 2);
        assertFalse(pacer.acquire(2, clock.instant().plusSeconds(60), clock), "paused");
        assertEquals(1, pacer.inFlight());
    }
}
