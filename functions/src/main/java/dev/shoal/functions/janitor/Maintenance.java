package dev.shoal.functions.janitor;

import java.time.Instant;

/**
 * One janitor pass: retention, orphan segments, consumer state below ack floors, dedup windows,
 * and the numbers to publish. The seam between the janitor function and the engine.
 */
@FunctionalInterface
public interface Maintenance {

    MaintenanceSummary run(Instant now);
}
