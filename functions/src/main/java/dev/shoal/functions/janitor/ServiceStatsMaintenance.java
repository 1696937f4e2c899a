package dev.shoal.functions.janitor;

import dev.shoal.storage.NotFoundException;
import dev.shoal.storage.QueueService;
import dev.shoal.storage.SubscriptionDescription;
import dev.shoal.storage.SubscriptionStats;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The metrics half of a janitor run, from what {@link QueueService} already tells: every
 * subscription's approximate counts. It cleans nothing up; the engine's maintenance pass
 * does that, and {@link EngineMaintenance} combines the two.
 */
public final class ServiceStatsMaintenance implements Maintenance {

    private final QueueService service;

    public ServiceStatsMaintenance(QueueService service) {
        this.service = service;
    }

    @Override
    public MaintenanceSummary run(Instant now) {
        List<SubscriptionMetrics> metrics = new ArrayList<>();
        for (String queue : service.listQueues("")) {
            List<SubscriptionDescription> subscriptions;
            try {
                subscriptions = service.listSubscriptions(queue);
            } catch (NotFoundException deletedMeanwhile) {
                continue;
            }
            for (SubscriptionDescription s : subscriptions) {
                SubscriptionStats st = s.stats() == null ? SubscriptionStats.EMPTY : s.stats();
                metrics.add(new SubscriptionMetrics(queue, s.name(), st.visible(), st.inFlight(), st.delayed(),
                        st.oldestUnackedAge(), null, null));
            }
        }
        return new MaintenanceSummary(now, Map.of(), metrics);
    }
}
