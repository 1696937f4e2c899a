package dev.shoal.storage.testing;

import java.util.Arrays;

/** Threads parked in the coalescer or in a long poll's wait: how tests see callers pile up. */
public final class Parked {

    private Parked() {
    }

    public static long callersWaitingForABatch() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getState() == Thread.State.WAITING)
                .filter(e -> Arrays.stream(e.getValue()).anyMatch(f -> f.getMethodName().equals("awaitTurn")))
                .count();
    }

    /** Threads of long polls waiting for news (parked in {@code Signal.await}). */
    public static long longPollsWaiting() {
        return longPollsWaiting("");
    }

    /** As {@link #longPollsWaiting()}, counting only threads whose name starts with {@code prefix}. */
    public static long longPollsWaiting(String prefix) {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().startsWith(prefix))
                .filter(e -> e.getKey().getState() == Thread.State.TIMED_WAITING || e.getKey().getState() == Thread.State.WAITING)
                .filter(e -> Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().endsWith("Signals$Signal")
                        && f.getMethodName().equals("await")))
                .count();
    }
}
