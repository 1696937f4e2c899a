package dev.shoal.storage.serving;

import dev.shoal.storage.ShoalEngine;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.ProduceRequest;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.ReceiptResult;
import dev.shoal.storage.api.ReceiveRequest;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.api.Sleeper;
import dev.shoal.storage.api.Wakeup;
import dev.shoal.storage.batching.Signals;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import dev.shoal.storage.testing.ManualClock;
import dev.shoal.storage.testing.Parked;
import dev.shoal.storage.testing.TestEngines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

/** Receivers of one subscription in one process share their claims and their waiting. */
@ExtendWith(EmbeddedAwsExtension.class)
class SharedReceiveTest {

    private static final String SUB = Limits.DEFAULT_SUBSCRIPTION;
    private final ExecutorService receivers = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        receivers.shutdownNow();
    }

    private static List<NewMessage> messages(int n) {
        return IntStream.range(0, n).mapToObj(i -> NewMessage.of("m" + i)).toList();
    }

    @Test
    void aLongPollWakesOnALocalCommitWithoutWaitingForAPollingInterval(AwsFixture aws) throws Exception {
        ManualClock clock = new ManualClock();
        // Backoffs move the manual clock; a long poll's wait returns only when its signal moves,
        // never because a polling interval passed: the receive can only see the message by being woken.
        ShoalEngine engine = TestEngines.builder(aws, clock).sleeper(onlyWokenBySignals(clock)).build();
        engine.createQueue("q", QueueSettings.builder().build());
        Future<List<ReceivedMessage>> waiting = receivers.submit(() ->
                engine.receive("q", SUB, ReceiveRequest.builder().maxMessages(10).waitTime(Duration.ofSeconds(20)).build()));
        await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ofMillis(200)).until(() -> !waiting.isDone());

        engine.produce("q", ProduceRequest.of(messages(1)));

        List<ReceivedMessage> got = waiting.get(10, TimeUnit.SECONDS);
        assertEquals(List.of("m0"), got.stream().map(ReceivedMessage::bodyAsString).toList());
    }

    @Test
    void waitingLongPollsAnswerEmptyAtOnceWhenTheProcessStops(AwsFixture aws) throws Exception {
        ManualClock clock = new ManualClock();
        ShoalEngine engine = TestEngines.builder(aws, clock).sleeper(onlyWokenBySignals(clock)).build();
        engine.createQueue("q", QueueSettings.builder().build());
        ReceiveRequest longPoll = ReceiveRequest.builder().maxMessages(10).waitTime(Duration.ofSeconds(20)).build();
        List<Future<List<ReceivedMessage>>> waiting = IntStream.range(0, 3)
                .mapToObj(i -> receivers.submit(() -> engine.receive("q", SUB, longPoll))).toList();
        await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ofMillis(200)).until(() -> waiting.stream().noneMatch(Future::isDone));

        engine.endLongPolls();

        for (Future<List<ReceivedMessage>> w : waiting) {
            assertEquals(List.of(), w.get(10, TimeUnit.SECONDS), "answered empty, with its 20 s not run out on the clock");
        }
        assertEquals(List.of(), engine.receive("q", SUB, longPoll), "a long poll that starts during the stop does not wait either");
    }

    @Test
    void aVisibilityTimeoutChangedWhileALongPollWaitsAppliesToWhatItReceives(AwsFixture aws) throws Exception {
        ManualClock clock = new ManualClock();
        ShoalEngine engine = TestEngines.builder(aws, clock).sleeper(onlyWokenBySignals(clock)).build();
        engine.createQueue("q", QueueSettings.builder().build()); // visibility 30 s
        Future<List<ReceivedMessage>> waiting = receivers.submit(() ->
                engine.receive("q", SUB, ReceiveRequest.builder().maxMessages(10).waitTime(Duration.ofSeconds(20)).build()));
        await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ofMillis(200)).until(() -> !waiting.isDone());

        engine.updateQueue("q", QueueSettings.builder().defaultSubscription(
                dev.shoal.storage.api.SubscriptionSettings.builder().visibilityTimeout(Duration.ofSeconds(5)).build()).build());
        engine.produce("q", ProduceRequest.of(messages(1)));

        assertEquals(1, waiting.get(10, TimeUnit.SECONDS).size());
        clock.advance(Duration.ofSeconds(6));
        assertEquals(List.of("m0"), engine.receive("q", SUB, ReceiveRequest.of(10)).stream().map(ReceivedMessage::bodyAsString).toList(),
                "leased for the new 5 s, not the 30 s in force when the poll began");
    }

    private static Sleeper onlyWokenBySignals(ManualClock clock) {
        return new Sleeper() {
            public void sleep(Duration d) {
                clock.advance(d);
            }

            public void sleepUntilSignalled(Wakeup signal, long seen, Duration max) {
                try {
                    signal.await(seen, Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    @Test
    void waitingReceiversOfAnIdleQueueShareTheirPolls(AwsFixture aws) throws Exception {
        long look = queries(aws, "look", 1, Duration.ZERO); // what every receive pays once: its first look
        long alone = queries(aws, "alone", 1, Duration.ofSeconds(2)) - look;
        long crowd = queries(aws, "crowd", 20, Duration.ofSeconds(2)) - 20 * look;
        assertTrue(alone > 0, "a waiting receiver polls");
        assertTrue(crowd < alone * 3, "while waiting, 20 receivers read about what one does: " + crowd + " queries against " + alone);
    }

    @Test
    void aCommitOfOneMessageSendsOneOfTheWaitingReceiversToLookNotAll(AwsFixture aws) throws Exception {
        int one = queriesToDeliverOneMessage(aws, "alone", 1);
        int twenty = queriesToDeliverOneMessage(aws, "crowd", 20);
        assertTrue(twenty <= one + 1, "twenty waiting receivers read what one does: " + twenty + " queries against " + one);
    }

    @Test
    void aReceiveFilledByACommitsNewsDoesNotSendAnotherReceiverToLookForMore(AwsFixture aws) throws Exception {
        int one = queriesToDeliver(aws, "full-alone", 1, 10);
        int two = queriesToDeliver(aws, "full-pair", 2, 10);
        assertTrue(two <= one + 1, "the commit announced ten, the first receiver took ten: " + two + " queries against " + one);
    }

    @Test
    void aReceiveWokenByALocalCommitReadsNoLogToFindItsEnd(AwsFixture aws) throws Exception {
        ManualClock clock = new ManualClock();
        Hold logQueries = Hold.queriesOf(aws.tables().logTable());
        logQueries.release();
        ShoalEngine engine = TestEngines.builder(aws, clock).dynamo(aws.dynamoClient(logQueries)).sleeper(onlyWokenBySignals(clock)).build();
        engine.createQueue("news", QueueSettings.builder().build());
        engine.produce("news", ProduceRequest.of(messages(1))); // the first commit reads the log's tail: not what is measured
        List<ReceivedMessage> first = engine.receive("news", SUB, ReceiveRequest.of(10));
        engine.ack("news", SUB, first.stream().map(ReceivedMessage::receipt).toList());
        ExecutorService mine = Executors.newCachedThreadPool(Thread.ofPlatform().name("news-waiter-", 0).factory());
        Future<List<ReceivedMessage>> waiting = mine.submit(() -> engine.receive("news", SUB,
                ReceiveRequest.builder().maxMessages(10).waitTime(Duration.ofSeconds(20)).build()));
        await().atMost(Duration.ofSeconds(30)).until(() -> Parked.longPollsWaiting("news-waiter-") == 1);
        int before = logQueries.count();

        engine.produce("news", ProduceRequest.of(messages(1)));

        assertEquals(1, waiting.get(10, TimeUnit.SECONDS).size());
        assertEquals(0, logQueries.count() - before, "the claim stops where this process's own commit ended");
        mine.shutdown();
    }

    private int queriesToDeliverOneMessage(AwsFixture aws, String queue, int waiters) throws Exception {
        return queriesToDeliver(aws, queue, waiters, 1);
    }

    /** Queries from the commit of {@code count} messages (one receive's worth at most) to their receipt, with {@code waiters} long polls waiting; the others wait on. */
    private int queriesToDeliver(AwsFixture aws, String queue, int waiters, int count) throws Exception {
        ManualClock clock = new ManualClock();
        Hold queries = new Hold(r -> r instanceof QueryRequest);
        queries.release();
        ShoalEngine engine = TestEngines.builder(aws, clock).dynamo(aws.dynamoClient(queries)).sleeper(onlyWokenBySignals(clock)).build();
        engine.createQueue(queue, QueueSettings.builder().build());
        ReceiveRequest longPoll = ReceiveRequest.builder().maxMessages(10).waitTime(Duration.ofSeconds(20)).build();
        ExecutorService mine = Executors.newCachedThreadPool(Thread.ofPlatform().name(queue + "-waiter-", 0).factory());
        List<Future<List<ReceivedMessage>>> waiting = IntStream.range(0, waiters)
                .mapToObj(i -> mine.submit(() -> engine.receive(queue, SUB, longPoll))).toList();
        // only this call's receivers: other tests' leftovers come and go
        await().atMost(Duration.ofSeconds(30)).until(() -> Parked.longPollsWaiting(queue + "-waiter-") >= waiters);
        int before = queries.count();

        engine.produce(queue, ProduceRequest.of(messages(count)));

        await().atMost(Duration.ofSeconds(10)).until(() -> waiting.stream().anyMatch(Future::isDone));
        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> true); // let any other woken receiver look
        assertEquals(1, waiting.stream().filter(Future::isDone).count(), "one receiver got the message, the others wait on");
        int looked = queries.count() - before;
        engine.endLongPolls();
        mine.shutdown();
        return looked;
    }

    private long queries(AwsFixture aws, String queue, int waiters, Duration wait) throws Exception {
        Hold queries = new Hold(r -> r instanceof QueryRequest);
        queries.release();
        ShoalEngine engine = ShoalEngine.builder().dynamo(aws.dynamoClient(queries)).s3(aws.s3()).tables(aws.tables())
                .bucket(aws.bucket()).clock(Clock.systemUTC()).sleeper(Sleeper.SYSTEM).receiptSecret(TestEngines.SECRET).build();
        engine.createQueue(queue, QueueSettings.builder().build());
        int before = queries.count();
        List<Future<List<ReceivedMessage>>> polls = new ArrayList<>();
        for (int i = 0; i < waiters; i++) {
            polls.add(receivers.submit(() -> engine.receive(queue, SUB,
                    ReceiveRequest.builder().maxMessages(10).waitTime(wait).build())));
        }
        for (Future<List<ReceivedMessage>> p : polls) {
            assertEquals(List.of(), p.get(20, TimeUnit.SECONDS));
        }
        return queries.count() - before;
    }

    @Test
    void receiversArrivingDuringAClaimShareOneChunkWriteAndNoMessageIsLeasedTwice(AwsFixture aws) throws Exception {
        ManualClock clock = new ManualClock();
        Hold claims = Hold.putsInto(aws.tables().stateTable());
        ShoalEngine engine = TestEngines.builder(aws, clock).dynamo(aws.dynamoClient(claims)).build();
        engine.createQueue("q", QueueSettings.builder().build());
        engine.produce("q", ProduceRequest.of(messages(200)));
        int before = claims.count();

        List<Future<List<ReceivedMessage>>> got = new ArrayList<>();
        got.add(receivers.submit(() -> engine.receive("q", SUB, ReceiveRequest.of(10))));
        claims.awaitHeld();
        for (int i = 0; i < 9; i++) {
            got.add(receivers.submit(() -> engine.receive("q", SUB, ReceiveRequest.of(10))));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> Parked.callersWaitingForABatch() >= 9);
        claims.release();

        Set<String> bodies = new HashSet<>();
        List<List<ReceivedMessage>> each = new ArrayList<>();
        for (Future<List<ReceivedMessage>> f : got) {
            List<ReceivedMessage> mine = f.get(20, TimeUnit.SECONDS);
            assertEquals(10, mine.size(), "each receiver gets what it asked for");
            mine.forEach(m -> assertTrue(bodies.add(m.bodyAsString()), "leased twice: " + m.bodyAsString()));
            each.add(mine);
        }
        assertEquals(2, claims.count() - before, "one claim for the first receiver, one shared by the nine that waited");
        for (List<ReceivedMessage> mine : each) {
            for (ReceiptResult r : engine.ack("q", SUB, mine.stream().map(ReceivedMessage::receipt).toList())) {
                assertNull(r.error(), "each receiver acks its own messages of the shared chunk: " + r);
            }
        }
        assertEquals(100, engine.receive("q", SUB, ReceiveRequest.of(1000)).size(), "the other hundred are still there, once");
    }

    @Test
    void receiversThatKeepComingTogetherShareTheirClaimsAndAcksAndEachMessageIsDeliveredOnce(AwsFixture aws) throws Exception {
        double apart = stateWritesPerMessage(aws, "apart", Duration.ZERO); // no batching window: nobody waits for anybody
        double together = stateWritesPerMessage(aws, "together", Limits.DEFAULT_BATCH_WINDOW);
        assertTrue(together < apart * 0.8, "claims and acks shared by the receivers: " + together + " state writes per message, "
                + apart + " without the window");
    }

    /** Eight receivers looping on receives of 10 and acks of what they got, until 1,600 messages are through. */
    private double stateWritesPerMessage(AwsFixture aws, String queue, Duration window) throws Exception {
        Hold writes = new Hold(r -> (r instanceof PutItemRequest p && p.tableName().equals(aws.tables().stateTable()))
                || (r instanceof UpdateItemRequest u && u.tableName().equals(aws.tables().stateTable()))
                || r instanceof TransactWriteItemsRequest);
        writes.release();
        // real time: lingering is waiting for other callers, which a manual clock cannot stand for
        ShoalEngine engine = ShoalEngine.builder().dynamo(aws.dynamoClient(writes)).s3(aws.s3()).tables(aws.tables())
                .bucket(aws.bucket()).clock(Clock.systemUTC()).sleeper(Sleeper.SYSTEM).receiptSecret(TestEngines.SECRET).build();
        engine.createQueue(queue, QueueSettings.builder().batchWindow(window).build());
        int total = 1_600;
        engine.produce(queue, ProduceRequest.of(messages(800)));
        engine.produce(queue, ProduceRequest.of(IntStream.range(800, total).mapToObj(i -> NewMessage.of("m" + i)).toList()));
        int before = writes.count();

        Set<String> delivered = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<String> twice = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Future<?>> loops = new ArrayList<>();
        for (int r = 0; r < 8; r++) {
            loops.add(receivers.submit(() -> {
                for (int round = 0; round < 400 && delivered.size() < total; round++) {
                    List<ReceivedMessage> got = engine.receive(queue, SUB, ReceiveRequest.of(10));
                    got.forEach(m -> { if (!delivered.add(m.bodyAsString())) twice.add(m.bodyAsString()); });
                    for (ReceiptResult result : engine.ack(queue, SUB, got.stream().map(ReceivedMessage::receipt).toList())) {
                        assertNull(result.error(), "ack of a message of a shared chunk: " + result);
                    }
                }
                return null;
            }));
        }
        for (Future<?> loop : loops) loop.get(120, TimeUnit.SECONDS);

        assertEquals(List.of(), twice, "no message delivered twice");
        assertEquals(total, delivered.size(), "every message delivered");
        return (writes.count() - before) / (double) total;
    }

    @Test
    void receivesAskingWhileTheHeadIsReadShareTheNextRead(AwsFixture aws) throws Exception {
        ManualClock clock = new ManualClock();
        java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();
        Hold heads = new Hold(r -> armed.get() && r instanceof QueryRequest q && q.tableName().equals(aws.tables().stateTable())
                && q.indexName() == null);
        ShoalEngine engine = TestEngines.builder(aws, clock).dynamo(aws.dynamoClient(heads)).build();
        engine.createQueue("q", QueueSettings.builder().build());
        engine.produce("q", ProduceRequest.of(messages(100)));
        int before = heads.count();
        armed.set(true);

        List<Future<List<ReceivedMessage>>> got = new ArrayList<>();
        got.add(receivers.submit(() -> engine.receive("q", SUB, ReceiveRequest.of(10))));
        heads.awaitHeld();
        for (int i = 0; i < 9; i++) {
            got.add(receivers.submit(() -> engine.receive("q", SUB, ReceiveRequest.of(10))));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> Parked.callersWaitingForABatch() >= 9);
        heads.release();

        Set<String> bodies = new HashSet<>();
        for (Future<List<ReceivedMessage>> f : got) {
            f.get(20, TimeUnit.SECONDS).forEach(m -> assertTrue(bodies.add(m.bodyAsString()), "leased twice: " + m.bodyAsString()));
        }
        assertEquals(100, bodies.size(), "every receiver got its ten");
        assertTrue(heads.count() - before <= 5, "the nine that asked during the first read shared the next: "
                + (heads.count() - before) + " head reads for ten receives");
    }

    @Test
    void acksArrivingWhileAnotherIsWrittenShareOneChunkWrite(AwsFixture aws) throws Exception {
        ManualClock clock = new ManualClock();
        ShoalEngine setup = TestEngines.engine(aws, clock);
        setup.createQueue("q", QueueSettings.builder().build());
        setup.produce("q", ProduceRequest.of(messages(100)));
        List<ReceivedMessage> all = setup.receive("q", SUB, ReceiveRequest.of(100)); // one chunk, one lease
        Hold chunkWrites = Hold.putsInto(aws.tables().stateTable());
        ShoalEngine engine = TestEngines.builder(aws, clock).dynamo(aws.dynamoClient(chunkWrites)).build();

        List<Future<List<ReceiptResult>>> acks = new ArrayList<>();
        acks.add(receivers.submit(() -> engine.ack("q", SUB, receiptsOf(all.subList(0, 10)))));
        chunkWrites.awaitHeld();
        for (int i = 1; i < 10; i++) {
            List<String> mine = receiptsOf(all.subList(i * 10, i * 10 + 10));
            acks.add(receivers.submit(() -> engine.ack("q", SUB, mine)));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> Parked.callersWaitingForABatch() >= 9);
        chunkWrites.release();

        for (Future<List<ReceiptResult>> f : acks) {
            List<ReceiptResult> results = f.get(20, TimeUnit.SECONDS);
            assertEquals(10, results.size());
            results.forEach(r -> assertNull(r.error(), "acked: " + r));
        }
        assertEquals(2, chunkWrites.count(), "one chunk write for the first ack, one for the nine that waited behind it");
        clock.advance(Duration.ofHours(1));
        assertEquals(List.of(), engine.receive("q", SUB, ReceiveRequest.of(100)), "every message is acked: none comes back");
    }

    private static List<String> receiptsOf(List<ReceivedMessage> messages) {
        return messages.stream().map(ReceivedMessage::receipt).toList();
    }
}
