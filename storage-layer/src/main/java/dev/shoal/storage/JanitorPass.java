package dev.shoal.storage;

import dev.shoal.storage.api.MaintenanceReport;
import dev.shoal.storage.catalog.QueueCatalog;
import dev.shoal.storage.catalog.QueueRef;
import dev.shoal.storage.catalog.SubscriptionRef;
import dev.shoal.storage.log.Retention;
import dev.shoal.storage.subscription.Consumption;
import dev.shoal.storage.subscription.Maintenance;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One janitor pass over every queue ({@link ShoalEngine#maintenance}): each subscription's state
 * is maintained (ack floors raised, old generations dropped), retention runs below the lowest
 * floor of the queue's subscriptions, and the data of deleted queues is removed. Idempotent;
 * safe to run from several places at once.
 */
final class JanitorPass {

    private final QueueCatalog catalog;
    private final Function<SubscriptionRef, Consumption> consumption;
    private final Retention retention;
    private final Maintenance maintenance;

    JanitorPass(QueueCatalog catalog, Function<SubscriptionRef, Consumption> consumption, Retention retention, Maintenance maintenance) {
        this.catalog = catalog;
        this.consumption = consumption;
        this.retention = retention;
        this.maintenance = maintenance;
    }

    MaintenanceReport run(Instant now) {
        List<MaintenanceReport.SubscriptionReport> reports = new ArrayList<>();
        long segments = 0, orphans = 0, purged = 0;
        List<QueueRef> queues = new ArrayList<>();
        for (String name : catalog.list("")) {
            catalog.find(name).ifPresent(queues::add);
        }
        Set<String> deadLetterQueues = new HashSet<>();
        Map<QueueRef, List<SubscriptionRef>> subscriptions = new LinkedHashMap<>();
        for (QueueRef queue : queues) {
            List<SubscriptionRef> subs = catalog.subscriptions(queue);
            subscriptions.put(queue, subs);
            subs.forEach(s -> s.settings().deadLetterPolicy().ifPresent(d -> deadLetterQueues.add(d.queue())));
        }
        for (var e : subscriptions.entrySet()) {
            QueueRef queue = e.getKey();
            long[] lowest = null;
            for (SubscriptionRef sub : e.getValue()) {
                Consumption c = consumption.apply(sub);
                long[] floors = c.maintain(sub);
                lowest = lowest == null ? floors : min(lowest, floors);
                reports.add(new MaintenanceReport.SubscriptionReport(queue.name(), sub.name(), c.stats(sub),
                        deadLetterQueues.contains(queue.name())));
            }
            Retention.Result r = retention.run(queue, lowest, now);
            segments += r.segments();
            orphans += r.orphans();
        }
        for (QueueCatalog.DeletedQueue deleted : catalog.deletedQueues()) {
            for (int p = 0; p < deleted.partitions(); p++) {
                segments += retention.purgeDeleted(deleted.id(), p);
                for (String sub : deleted.subscriptions()) {
                    maintenance.forgetState(dev.shoal.storage.dynamodb.StateItems.stateKey(deleted.id(), sub, p));
                }
            }
            catalog.forgetDeletedQueue(deleted.id());
            purged++;
        }
        return new MaintenanceReport(reports, segments, orphans, purged);
    }

    private static long[] min(long[] a, long[] b) {
        long[] out = new long[Math.max(a.length, b.length)];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.min(i < a.length ? a[i] : Long.MAX_VALUE, i < b.length ? b[i] : Long.MAX_VALUE);
        }
        return out;
    }
}
