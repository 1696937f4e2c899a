package dev.shoal.storage.batching;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

class CoalescerTest {

    private final ExecutorService callers = Executors.newCachedThreadPool();
    private final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstBatchMayFinish = new CountDownLatch(1);

    @AfterEach
    void stop() {
        firstBatchMayFinish.countDown();
        callers.shutdownNow();
    }

    /** Doubles each item; the first batch waits for the test's go, so others queue up behind it. */
    private List<Outcome<Integer>> doubling(List<Integer> items) {
        boolean first = batches.isEmpty();
        batches.add(List.copyOf(items));
        if (first) {
            await().atMost(Duration.ofSeconds(10)).until(() -> firstBatchMayFinish.getCount() == 0);
        }
        return items.stream().map(i -> Outcome.of(i * 2)).toList();
    }

    @Test
    void callersArrivingDuringABatchShareTheNextOneAndEachGetsItsOwnResult() throws Exception {
        Coalescer<Integer, Integer> coalescer = new Coalescer<>(this::doubling, i -> 1L, 100, Coalescer.Linger.none());
        Future<Integer> leader = callers.submit(() -> coalescer.submit("p", 0));
        await().until(() -> batches.size() == 1);
        List<Future<Integer>> followers = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            int item = i;
            followers.add(callers.submit(() -> coalescer.submit("p", item)));
        }
        await().until(() -> coalescer.waiting("p") == 10);

        firstBatchMayFinish.countDown();

