package dev.shoal.functions.janitor;

import dev.shoal.storage.ShoalEngine;
import dev.shoal.storage.api.MaintenanceReport;
import dev.shoal.storage.api.ShoalException;
import dev.shoal.storage.api.SubscriptionStats;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The janitor's pass over a {@link ShoalEngine}: its maintenance run, in the janitor's terms,
 * with the per-minute produce and ack rates of {@link RateTracker}.
 */
public final class EngineMaintenance implements Maintenance {

    private final ShoalEngine engine;
    private final String deployment;
    private final RateTracker rates = new RateTracker();

    /** @param deployment the deployment's name (its table prefix), a dimension of every metric */
    public EngineMaintenance(ShoalEngine engine, String deployment) {
        this.engine = engine;
        this.deployment = deployment;
    }

    @Override
    public MaintenanceSummary run(Instant now) {
        MaintenanceReport report = engine.maintenance(now);
        Instant start = rates.windowStart(now);
        Map<String, Long> produced = new HashMap<>();
        List<SubscriptionMetrics> metrics = new ArrayList<>();
        for (MaintenanceReport.SubscriptionReport s : report.subscriptions()) {
            Long p = produced.computeIfAbsent(s.queue(), q -> producedSince(q, start));
            SubscriptionStats st = s.stats() == null ? SubscriptionStats.EMPTY : s.stats();
            Long acked = p == null ? null : rates.acked(s.queue(), s.subscription(), st.visible() + st.inFlight() + st.delayed(), p, start, now);
            metrics.add(metrics(s, st, p == null ? null : RateTracker.perMinute(p, start, now), acked));
        }
        rates.finished(now);
        return new MaintenanceSummary(deployment, now, work(report), metrics);
    }

    /** Null when the queue went away meanwhile or the log could not be read: the metric is left out, not sent as 0. */
    private Long producedSince(String queue, Instant start) {
        try {
            return engine.producedSince(queue, start);
        } catch (ShoalException e) {
            return null;
        }
    }

    private static SubscriptionMetrics metrics(MaintenanceReport.SubscriptionReport s, SubscriptionStats st, Long produced, Long acked) {
        return new SubscriptionMetrics(s.queue(), s.subscription(), st.visible(), st.inFlight(), st.delayed(),
                st.oldestUnackedAge(), produced, acked, s.deadLetterQueue());
    }

    private static Map<String, Long> work(MaintenanceReport report) {
        Map<String, Long> work = new LinkedHashMap<>();
        work.put("segmentsDeleted", report.segmentsDeleted());
        work.put("orphansDeleted", report.orphansDeleted());
        work.put("deletedQueuesPurged", report.deletedQueuesPurged());
        return work;
    }
}
