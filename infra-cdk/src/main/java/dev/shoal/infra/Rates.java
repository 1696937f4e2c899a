package dev.shoal.infra;

import java.time.Duration;

/** Checks shared by the settings records. */
final class Rates {

    private Rates() {
    }

    /** EventBridge schedules run at whole-minute rates, one minute at the finest. */
    static void requireWholeMinutes(String name, Duration rate) {
        if (rate.toMinutes() < 1 || rate.toSecondsPart() != 0 || rate.toMillisPart() != 0) {
            throw new IllegalArgumentException(name + " must be whole minutes, at least 1, was " + rate);
        }
    }
}
