package dev.shoal.functions.janitor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.functions.api.Json;
import dev.shoal.storage.api.Limits;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * CloudWatch embedded metric format: one JSON log line per subscription, which CloudWatch Logs
 * turns into metrics in namespace {@code Shoal}, as the CDK app's alarms read them
 * ({@code dev.shoal.infra.ShoalMetrics} states the contract):
 * <ul>
 *   <li>every metric with dimensions {@code Deployment, Queue, Subscription}, and for the default
 *       subscription also {@code Deployment, Queue} (queue-level alarms need no subscription name);</li>
 *   <li>for the default subscription of a queue that is no dead-letter queue,
 *       {@code OldestMessageAgeSeconds} with {@code Deployment} alone (the deployment-wide age alarm);</li>
 *   <li>for the default subscription of a dead-letter queue, {@code DeadLetterMessagesVisible}
 *       with {@code Deployment} alone (the "dead letters waiting" alarm).</li>
 * </ul>
 * Metrics whose value is unknown are left out of the line and its directive.
 */
public final class EmfLines {

    public static final String NAMESPACE = "Shoal";
    static final String DEPLOYMENT = "Deployment";
    static final String OLDEST_AGE = "OldestMessageAgeSeconds";
    static final String DEAD_LETTERS = "DeadLetterMessagesVisible";

    private EmfLines() {
    }

    public static List<String> of(MaintenanceSummary summary) {
        List<String> lines = new ArrayList<>();
        for (SubscriptionMetrics m : summary.subscriptions()) {
            lines.add(line(summary.deployment(), summary.at(), m));
        }
        return lines;
    }

    static String line(String deployment, Instant at, SubscriptionMetrics m) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", at.toEpochMilli());
        ArrayNode directives = aws.putArray("CloudWatchMetrics");
        boolean queueLevel = Limits.DEFAULT_SUBSCRIPTION.equals(m.subscription());
        ObjectNode directive = directive(directives);
        ArrayNode dimensions = directive.putArray("Dimensions");
        dimensions.addArray().add(DEPLOYMENT).add("Queue").add("Subscription");
        if (queueLevel) {
            dimensions.addArray().add(DEPLOYMENT).add("Queue");
        }
        ArrayNode metrics = directive.putArray("Metrics");
        root.put(DEPLOYMENT, deployment);
        root.put("Queue", m.queue());
        root.put("Subscription", m.subscription());
        metric(root, metrics, "ApproximateVisible", "Count", m.visible());
        metric(root, metrics, "ApproximateInFlight", "Count", m.inFlight());
        metric(root, metrics, "ApproximateDelayed", "Count", m.delayed());
        // 0 when nothing waits, so an alarm on age sees a value every minute rather than missing data
        metric(root, metrics, OLDEST_AGE, "Seconds", m.oldestUnackedAge() == null ? 0 : m.oldestUnackedAge().toMillis() / 1000.0);
        if (m.producedPerMinute() != null) metric(root, metrics, "ProducedPerMinute", "Count", m.producedPerMinute());
        if (m.ackedPerMinute() != null) metric(root, metrics, "AckedPerMinute", "Count", m.ackedPerMinute());
        if (queueLevel && !m.deadLetterQueue()) {
            deploymentWide(directives, OLDEST_AGE, "Seconds"); // its value is already at the root
        }
        if (queueLevel && m.deadLetterQueue()) {
            deploymentWide(directives, DEAD_LETTERS, "Count");
            root.put(DEAD_LETTERS, m.visible());
        }
        return new String(Json.write(root), StandardCharsets.UTF_8);
    }

    private static ObjectNode directive(ArrayNode directives) {
        return directives.addObject().put("Namespace", NAMESPACE);
    }

    private static void deploymentWide(ArrayNode directives, String name, String unit) {
        ObjectNode directive = directive(directives);
        directive.putArray("Dimensions").addArray().add(DEPLOYMENT);
        directive.putArray("Metrics").addObject().put("Name", name).put("Unit", unit);
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
