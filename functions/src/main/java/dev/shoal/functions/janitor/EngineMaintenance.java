package dev.shoal.functions.janitor;

import dev.shoal.storage.MaintenanceReport;
import dev.shoal.storage.ShoalEngine;
import dev.shoal.storage.SubscriptionStats;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The janitor's pass over a {@link ShoalEngine}: its maintenance run, in the janitor's terms. */
public final class EngineMaintenance implements Maintenance {

    private final ShoalEngine engine;
    private final String deployment;

    /** @param deployment the deployment's name (its table prefix), a dimension of every metric */
    public EngineMaintenance(ShoalEngine engine, String deployment) {
        this.engine = engine;
        this.deployment = deployment;
    }

    @Override
    public MaintenanceSummary run(Instant now) {
        return summary(deployment, now, engine.maintenance(now));
    }

    static MaintenanceSummary summary(String deployment, Instant now, MaintenanceReport report) {
        Map<String, Long> work = new LinkedHashMap<>();
        work.put("segmentsDeleted", report.segmentsDeleted());
        work.put("orphansDeleted", report.orphansDeleted());
        work.put("deletedQueuesPurged", report.deletedQueuesPurged());
        List<SubscriptionMetrics> metrics = report.subscriptions().stream().map(s -> {
            SubscriptionStats st = s.stats() == null ? SubscriptionStats.EMPTY : s.stats();
            // the report has no per-minute rates yet: those metrics are left out rather than sent as 0
            return new SubscriptionMetrics(s.queue(), s.subscription(), st.visible(), st.inFlight(), st.delayed(),
                    st.oldestUnackedAge(), null, null, s.deadLetterQueue());
        }).toList();
        return new MaintenanceSummary(deployment, now, work, metrics);
    }
}
