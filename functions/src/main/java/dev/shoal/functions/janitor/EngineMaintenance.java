package dev.shoal.functions.janitor;

import dev.shoal.storage.ShoalEngine;

import java.time.Instant;

/**
 * The janitor's pass over a {@link ShoalEngine}. Until the engine's own maintenance pass
 * ({@code ShoalEngine.maintenance(Instant)}, returning a {@code MaintenanceReport}) exists,
 * this publishes the metrics the service already exposes and cleans nothing up; when it
 * lands, {@link #run} calls it and maps its report (see docs/api.md, "Janitor").
 */
public final class EngineMaintenance implements Maintenance {

    private final ServiceStatsMaintenance stats;

    public EngineMaintenance(ShoalEngine engine) {
        this.stats = new ServiceStatsMaintenance(engine);
    }

    @Override
    public MaintenanceSummary run(Instant now) {
        return stats.run(now);
    }
}
