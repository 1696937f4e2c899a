package dev.shoal.storage.log;

import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.batching.Outcome;
import dev.shoal.storage.catalog.QueueRef;
import dev.shoal.storage.segment.SegmentRecord;
import dev.shoal.storage.testing.ManualClock;
import dev.shoal.storage.testing.Parked;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

/** When a flush waits for more callers: the batching window's policy, on a manual clock. */
class GroupCommitLingerTest {

    private static final Duration WINDOW = Duration.ofMillis(100);
    private final ManualClock clock = new ManualClock();
    private final List<Duration> lingers = new CopyOnWriteArrayList<>();
    private final List<Integer> flushSizes = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstFlushMayEnd = new CountDownLatch(1);
    private final ExecutorService callers = Executors.newCachedThreadPool();
    private final QueueRef queue = new QueueRef("q", "id1", QueueSettings.builder().batchWindow(WINDOW).build(), Instant.EPOCH);

    /** A flush that commits nothing: it records its size, holds the first flush until told, and numbers the records. */
    private final GroupCommit<List<SegmentRecord>, Long> groupCommit = new GroupCommit<>((q, partition, callers) -> {
        boolean first = flushSizes.isEmpty();
        flushSizes.add(callers.size());
        if (first) {
            await().atMost(Duration.ofSeconds(10)).until(() -> firstFlushMayEnd.getCount() == 0);
        }
        long base = flushSizes.subList(0, flushSizes.size() - 1).stream().mapToInt(i -> i).sum();
        List<Outcome<Long>> outcomes = new ArrayList<>();
        for (List<SegmentRecord> records : callers) {
            outcomes.add(Outcome.of(base));
            base += records.size();
        }
        return outcomes;
    }, GroupCommit::bytesOf, clock, lingers::add);

    @AfterEach
    void stop() {
        firstFlushMayEnd.countDown();
        callers.shutdownNow();
    }

    private static List<SegmentRecord> one() {
        return List.of(new SegmentRecord(0, 0, null, null, Map.of(), new byte[] {1}));
    }

    private Future<Long> append() {
        return callers.submit(() -> groupCommit.append(queue, 0, one()));
    }

    @Test
    void aFlushAfterOneThatServedManyCallersArrivingFastWaitsTheWindow() throws Exception {
        Future<Long> first = append();
        await().until(() -> flushSizes.size() == 1);
        List<Future<Long>> crowd = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMillis(2));
            crowd.add(append());
            int queued = i + 1;
            await().until(() -> Parked.callersWaitingForABatch() >= queued);
        }
        firstFlushMayEnd.countDown();
        assertEquals(0, first.get(10, TimeUnit.SECONDS));
        for (Future<Long> f : crowd) f.get(10, TimeUnit.SECONDS);
        assertEquals(List.of(1, 5), flushSizes, "the five that waited shared one flush");
        assertEquals(List.of(), lingers, "nobody waits while the previous flush served one caller");

        clock.advance(Duration.ofMillis(2));
        assertEquals(6, groupCommit.append(queue, 0, one()));
        assertEquals(1, lingers.size(), "callers overlap and come every few ms: the next flush waits for more");
        assertTrue(!lingers.getFirst().isNegative() && !lingers.getFirst().isZero() && lingers.getFirst().compareTo(WINDOW) <= 0,
                "at most a window: " + lingers);
    }

    /** One caller, then five queued behind its flush, 2 ms apart; both flushes done, the clock 2 ms on. */
    private void crowdOfFiveEveryTwoMillis() throws Exception {
        Future<Long> first = append();
        await().until(() -> flushSizes.size() == 1);
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMillis(2));
            append();
            int queued = i + 1;
            await().until(() -> Parked.callersWaitingForABatch() >= queued);
        }
        firstFlushMayEnd.countDown();
        first.get(10, TimeUnit.SECONDS);
        await().until(() -> flushSizes.size() == 2);

        clock.advance(Duration.ofMillis(2));
    }

    @Test
    void aCrowdedFlushWaitsOnlyAsLongAsTheSteadyPaceTakesToBringItsMessages() throws Exception {
        crowdOfFiveEveryTwoMillis();
        groupCommit.append(fewMessagesPerFlush, 0, one());

        assertEquals(1, lingers.size());
        // one caller every 2 ms: 20 messages come in about 40 ms, sooner than the 100 ms window
        assertTrue(lingers.getFirst().toMillis() <= 40, "waited " + lingers.getFirst() + ", not the window");
    }

    @Test
    void aCrowdedFlushWaitsTheWholeWindowWhenItBringsSeveralReceivesWorth() throws Exception {
        crowdOfFiveEveryTwoMillis();
        groupCommit.append(tinyReceives, 0, one());

        // one caller every 2 ms brings 50 in the window, more than eight times 4: one big flush is cheaper
        assertEquals(1, lingers.size());
        assertTrue(lingers.getFirst().toMillis() > 40, "waited " + lingers.getFirst() + ": what is left of the window");
    }

    private final QueueRef fewMessagesPerFlush = new QueueRef("q", "id1",
            QueueSettings.builder().batchWindow(WINDOW).batchWindowMessages(20).build(), Instant.EPOCH);
    private final QueueRef tinyReceives = new QueueRef("q", "id1",
            QueueSettings.builder().batchWindow(WINDOW).batchWindowMessages(4).build(), Instant.EPOCH);

    @Test
    void aSlowTrickleOfCallersNeverWaits() throws Exception {
        for (int i = 0; i < 6; i++) {
            clock.advance(Duration.ofMillis(60)); // one caller every 60 ms: fewer than 4 per window
            if (i == 0) {
                Future<Long> f = append();
                await().until(() -> flushSizes.size() == 1);
                firstFlushMayEnd.countDown();
                f.get(10, TimeUnit.SECONDS);
            } else {
                groupCommit.append(queue, 0, one());
            }
        }
        assertEquals(List.of(), lingers);
    }
}
