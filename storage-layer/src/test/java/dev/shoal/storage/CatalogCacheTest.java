package dev.shoal.storage;

import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.catalog.QueueCatalog;
import dev.shoal.storage.catalog.QueueRef;
import dev.shoal.storage.metering.Meter;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import dev.shoal.storage.testing.ManualClock;
import dev.shoal.storage.testing.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hot path's catalog reads: one per entry and period, however many calls ask at once. */
@ExtendWith(EmbeddedAwsExtension.class)
class CatalogCacheTest {

    private static final int CALLERS = 16;

    @Test
    void callersAskingAtOnceWhenAnEntryRanOutCostOneCatalogRead(AwsFixture aws) throws Exception {
        ManualClock clock = new ManualClock();
        TestEngines.engine(aws, clock).createQueue("q", QueueSettings.builder().build());
        AtomicLong nanos = new AtomicLong();
        CatalogCache cache = new CatalogCache(new QueueCatalog(aws.dynamo(), aws.tables(), clock), nanos::get);
        Meter.Usage beforeFirst = aws.meter().snapshot();
        QueueRef first = cache.queue("q");
        double oneRead = aws.meter().snapshot().minus(beforeFirst).dynamoReadUnits();
        nanos.addAndGet(CatalogCache.TTL.toNanos() + 1);

        Meter.Usage before = aws.meter().snapshot();
        CountDownLatch start = new CountDownLatch(1);
        List<QueueRef> seen = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(CALLERS)) {
            List<Future<QueueRef>> calls = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                calls.add(pool.submit(() -> {
                    start.await();
                    return cache.queue("q");
                }));
            }
            start.countDown();
            for (Future<QueueRef> f : calls) seen.add(f.get());
        }
        Meter.Usage reads = aws.meter().snapshot().minus(before);

        assertEquals(List.of(first.id()), seen.stream().map(QueueRef::id).distinct().toList());
        assertEquals(oneRead, reads.dynamoReadUnits(), "one caller read the catalog again; the others kept the entry they had");
        nanos.addAndGet(1);
        before = aws.meter().snapshot();
        cache.queue("q");
        assertEquals(0.0, aws.meter().snapshot().minus(before).dynamoReadUnits(), "the entry read again is fresh");
    }
}
