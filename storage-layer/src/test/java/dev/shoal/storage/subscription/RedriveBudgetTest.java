package dev.shoal.storage.subscription;

import dev.shoal.storage.ShoalEngine;
import dev.shoal.storage.api.DeadLetterPolicy;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.ReceiveRequest;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.api.RedriveRequest;
import dev.shoal.storage.api.RedriveResult;
import dev.shoal.storage.api.SubscriptionSettings;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import dev.shoal.storage.testing.ManualClock;
import dev.shoal.storage.testing.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A slow redrive is done in calls that each fit in an API request (API Gateway answers 504 after 30 s). */
@ExtendWith(EmbeddedAwsExtension.class)
class RedriveBudgetTest {

    private static final String SUB = Limits.DEFAULT_SUBSCRIPTION;
    private final ManualClock clock = new ManualClock();

    @Test
    void aRedriveSlowerThanOneCallStopsInTimeAndTheNextCallsGoOnUntilEveryMessageIsBackOnce(AwsFixture aws) {
        ShoalEngine shoal = TestEngines.engine(aws, clock);
        shoal.createQueue("src-dlq", QueueSettings.builder().build());
        shoal.createQueue("src", QueueSettings.builder().defaultSubscription(SubscriptionSettings.builder()
                .deadLetter(new DeadLetterPolicy("src-dlq", 1)).build()).build());
        shoal.produce("src", IntStream.range(0, 45).mapToObj(i -> NewMessage.builder().body("m" + i).build()).toList());
        while (!shoal.receive("src", SUB, ReceiveRequest.of(100)).isEmpty()) {
            clock.advance(Duration.ofSeconds(30));
        }
        assertEquals(45, shoal.describeQueue("src-dlq").stats().visible());

        List<RedriveResult> calls = new ArrayList<>();
        RedriveResult last;
        do {
            Instant before = clock.instant();
            last = shoal.redrive("src-dlq", new RedriveRequest(null, 1_000, 1));
            Duration took = Duration.between(before, clock.instant());
            assertTrue(took.compareTo(Duration.ofSeconds(25)) <= 0, "one call took " + took);
            calls.add(last);
        } while (last.remaining() && calls.size() < 10);

        assertTrue(calls.size() >= 3, "45 messages at 1/s need several calls: " + calls);
        assertEquals(45, calls.stream().mapToLong(RedriveResult::moved).sum());
        List<String> back = new ArrayList<>();
        for (List<ReceivedMessage> got = shoal.receive("src", SUB, ReceiveRequest.of(100)); !got.isEmpty();
             got = shoal.receive("src", SUB, ReceiveRequest.of(100))) {
            got.forEach(m -> back.add(m.bodyAsString()));
        }
        assertEquals(45, back.size());
        assertEquals(45, new HashSet<>(back).size(), "each message back once");
    }
}