        assertEquals(0, leader.get(10, TimeUnit.SECONDS));
        for (int i = 1; i <= 10; i++) {
            assertEquals(i * 2, followers.get(i - 1).get(10, TimeUnit.SECONDS));
        }
        assertEquals(2, batches.size(), "ten callers that waited together share one batch: " + batches);
        assertEquals(10, batches.get(1).size());
    }

    @Test
    void aKeyWhoseCallersStoppedComingIsForgottenAfterTwoSweepsAndABusyOneIsKept() throws Exception {
        Coalescer<Integer, Integer> coalescer = new Coalescer<>(items -> items.stream().map(i -> Outcome.of(i * 2)).toList(),
                i -> 1L, 100, Coalescer.Linger.none());
        assertEquals(2, coalescer.submit("gone", 1));
        assertEquals(4, coalescer.submit("busy", 2));

        coalescer.sweepIdleLanes();
        assertEquals(6, coalescer.submit("busy", 3));
        coalescer.sweepIdleLanes();

        assertEquals(1, coalescer.lanes(), "only the key used since the first sweep is kept");
        assertEquals(8, coalescer.submit("gone", 4), "a forgotten key works as a new one");
    }

    @Test
    void aSweepNeverDropsALaneWithABatchRunning() throws Exception {
        Coalescer<Integer, Integer> coalescer = new Coalescer<>(this::doubling, i -> 1L, 100, Coalescer.Linger.none());
        Future<Integer> running = callers.submit(() -> coalescer.submit("p", 1));
        await().until(() -> batches.size() == 1);
        Future<Integer> queued = callers.submit(() -> coalescer.submit("p", 2));
        await().until(() -> coalescer.waiting("p") == 1);

        for (int i = 0; i < 3; i++) coalescer.sweepIdleLanes();
        assertEquals(1, coalescer.lanes());
        Future<Integer> afterSweeps = callers.submit(() -> coalescer.submit("p", 3));
        await().until(() -> coalescer.waiting("p") == 2);
        firstBatchMayFinish.countDown();

        assertEquals(2, running.get(10, TimeUnit.SECONDS));
        assertEquals(4, queued.get(10, TimeUnit.SECONDS));
        assertEquals(6, afterSweeps.get(10, TimeUnit.SECONDS));
        assertEquals(List.of(List.of(1), List.of(2, 3)), batches, "one lane: the caller after the sweeps queued behind the batch running");
    }

    @Test
    void otherKeysDoNotWaitForEachOther() throws Exception {
        Coalescer<Integer, Integer> coalescer = new Coalescer<>(this::doubling, i -> 1L, 100, Coalescer.Linger.none());
        Future<Integer> blocked = callers.submit(() -> coalescer.submit("p", 1));
        await().until(() -> batches.size() == 1);

        assertEquals(4, callers.submit(() -> coalescer.submit("q", 2)).get(10, TimeUnit.SECONDS));
        assertFalse(blocked.isDone());
    }

    @Test
    void aFailedBatchFailsEachOfItsCallersAndTheNextBatchStillRuns() throws Exception {
        List<List<Integer>> runs = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        Coalescer<Integer, Integer> coalescer = new Coalescer<>(items -> {
            runs.add(items);
            if (runs.size() == 1) {
                await().atMost(Duration.ofSeconds(10)).until(() -> release.getCount() == 0);
                return items.stream().map(i -> Outcome.of(i)).toList();
            }
            if (items.contains(13)) {
                throw new IllegalStateException("the store refused the flush");
            }
            return items.stream().map(i -> Outcome.of(i)).toList();
        }, i -> 1L, 3, Coalescer.Linger.none());
        Future<Integer> leader = callers.submit(() -> coalescer.submit("p", 0));
        await().until(() -> runs.size() == 1);
        List<Future<Integer>> queued = new ArrayList<>();
        for (int item : new int[] {11, 12, 13, 21, 22}) {
            queued.add(callers.submit(() -> coalescer.submit("p", item)));
            int expected = queued.size();
            await().until(() -> coalescer.waiting("p") == expected);
        }

        release.countDown();

        assertEquals(0, leader.get(10, TimeUnit.SECONDS));
        for (int i = 0; i < 3; i++) {
            Future<Integer> f = queued.get(i);
            var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
            assertEquals("the store refused the flush", e.getCause().getMessage());
        }
        assertEquals(21, queued.get(3).get(10, TimeUnit.SECONDS));
        assertEquals(22, queued.get(4).get(10, TimeUnit.SECONDS));
        assertEquals(List.of(List.of(0), List.of(11, 12, 13), List.of(21, 22)), runs, "batches hold at most 3 items, in arrival order");
    }

    @Test
    void aLeaderReturnsWhenItsOwnBatchIsDoneWithoutRunningTheNext() throws Exception {
        CountDownLatch secondBatchMayFinish = new CountDownLatch(1);
        List<List<Integer>> runs = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        Coalescer<Integer, Integer> coalescer = new Coalescer<>(items -> {
            runs.add(items);
            CountDownLatch gate = runs.size() == 1 ? release : secondBatchMayFinish;
            await().atMost(Duration.ofSeconds(10)).until(() -> gate.getCount() == 0);
            return items.stream().map(i -> Outcome.of(i)).toList();
        }, i -> 1L, 100, Coalescer.Linger.none());
        Future<Integer> leader = callers.submit(() -> coalescer.submit("p", 1));
        await().until(() -> runs.size() == 1);
        Future<Integer> follower = callers.submit(() -> coalescer.submit("p", 2));
        await().until(() -> coalescer.waiting("p") == 1);

        release.countDown();

        assertEquals(1, leader.get(10, TimeUnit.SECONDS), "the leader answers while the follower's batch still runs");
        await().until(() -> runs.size() == 2);
        assertFalse(follower.isDone());
        secondBatchMayFinish.countDown();
        assertEquals(2, follower.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aLeaderLingersBeforeTakingItsBatchSoLateCallersJoinIt() throws Exception {
        CountDownLatch lingerMayEnd = new CountDownLatch(1);
        List<List<Integer>> runs = new CopyOnWriteArrayList<>();
        Coalescer<Integer, Integer> coalescer = new Coalescer<>(items -> {
            runs.add(items);
            return items.stream().map(i -> Outcome.of(i)).toList();
        }, i -> 1L, 100, (key, item, previous) -> await().atMost(Duration.ofSeconds(10)).until(() -> lingerMayEnd.getCount() == 0));
        Future<Integer> leader = callers.submit(() -> coalescer.submit("p", 1));
        await().until(() -> coalescer.waiting("p") == 1);
        Future<Integer> late = callers.submit(() -> coalescer.submit("p", 2));
        await().until(() -> coalescer.waiting("p") == 2);

        lingerMayEnd.countDown();

        assertEquals(1, leader.get(10, TimeUnit.SECONDS));
        assertEquals(2, late.get(10, TimeUnit.SECONDS));
        assertEquals(List.of(List.of(1, 2)), runs);
    }
}
