package dev.shoal.functions.runtime;

import dev.shoal.storage.testing.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * How a rotated secret reaches a running function copy: re-read after at most the maximum age,
 * or on first use after a SnapStart restore; the router is rebuilt only when the value changed.
 */
class SecretRotationTest {

    private static final Duration MAX_AGE = Duration.ofMinutes(5);
    private static final Duration RETRY = Duration.ofSeconds(30);

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final AtomicReference<String> stored = new AtomicReference<>("key-1");
    private final AtomicInteger reads = new AtomicInteger();
    private final Supplier<String> secretsManager = () -> {
        reads.incrementAndGet();
        String v = stored.get();
        if (v == null) {
            throw new IllegalStateException("Secrets Manager is unavailable");
        }
        return v;
    };
    private final Refreshing<String> secret = new Refreshing<>(secretsManager, clock, MAX_AGE, RETRY);

    @Test
    void aRotationReachesARunningCopyWithinTheMaximumAge() {
        assertEquals("key-1", secret.get());
        stored.set("key-2");
        clock.advance(MAX_AGE.minusSeconds(1));
        assertEquals("key-1", secret.get(), "re-read too early");
        clock.advance(Duration.ofSeconds(1));
        assertEquals("key-2", secret.get());
        assertEquals(2, reads.get());
    }

    @Test
    void aRestoredCopyReadsAgainOnItsFirstUse() {
        List<String> primed = new ArrayList<>();
        SnapStartHooks hooks = new SnapStartHooks(() -> primed.add(secret.get()), secret::expire);
        hooks.beforeCheckpoint(null);
        assertEquals(List.of("key-1"), primed, "priming ran the hot path before the snapshot");

        stored.set("key-2"); // rotated while the snapshot slept
        hooks.afterRestore(null);
        assertEquals("key-2", secret.get(), "no time passed on the restored copy's clock, yet it read again");
    }

    @Test
    void aFailedReReadKeepsTheOldValueAndTriesAgainLater() {
        assertEquals("key-1", secret.get());
        stored.set(null);
        clock.advance(MAX_AGE);
        assertEquals("key-1", secret.get());
        int afterFailure = reads.get();
        clock.advance(RETRY.minusSeconds(1));
        secret.get();
        assertEquals(afterFailure, reads.get(), "retried before the retry interval");
        stored.set("key-2");
        clock.advance(Duration.ofSeconds(1));
        assertEquals("key-2", secret.get());
    }

    @Test
    void theFirstReadsFailureIsTheCallersNotAStaleValue() {
        stored.set(null);
        assertThrows(IllegalStateException.class, secret::get);
    }

    @Test
    void theRouterIsRebuiltOnlyWhenTheSecretChanged() {
        AtomicInteger builds = new AtomicInteger();
        Derived<String, Object> router = new Derived<>(secret, s -> {
            builds.incrementAndGet();
            return new Object();
        });
        Object first = router.get();
        clock.advance(MAX_AGE);
        assertSame(first, router.get(), "an unchanged re-read built a new router");
        stored.set("key-2");
        clock.advance(MAX_AGE);
        Object second = router.get();
        assertEquals(2, builds.get());
        assertSame(second, router.get());
    }

    @Test
    void primingThatFailsDoesNotStopTheSnapshot() {
        SnapStartHooks hooks = new SnapStartHooks(() -> {
            throw new IllegalStateException("DynamoDB is unreachable");
        }, () -> { });
        hooks.beforeCheckpoint(null);
    }

    @Test
    void aMaximumAgeMustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Refreshing<>(secretsManager, clock, Duration.ZERO, RETRY));
        assertEquals("maxAge must be positive, was PT0S", e.getMessage());
    }
}
