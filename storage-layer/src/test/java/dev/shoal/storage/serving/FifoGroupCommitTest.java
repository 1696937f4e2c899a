package dev.shoal.storage.serving;

import dev.shoal.storage.ShoalEngine;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.MessageId;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.ProduceRequest;
import dev.shoal.storage.api.ProducedMessage;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.ReceiveRequest;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import dev.shoal.storage.testing.Faults;
import dev.shoal.storage.testing.ManualClock;
import dev.shoal.storage.testing.Parked;
import dev.shoal.storage.testing.TestEngines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Group commit on FIFO queues: concurrent senders share one segment and one commit, a group's
 * order is its commit order, and deduplication stays exact within a flush and across callers.
 */
@ExtendWith(EmbeddedAwsExtension.class)
class FifoGroupCommitTest {

    private static final int FOLLOWERS = 20;
    private final ManualClock clock = new ManualClock();
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        callers.shutdownNow();
    }

    private static QueueSettings.Builder fifo() {
        return QueueSettings.builder().fifo(true).batchWindow(Duration.ZERO);
    }

    private Future<ProducedMessage> send(ShoalEngine engine, String queue, String group, String dedupId, String body) {
        return callers.submit(() -> engine.produce(queue, ProduceRequest.of(List.of(
                NewMessage.builder().groupId(group).dedupId(dedupId).body(body).build()))).getFirst());
    }

    /** The first send's commit held in the log table, and {@value #FOLLOWERS} more parked behind it. */
    private List<Future<ProducedMessage>> followersBehindAHeldCommit(ShoalEngine engine, Hold commits, List<String> dedupIds) {
        send(engine, "q.fifo", "g", "first", "first");
        commits.awaitHeld();
        List<Future<ProducedMessage>> followers = new ArrayList<>();
        for (int i = 0; i < FOLLOWERS; i++) {
            followers.add(send(engine, "q.fifo", "g", dedupIds.get(i), "m" + i));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> Parked.callersWaitingForABatch() >= FOLLOWERS);
        assertTrue(followers.stream().noneMatch(Future::isDone), "nobody is answered before the commit holding their message");
        return followers;
    }

    @Test
    void fifoSendersWaitingDuringAFlushShareTheNextCommitAndTheGroupIsDeliveredInCommitOrder(AwsFixture aws) throws Exception {
        Hold commits = Hold.putsInto(aws.tables().logTable());
        ShoalEngine engine = TestEngines.builder(aws, clock).dynamo(aws.dynamoClient(commits)).build();
        engine.createQueue("q.fifo", fifo().build());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < FOLLOWERS; i++) ids.add("d" + i);
        List<Future<ProducedMessage>> followers = followersBehindAHeldCommit(engine, commits, ids);
        commits.release();

        List<MessageId> answered = new ArrayList<>();
        for (Future<ProducedMessage> f : followers) answered.add(f.get(20, TimeUnit.SECONDS).id());
        assertEquals(2, commits.count(), "one commit for the first send, one for the twenty that waited behind it");
        assertEquals(FOLLOWERS, new HashSet<>(answered).size(), "every sender gets an offset of its own");

        List<ReceivedMessage> received = engine.receive("q.fifo", Limits.DEFAULT_SUBSCRIPTION, ReceiveRequest.of(100));
        assertEquals(FOLLOWERS + 1, received.size(), "the whole group, in one receive");
        for (int i = 1; i < received.size(); i++) {
            assertTrue(received.get(i - 1).id().offset() < received.get(i).id().offset(), "the group comes out in commit order");
        }
        for (int i = 0; i < FOLLOWERS; i++) {
            MessageId id = answered.get(i);
            String body = "m" + i;
            assertTrue(received.stream().anyMatch(m -> m.id().equals(id) && m.bodyAsString().equals(body)),
                    "the id a sender was given is where its message is");
        }
    }

    @Test
    void aDuplicateAmongTheCallersOfOneFlushIsStoredOnceAndEveryCopyIsAnsweredWithTheOriginalsId(AwsFixture aws) throws Exception {
        Hold commits = Hold.putsInto(aws.tables().logTable());
        ShoalEngine engine = TestEngines.builder(aws, clock).dynamo(aws.dynamoClient(commits)).build();
        engine.createQueue("q.fifo", fifo().build());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < FOLLOWERS; i++) ids.add(i % 2 == 0 ? "same" : "first"); // "first" repeats the held send
        List<Future<ProducedMessage>> followers = followersBehindAHeldCommit(engine, commits, ids);
        commits.release();

        Set<MessageId> sameIds = new HashSet<>(), firstIds = new HashSet<>();
        int duplicates = 0;
        for (int i = 0; i < FOLLOWERS; i++) {
            ProducedMessage p = followers.get(i).get(20, TimeUnit.SECONDS);
            (i % 2 == 0 ? sameIds : firstIds).add(p.id());
            if (p.duplicate()) duplicates++;
        }
        assertEquals(Set.of(new MessageId(0, 0)), firstIds, "a repeat of the committed send gets its id");
        assertEquals(1, sameIds.size(), "every copy within the flush gets the id of the one stored");
        assertEquals(FOLLOWERS - 1, duplicates, "all but the first copy of \"same\" are duplicates");
        List<ReceivedMessage> received = engine.receive("q.fifo", Limits.DEFAULT_SUBSCRIPTION, ReceiveRequest.of(100));
        assertEquals(2, received.size(), "each id stored once: " + received.stream().map(ReceivedMessage::bodyAsString).toList());
        assertEquals("first", received.getFirst().bodyAsString());
        assertEquals(sameIds.iterator().next(), received.get(1).id(), "the copy stored is the one whose id every copy got");
    }

    @Test
    void aFifoFlushWhoseCommitAnswerIsLostIsReadBackAndEverySenderGetsItsOffsetOnce(AwsFixture aws) throws Exception {
        TestEngines.engine(aws, clock).createQueue("q.fifo", fifo().build());
        Hold commits = Hold.putsInto(aws.tables().logTable());
        ShoalEngine engine = TestEngines.builder(aws, clock) // the only puts it makes are the commits: the first two answers lost
                .dynamo(aws.dynamoClient(commits, Faults.loseResponse("PutItem", 2))).build();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < FOLLOWERS; i++) ids.add("d" + i);
        List<Future<ProducedMessage>> followers = followersBehindAHeldCommit(engine, commits, ids);
        commits.release();

        Set<MessageId> answered = new HashSet<>();
        for (Future<ProducedMessage> f : followers) {
            ProducedMessage p = f.get(20, TimeUnit.SECONDS);
            assertFalse(p.duplicate(), "a lost answer is our own commit, not a duplicate");
            answered.add(p.id());
        }
        assertEquals(FOLLOWERS, answered.size());
        List<ReceivedMessage> received = engine.receive("q.fifo", Limits.DEFAULT_SUBSCRIPTION, ReceiveRequest.of(100));
        assertEquals(FOLLOWERS + 1, received.size(), "no flush was committed twice");
    }

    @Test
    void concurrentSendersOfOneIdOnSeveralPartitionsStoreItOnce(AwsFixture aws) throws Exception {
        ShoalEngine engine = TestEngines.engine(aws, clock);
        engine.createQueue("wide.fifo", fifo().partitions(4).build()); // queue-wide scope over 4 partitions: the ids are items
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ProducedMessage>> senders = new ArrayList<>();
        for (int i = 0; i < FOLLOWERS; i++) {
            String group = "g" + i, body = "b" + i;
            senders.add(callers.submit(() -> {
                go.await();
                return engine.produce("wide.fifo", ProduceRequest.of(List.of(
                        NewMessage.builder().groupId(group).dedupId("one").body(body).build()))).getFirst();
            }));
        }
        go.countDown();

        Set<MessageId> ids = new HashSet<>();
        int originals = 0;
        for (Future<ProducedMessage> f : senders) {
            ProducedMessage p = f.get(30, TimeUnit.SECONDS);
            ids.add(p.id());
            if (!p.duplicate()) originals++;
        }
        assertEquals(1, ids.size(), "every sender is answered with the one message stored");
        assertEquals(1, originals);
        assertEquals(1, engine.receive("wide.fifo", Limits.DEFAULT_SUBSCRIPTION, ReceiveRequest.of(100)).size());
    }
}
