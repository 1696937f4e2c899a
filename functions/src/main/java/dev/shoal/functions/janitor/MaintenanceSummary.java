package dev.shoal.functions.janitor;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a janitor run did and saw.
 *
 * @param deployment    the deployment's name (its table prefix): a metric dimension, so deployments sharing an account do not mix
 * @param at            when the run started
 * @param work          counts of what was cleaned up, by name (segmentsDeleted, orphansDeleted, ...), for the log line
 * @param subscriptions every subscription's metrics
 */
public record MaintenanceSummary(String deployment, Instant at, Map<String, Long> work, List<SubscriptionMetrics> subscriptions) {

    public MaintenanceSummary {
        work = Map.copyOf(work);
        subscriptions = List.copyOf(subscriptions);
    }
}
