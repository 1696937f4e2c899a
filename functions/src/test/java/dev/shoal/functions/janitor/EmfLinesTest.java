package dev.shoal.functions.janitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmfLinesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant AT = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void lineIsEmbeddedMetricFormatWithQueueAndSubscriptionDimensions() throws Exception {
        SubscriptionMetrics m = new SubscriptionMetrics("orders", "audit", 7, 2, 1, Duration.ofMillis(90_500), 120L, 118L, false);
        JsonNode line = JSON.readTree(EmfLines.line("prod", AT, m));

        JsonNode aws = line.path("_aws");
        assertEquals(AT.toEpochMilli(), aws.path("Timestamp").asLong());
        JsonNode directive = aws.path("CloudWatchMetrics").get(0);
        assertEquals("Shoal", directive.path("Namespace").asText());
        assertEquals("[[\"Deployment\",\"Queue\",\"Subscription\"]]", directive.path("Dimensions").toString());
        assertEquals("prod", line.path("Deployment").asText());
        assertEquals(1, aws.path("CloudWatchMetrics").size(), "a named subscription publishes no queue-level or deployment-wide metric");
        assertEquals("orders", line.path("Queue").asText());
        assertEquals("audit", line.path("Subscription").asText());
        assertEquals(7, line.path("ApproximateVisible").asLong());
        assertEquals(2, line.path("ApproximateInFlight").asLong());
        assertEquals(1, line.path("ApproximateDelayed").asLong());
        assertEquals(90.5, line.path("OldestMessageAgeSeconds").asDouble());
        assertEquals(120, line.path("ProducedPerMinute").asLong());
        assertEquals(118, line.path("AckedPerMinute").asLong());
        // every declared metric has a numeric value at the root, as CloudWatch requires
        for (JsonNode metric : directive.path("Metrics")) {
            assertTrue(line.path(metric.path("Name").asText()).isNumber(), metric.toString());
            assertFalse(metric.path("Unit").asText().isEmpty());
        }
        assertEquals("Seconds", unitOf(directive, "OldestMessageAgeSeconds"));
    }

    @Test
    void defaultSubscriptionAlsoPublishesPerQueueAndTheDeploymentWideAgeTheAlarmsRead() throws Exception {
        JsonNode line = JSON.readTree(EmfLines.line("prod", AT, new SubscriptionMetrics("orders", "default", 0, 0, 0, Duration.ofSeconds(5), null, null, false)));
        JsonNode directives = line.path("_aws").path("CloudWatchMetrics");
        assertEquals("[[\"Deployment\",\"Queue\",\"Subscription\"],[\"Deployment\",\"Queue\"]]", directives.get(0).path("Dimensions").toString());
        assertEquals("[[\"Deployment\"]]", directives.get(1).path("Dimensions").toString());
        assertEquals("OldestMessageAgeSeconds", directives.get(1).path("Metrics").get(0).path("Name").asText());
        assertEquals(5, line.path("OldestMessageAgeSeconds").asLong());
        assertFalse(line.has("DeadLetterMessagesVisible"));
    }

    @Test
    void aDeadLetterQueuePublishesItsVisibleCountDeploymentWide() throws Exception {
        JsonNode line = JSON.readTree(EmfLines.line("prod", AT, new SubscriptionMetrics("orders-dlq", "default", 3, 0, 0, null, null, null, true)));
        JsonNode directives = line.path("_aws").path("CloudWatchMetrics");
        assertEquals(2, directives.size());
        assertEquals("[[\"Deployment\"]]", directives.get(1).path("Dimensions").toString());
        assertEquals("DeadLetterMessagesVisible", directives.get(1).path("Metrics").get(0).path("Name").asText());
        assertEquals(3, line.path("DeadLetterMessagesVisible").asLong());
    }

    @Test
    void unknownRatesAreLeftOutAndNoBacklogReadsAsAgeZero() throws Exception {
        JsonNode line = JSON.readTree(EmfLines.line("prod", AT, new SubscriptionMetrics("q", "default", 0, 0, 0, null, null, null, false)));
        Set<String> declared = new TreeSet<>();
        line.path("_aws").path("CloudWatchMetrics").get(0).path("Metrics").forEach(m -> declared.add(m.path("Name").asText()));
        assertEquals(Set.of("ApproximateVisible", "ApproximateInFlight", "ApproximateDelayed", "OldestMessageAgeSeconds"), declared);
        assertFalse(line.has("ProducedPerMinute"));
        assertEquals(0, line.path("OldestMessageAgeSeconds").asLong());
    }

    @Test
    void janitorWritesASummaryLineThenOneMetricLinePerSubscription() throws Exception {
        List<String> out = new ArrayList<>();
        MaintenanceSummary summary = new MaintenanceSummary("prod", AT, Map.of("segmentsDeleted", 3L), List.of(
                new SubscriptionMetrics("a", "default", 1, 0, 0, null, null, null, false),
                new SubscriptionMetrics("b", "default", 2, 0, 0, null, null, null, false)));
        new JanitorHandler(now -> summary, java.time.Clock.fixed(AT, java.time.ZoneOffset.UTC), out::add).run();
        assertEquals(3, out.size());
        JsonNode first = JSON.readTree(out.getFirst());
        assertEquals("INFO", first.path("level").asText());
        assertEquals(3, first.path("segmentsDeleted").asLong());
        assertEquals(2, first.path("subscriptions").asInt());
        assertEquals("a", JSON.readTree(out.get(1)).path("Queue").asText());
        assertTrue(JSON.readTree(out.get(2)).has("_aws"));
    }

    @Test
    void failedRunIsLoggedAndRethrown() throws Exception {
        List<String> out = new ArrayList<>();
        JanitorHandler janitor = new JanitorHandler(now -> {
            throw new IllegalStateException("table gone");
        }, java.time.Clock.fixed(AT, java.time.ZoneOffset.UTC), out::add);
        assertThrows(IllegalStateException.class, janitor::run);
        JsonNode line = JSON.readTree(out.getFirst());
        assertEquals("ERROR", line.path("level").asText());
        assertTrue(line.path("error").asText().contains("table gone"));
    }

    private static String unitOf(JsonNode directive, String name) {
        for (JsonNode m : directive.path("Metrics")) {
            if (m.path("Name").asText().equals(name)) return m.path("Unit").asText();
        }
        return null;
    }
}
