package dev.shoal.storage.testing;

import java.util.Arrays;

/** Threads parked in the coalescer, waiting for a batch to take their item: how tests see callers pile up. */
public final class Parked {

    private Parked() {
    }

    public static long callersWaitingForABatch() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getState() == Thread.State.WAITING)
                .filter(e -> Arrays.stream(e.getValue()).anyMatch(f -> f.getMethodName().equals("awaitTurn")))
                .count();
    }
}
