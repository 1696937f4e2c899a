package dev.shoal.functions.janitor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.functions.api.Json;
import dev.shoal.storage.Limits;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * CloudWatch embedded metric format: one JSON log line per subscription, which CloudWatch Logs
 * turns into metrics in namespace {@code Shoal} with dimensions {@code Queue, Subscription}
 * (and {@code Queue} alone for the default subscription, so queue-level alarms need no
 * subscription name). Metrics whose value is unknown are left out of the line and its directive.
 */
public final class EmfLines {

    public static final String NAMESPACE = "Shoal";

    private EmfLines() {
    }

    public static List<String> of(MaintenanceSummary summary) {
        List<String> lines = new ArrayList<>();
        for (SubscriptionMetrics m : summary.subscriptions()) {
            lines.add(line(summary.at(), m));
        }
        return lines;
    }

    static String line(Instant at, SubscriptionMetrics m) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", at.toEpochMilli());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", NAMESPACE);
        ArrayNode dimensions = directive.putArray("Dimensions");
        dimensions.addArray().add("Queue").add("Subscription");
        if (Limits.DEFAULT_SUBSCRIPTION.equals(m.subscription())) {
            dimensions.addArray().add("Queue");
        }
        ArrayNode metrics = directive.putArray("Metrics");
        root.put("Queue", m.queue());
        root.put("Subscription", m.subscription());
        metric(root, metrics, "ApproximateVisible", "Count", m.visible());
        metric(root, metrics, "ApproximateInFlight", "Count", m.inFlight());
        metric(root, metrics, "ApproximateDelayed", "Count", m.delayed());
        // 0 when nothing waits, so an alarm on age sees a value every minute rather than missing data
        metric(root, metrics, "OldestMessageAgeSeconds", "Seconds",
                m.oldestUnackedAge() == null ? 0 : m.oldestUnackedAge().toMillis() / 1000.0);
        if (m.producedPerMinute() != null) metric(root, metrics, "ProducedPerMinute", "Count", m.producedPerMinute());
        if (m.ackedPerMinute() != null) metric(root, metrics, "AckedPerMinute", "Count", m.ackedPerMinute());
        return new String(Json.write(root), StandardCharsets.UTF_8);
    }

    private static void metric(ObjectNode root, ArrayNode metrics, String name, String unit, double value) {
        metrics.addObject().put("Name", name).put("Unit", unit);
        if (value == Math.rint(value)) {
            root.put(name, (long) value);
        } else {
            root.put(name, value);
        }
    }
}
