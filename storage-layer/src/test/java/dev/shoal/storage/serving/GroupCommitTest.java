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
import dev.shoal.storage.catalog.QueueCatalog;
import dev.shoal.storage.catalog.QueueRef;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import dev.shoal.storage.testing.Faults;
import dev.shoal.storage.testing.ManualClock;
import dev.shoal.storage.testing.Parked;
import dev.shoal.storage.testing.TestEngines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

/** Group commit: concurrent produce calls to one partition share one segment and one commit. */
@ExtendWith(EmbeddedAwsExtension.class)
class GroupCommitTest {

    private static final int FOLLOWERS = 20;
    private final ManualClock clock = new ManualClock();
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        callers.shutdownNow();
    }

    /** Every segment goes to S3 here, however small, so that a flush has a PUT to fail. */
    private ShoalEngine engine(AwsFixture aws, DynamoDbClient dynamo, software.amazon.awssdk.services.s3.S3Client s3) {
        ShoalEngine engine = TestEngines.builder(aws, clock).dynamo(dynamo).s3(s3).inlineSegmentLimit(0).build();
        engine.createQueue("q", QueueSettings.builder().batchWindow(Duration.ZERO).build());
        return engine;
    }

    private Future<List<ProducedMessage>> produce(ShoalEngine engine, String body) {
        return callers.submit(() -> engine.produce("q", ProduceRequest.of(List.of(NewMessage.of(body)))));
    }

    /** Waits until every caller but the one holding the commit is parked, waiting its turn. */
    private void awaitQueued(int callers) {
        await().atMost(Duration.ofSeconds(20)).until(() -> Parked.callersWaitingForABatch() >= callers);
    }

    /** {@value #FOLLOWERS} single-message produces, started once the first call's commit is held, and parked behind it. */
    private List<Future<List<ProducedMessage>>> followersQueuedBehindTheCommit(ShoalEngine engine) {
        List<Future<List<ProducedMessage>>> followers = new ArrayList<>();
        for (int i = 0; i < FOLLOWERS; i++) {
            followers.add(produce(engine, "m" + i));
        }
        awaitQueued(FOLLOWERS);
        return followers;
    }

    private static Set<MessageId> idsOf(Future<List<ProducedMessage>> first, List<Future<List<ProducedMessage>>> followers) throws Exception {
        Set<MessageId> ids = new HashSet<>();
        ids.add(first.get(20, TimeUnit.SECONDS).getFirst().id());
        for (Future<List<ProducedMessage>> f : followers) {
            ids.add(f.get(20, TimeUnit.SECONDS).getFirst().id());
        }
        return ids;
    }

    @Test
    void callersWaitingDuringAFlushShareTheNextSegmentAndAreAnsweredOnlyAfterItsCommit(AwsFixture aws) throws Exception {
        Hold commits = Hold.putsInto(aws.tables().logTable());
        ShoalEngine engine = engine(aws, aws.dynamoClient(commits), aws.s3());
        Future<List<ProducedMessage>> first = produce(engine, "first");
        commits.awaitHeld();
        List<Future<List<ProducedMessage>>> followers = followersQueuedBehindTheCommit(engine);

        assertFalse(first.isDone(), "not answered while its commit is in flight");
        assertTrue(followers.stream().noneMatch(Future::isDone), "nobody is answered before the commit holding their message");
        commits.release();

        Set<MessageId> ids = idsOf(first, followers);
        assertEquals(FOLLOWERS + 1, ids.size(), "every caller gets an offset of its own");
        assertEquals(2, commits.count(), "one commit for the first call, one for all twenty that waited behind it");
        assertEquals(FOLLOWERS + 1, engine.log().endOffset(queueRef(aws), 0));
        List<ReceivedMessage> received = engine.receive("q", Limits.DEFAULT_SUBSCRIPTION, ReceiveRequest.of(100));
        assertEquals(FOLLOWERS + 1, received.size());
        for (ReceivedMessage m : received) {
            assertTrue(ids.contains(m.id()), "the id a producer was given is where its message is");
        }
    }

    @Test
    void aFailedFlushFailsEachOfItsCallersAndCommitsNothing(AwsFixture aws) throws Exception {
        Hold commits = Hold.putsInto(aws.tables().logTable());
        Hold segmentWrites = new Hold(r -> r instanceof PutObjectRequest);
        segmentWrites.release(); // counts and fails, never holds
        ShoalEngine engine = engine(aws, aws.dynamoClient(commits), aws.s3Client(segmentWrites));
        Future<List<ProducedMessage>> first = produce(engine, "first");
        commits.awaitHeld();
        List<Future<List<ProducedMessage>>> followers = followersQueuedBehindTheCommit(engine);

        segmentWrites.failFromNowOn();
        commits.release();

        assertEquals(1, first.get(20, TimeUnit.SECONDS).size(), "the flush before the failure is committed");
        for (Future<List<ProducedMessage>> f : followers) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(20, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("the store refused the request"), e.getCause().toString());
        }
        assertEquals(2, segmentWrites.count(), "the failed flush was one segment write for all its callers");
        assertEquals(1, engine.log().endOffset(queueRef(aws), 0), "nothing of the failed flush is in the log");
    }

    @Test
    void aFlushWhoseCommitAnswerIsLostIsReadBackAndEveryCallerGetsItsOffsetOnce(AwsFixture aws) throws Exception {
        Hold commits = Hold.putsInto(aws.tables().logTable());
        ShoalEngine engine = engine(aws, aws.dynamoClient(commits, Faults.loseResponse("PutItem", 2)), aws.s3());
        Future<List<ProducedMessage>> first = produce(engine, "first");
        commits.awaitHeld();
        List<Future<List<ProducedMessage>>> followers = followersQueuedBehindTheCommit(engine);
        commits.release();

        Set<MessageId> ids = idsOf(first, followers);
        assertEquals(FOLLOWERS + 1, ids.size());
        assertEquals(FOLLOWERS + 1, engine.log().endOffset(queueRef(aws), 0), "no flush was committed twice");
    }

    @Test
    void aSequentialCallerNeverWaitsForTheWindow(AwsFixture aws) {
        ShoalEngine engine = TestEngines.engine(aws, clock);
        engine.createQueue("slow", QueueSettings.builder().batchWindow(Duration.ofMillis(500)).build());
        var start = clock.instant();
        for (int i = 0; i < 5; i++) {
            engine.produce("slow", ProduceRequest.of(List.of(NewMessage.of("m" + i))));
        }
        assertEquals(start, clock.instant(), "no linger: nobody else was arriving");
    }

    @Test
    void theBatchWindowIsAQueueSettingWithItsRangeChecked(AwsFixture aws) {
        ShoalEngine engine = TestEngines.engine(aws, clock);
        engine.createQueue("w", QueueSettings.builder().batchWindow(Duration.ofMillis(50)).build());
        assertEquals(Duration.ofMillis(50), engine.describeQueue("w").settings().batchWindow());
        var e = assertThrows(dev.shoal.storage.api.InvalidRequestException.class,
                () -> QueueSettings.builder().batchWindow(Duration.ofSeconds(2)).build());
        assertTrue(e.getMessage().contains("batchWindow") && e.getMessage().contains("between 0s and 1s"), e.getMessage());
    }

    private QueueRef queueRef(AwsFixture aws) {
        return new QueueCatalog(aws.dynamo(), aws.tables(), clock).require("q");
    }
}
