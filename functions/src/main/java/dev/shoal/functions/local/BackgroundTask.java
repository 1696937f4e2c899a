package dev.shoal.functions.local;

import java.time.Duration;
import java.time.Instant;

/**
 * Work the local launcher runs on a timer beside the API, as EventBridge schedules do in AWS:
 * the janitor now, the dispatcher's redelivery sweep later (add it to
 * {@link LocalLauncher#backgroundTasks}). A failing run is logged; the next one still happens.
 */
public interface BackgroundTask {

    String name();

    Duration period();

    void run(Instant now);

    static BackgroundTask of(String name, Duration period, Runnable work) {
        return new BackgroundTask() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Duration period() {
                return period;
            }

            @Override
            public void run(Instant now) {
                work.run();
            }
        };
    }
}
