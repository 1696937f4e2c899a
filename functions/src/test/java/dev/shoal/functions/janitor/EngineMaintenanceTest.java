package dev.shoal.functions.janitor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.functions.api.Json;
import dev.shoal.storage.ShoalEngine;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.ReceiveRequest;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import dev.shoal.storage.testing.ManualClock;
import dev.shoal.storage.testing.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The janitor's pass over a real engine: ProducedPerMinute and AckedPerMinute from one run to the next. */
@ExtendWith(EmbeddedAwsExtension.class)
class EngineMaintenanceTest {

    private final ManualClock clock = new ManualClock();

    @Test
    void producedAndAckedPerMinuteFollowTheTrafficBetweenRuns(AwsFixture aws) throws Exception {
        ShoalEngine engine = TestEngines.engine(aws, clock);
        engine.createQueue("rated", QueueSettings.builder().partitions(2).build());
        engine.createQueue("idle", QueueSettings.builder().build());
        EngineMaintenance janitor = new EngineMaintenance(engine, "test");

        produce(engine, 5);
        ack(engine, receive(engine).subList(0, 2)); // 3 left unacked
        clock.advance(Duration.ofMinutes(1));
        SubscriptionMetrics first = metrics(janitor.run(clock.instant()), "rated");
        assertEquals(5, first.producedPerMinute(), "the first run looks back one minute");
        assertNull(first.ackedPerMinute(), "no earlier count to compare with yet: left out, not 0");
        assertEquals(0, metrics(janitor.run(clock.instant()), "idle").producedPerMinute());

        clock.advance(Duration.ofSeconds(30));
        produce(engine, 3);
        List<ReceivedMessage> all = receive(engine); // the 3 whose leases ran out and the 3 new
        assertEquals(6, all.size());
        ack(engine, all.subList(0, 4)); // 2 left unacked
        clock.advance(Duration.ofSeconds(30));
        MaintenanceSummary second = janitor.run(clock.instant());
        SubscriptionMetrics rated = metrics(second, "rated");
        assertEquals(3, rated.producedPerMinute());
        assertEquals(4, rated.ackedPerMinute(), "3 unacked + 3 produced - 2 unacked now");

        JsonNode line = EmfLines.of(second).stream().map(EngineMaintenanceTest::json)
                .filter(l -> l.path("Queue").asText().equals("rated")).findFirst().orElseThrow();
        assertEquals(3, line.path("ProducedPerMinute").asLong());
        assertEquals(4, line.path("AckedPerMinute").asLong());
        assertFalse(line.path("_aws").path("CloudWatchMetrics").get(0).path("Metrics").toString().contains("null"));
    }

    @Test
    void ratesAreScaledToAMinuteWhenRunsAreFurtherApart(AwsFixture aws) {
        ShoalEngine engine = TestEngines.engine(aws, clock);
        engine.createQueue("slow", QueueSettings.builder().build());
        EngineMaintenance janitor = new EngineMaintenance(engine, "test");
        janitor.run(clock.instant());
        clock.advance(Duration.ofMinutes(1));
        produce(engine, 10, "slow");
        clock.advance(Duration.ofMinutes(1));
        SubscriptionMetrics m = metrics(janitor.run(clock.instant()), "slow");
        assertEquals(5, m.producedPerMinute(), "10 messages over two minutes");
        assertEquals(0, m.ackedPerMinute());
    }

    private static JsonNode json(String line) {
        try {
            return Json.MAPPER.readTree(line);
        } catch (Exception e) {
            throw new AssertionError(line, e);
        }
    }

    private static SubscriptionMetrics metrics(MaintenanceSummary summary, String queue) {
        return summary.subscriptions().stream().filter(s -> s.queue().equals(queue)).findFirst().orElseThrow();
    }

    private static void produce(ShoalEngine engine, int n) {
        produce(engine, n, "rated");
    }

    private static void produce(ShoalEngine engine, int n, String queue) {
        engine.produce(queue, IntStream.range(0, n).mapToObj(i -> NewMessage.of("m" + i)).toList());
    }

    private static List<ReceivedMessage> receive(ShoalEngine engine) {
        return engine.receive("rated", "default", ReceiveRequest.of(100));
    }

    private static void ack(ShoalEngine engine, List<ReceivedMessage> messages) {
        engine.ack("rated", "default", messages.stream().map(ReceivedMessage::receipt).toList());
    }
}
