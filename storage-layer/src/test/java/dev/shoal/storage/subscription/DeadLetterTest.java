package dev.shoal.storage.subscription;

import dev.shoal.storage.*;
import dev.shoal.storage.api.*;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import dev.shoal.storage.testing.Faults;
import dev.shoal.storage.testing.ManualClock;
import dev.shoal.storage.testing.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(EmbeddedAwsExtension.class)
class DeadLetterTest {

    private static final String SUB = Limits.DEFAULT_SUBSCRIPTION;
    private static final Duration VT = Duration.ofSeconds(30);
    private final ManualClock clock = new ManualClock();

    private ShoalEngine queueWithDeadLetters(AwsFixture aws, int maxReceiveCount) {
        ShoalEngine shoal = TestEngines.engine(aws, clock);
        shoal.createQueue("q-dlq", QueueSettings.builder().build());
        shoal.createQueue("q", QueueSettings.builder().defaultSubscription(SubscriptionSettings.builder()
                .deadLetter(new DeadLetterPolicy("q-dlq", maxReceiveCount)).build()).build());
        return shoal;
    }

    private void receiveAndLetExpire(ShoalEngine shoal, int times) {
        for (int i = 0; i < times; i++) {
            assertEquals(1, shoal.receive("q", SUB, ReceiveRequest.of(10)).size());
            clock.advance(VT);
        }
    }

    @Test
    void aMessageReceivedMoreThanMaxReceiveCountTimesIsMovedToTheDeadLetterQueueWithItsProvenance(AwsFixture aws) {
        ShoalEngine shoal = queueWithDeadLetters(aws, 2);
        MessageId id = shoal.produce("q", List.of(NewMessage.builder().body("poison").attribute("k", "v").build())).getFirst().id();
        receiveAndLetExpire(shoal, 2);

        assertEquals(List.of(), shoal.receive("q", SUB, ReceiveRequest.of(10)), "not delivered a third time");
        List<ReceivedMessage> dead = shoal.receive("q-dlq", SUB, ReceiveRequest.of(10));
        assertEquals(1, dead.size());
        ReceivedMessage m = dead.getFirst();
        assertEquals("poison", m.bodyAsString());
        assertEquals(MessageAttribute.string("v"), m.attributes().get("k"));
        assertEquals("q", m.attributes().get(DeadLetterMover.SOURCE_QUEUE).stringValue());
        assertEquals(SUB, m.attributes().get(DeadLetterMover.SOURCE_SUBSCRIPTION).stringValue());
        assertEquals(Integer.toString(id.partition()), m.attributes().get(DeadLetterMover.SOURCE_PARTITION).stringValue());
        assertEquals(Long.toString(id.offset()), m.attributes().get(DeadLetterMover.SOURCE_OFFSET).stringValue());
        assertEquals("2", m.attributes().get(DeadLetterMover.RECEIVE_COUNT).stringValue());
        assertEquals(0, shoal.describeQueue("q").stats().visible() + shoal.describeQueue("q").stats().inFlight(), "acked in the source");
    }

    @Test
    void anAckedMessageIsNeverDeadLettered(AwsFixture aws) {
        ShoalEngine shoal = queueWithDeadLetters(aws, 1);
        shoal.produce("q", List.of(NewMessage.of("a"), NewMessage.of("b")));
        List<ReceivedMessage> got = shoal.receive("q", SUB, ReceiveRequest.of(10));
        shoal.ack("q", SUB, List.of(got.getFirst().receipt()));
        clock.advance(VT);
        assertEquals(List.of(), shoal.receive("q", SUB, ReceiveRequest.of(10)));
        List<ReceivedMessage> dead = shoal.receive("q-dlq", SUB, ReceiveRequest.of(10));
        assertEquals(List.of(got.get(1).bodyAsString()), dead.stream().map(ReceivedMessage::bodyAsString).toList());
    }

    @Test
    void aMoveInterruptedAfterTheDeadLetterCommitIsFinishedOnceByTheNextReceiver(AwsFixture aws) {
        ShoalEngine shoal = queueWithDeadLetters(aws, 1);
        shoal.produce("q", List.of(NewMessage.of("poison")));
        receiveAndLetExpire(shoal, 1);

        // This receiver commits the dead letter, then cannot mark the source chunk acked.
        ShoalEngine crashing = TestEngines.builder(aws, clock).dynamo(aws.dynamoClient(Faults.failBeforeSending("PutItem", 1_000))).build();
        assertThrows(RuntimeException.class, () -> crashing.receive("q", SUB, ReceiveRequest.of(10)));
        assertEquals(1, shoal.describeQueue("q-dlq").stats().visible(), "the dead letter is committed");

        assertEquals(List.of(), shoal.receive("q", SUB, ReceiveRequest.of(10)), "the next receiver finishes the move");
        assertEquals(1, shoal.describeQueue("q-dlq").stats().visible(), "and does not move it again");
        assertEquals(0, shoal.describeQueue("q").stats().visible());
    }

    @Test
    void twoReceiversRacingToMoveTheSameMessagesMoveThemOnce(AwsFixture aws) throws Exception {
        ShoalEngine shoal = queueWithDeadLetters(aws, 1);
        shoal.produce("q", List.of(NewMessage.of("a"), NewMessage.of("b"), NewMessage.of("c")));
        receiveAndLetExpireAll(shoal);
        int racers = 6;
        CountDownLatch start = new CountDownLatch(1);
        List<ReceivedMessage> delivered = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newFixedThreadPool(racers)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                ShoalEngine racer = TestEngines.engine(aws, clock);
                futures.add(pool.submit(() -> {
                    start.await();
                    delivered.addAll(racer.receive("q", SUB, ReceiveRequest.of(10)));
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) f.get();
        }
        assertEquals(List.of(), delivered, "nothing is delivered past maxReceiveCount");
        List<String> dead = shoal.receive("q-dlq", SUB, ReceiveRequest.of(100)).stream().map(ReceivedMessage::bodyAsString).sorted().toList();
        assertEquals(List.of("a", "b", "c"), dead, "each message moved exactly once");
    }

    private void receiveAndLetExpireAll(ShoalEngine shoal) {
        assertEquals(3, shoal.receive("q", SUB, ReceiveRequest.of(10)).size());
        clock.advance(VT);
    }

    @Test
    void redriveMovesDeadLettersBackToTheirSourceQueue(AwsFixture aws) {
        ShoalEngine shoal = queueWithDeadLetters(aws, 1);
        shoal.produce("q", List.of(NewMessage.builder().body("retry me").attribute("k", "v").build()));
        receiveAndLetExpire(shoal, 1);
        assertEquals(List.of(), shoal.receive("q", SUB, ReceiveRequest.of(10)));

        RedriveResult result = shoal.redrive("q-dlq", new RedriveRequest(null, 100, 100));

        assertEquals(1, result.moved());
        assertFalse(result.remaining());
        ReceivedMessage back = shoal.receive("q", SUB, ReceiveRequest.of(10)).getFirst();
        assertEquals("retry me", back.bodyAsString());
        assertEquals(java.util.Map.of("k", MessageAttribute.string("v")), back.attributes(), "provenance attributes are removed");
        assertEquals(1, back.receiveCount(), "a redriven message starts afresh");
        assertEquals(0, shoal.describeQueue("q-dlq").stats().visible());
    }
}
