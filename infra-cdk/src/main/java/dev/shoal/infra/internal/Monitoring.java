package dev.shoal.infra.internal;

import dev.shoal.infra.AlarmSettings;
import dev.shoal.infra.ShoalMetrics;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.AlarmStatusWidget;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Alarms (dead letters, oldest message age, each function's errors and throttles, the janitor's
 * heartbeat, the stream's failures and lag, API server errors), the topic they notify, and one
 * dashboard. Queue metrics come from the janitor (see {@link ShoalMetrics}); the rest are
 * AWS's own.
 */
public final class Monitoring extends Construct {

    /** The janitor measures once a minute; five minutes ride out one slow or missed run. */
    private static final Duration PERIOD = Duration.minutes(5);

    /** What the dashboard shows; everything but the names is AWS's or the janitor's. */
    public record Sources(
            String prefix,
            HttpApi httpApi,
            Map<String, ShoalFunction> functions,
            ShoalFunction dispatcher,
            ShoalFunction janitor,
            java.time.Duration janitorRate,
            List<ITable> tables,
            IQueue streamFailures) {
    }

    /** Stream records older than this mean nudges arrive late (the schedule still dispatches). */
    private static final Duration STREAM_LAG = Duration.minutes(5);

    private final List<Alarm> alarms = new ArrayList<>();
    private final ITopic topic;
    private final Dashboard dashboard;

    public Monitoring(Construct scope, String id, Sources sources, AlarmSettings settings) {
        super(scope, id);
        String prefix = sources.prefix();
        alarm("DeadLetters", prefix + "-dead-letters",
                "Messages are waiting in a dead-letter queue of Shoal deployment " + prefix,
                deploymentMetric(prefix, ShoalMetrics.DEAD_LETTERS),
                ComparisonOperator.GREATER_THAN_THRESHOLD, settings.deadLetterMessages());
        alarm("OldestMessageAge", prefix + "-oldest-message-age",
                "A queue (not a dead-letter queue) of Shoal deployment " + prefix + " has a message unacknowledged"
                        + " for at least " + settings.oldestMessageAge().toSeconds() + " s",
                deploymentMetric(prefix, ShoalMetrics.OLDEST_AGE),
                ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, settings.oldestMessageAge().toSeconds());
        sources.functions().forEach((name, function) -> {
            alarm(capitalized(name) + "Errors", prefix + "-" + name + "-errors",
                    "Shoal's " + name + " function failed invocations",
                    function.function().metricErrors(sum()),
                    ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, settings.functionErrors());
            alarm(capitalized(name) + "Throttles", prefix + "-" + name + "-throttles",
                    "Shoal's " + name + " function was throttled (account or reserved concurrency)",
                    function.function().metricThrottles(sum()),
                    ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, settings.functionThrottles());
        });
        // A janitor that stopped running leaves the queue metrics with no data, which the alarms
        // above read as OK: this one reads no data as the janitor being down.
        java.time.Duration heartbeat = java.time.Duration.ofMinutes(Math.max(PERIOD.toMinutes().longValue(), 2 * sources.janitorRate().toMinutes()));
        alarms.add(Alarm.Builder.create(this, "JanitorHeartbeat")
                .alarmName(prefix + "-janitor-heartbeat")
                .alarmDescription("Shoal's janitor did not run in " + heartbeat.toMinutes() + " minutes: queue metrics and"
                        + " their alarms are blind, retention and cleanup stopped")
                .metric(sources.janitor().function().metricInvocations(MetricOptions.builder().statistic("Sum")
                        .period(Duration.minutes(heartbeat.toMinutes())).build()))
                .comparisonOperator(ComparisonOperator.LESS_THAN_THRESHOLD)
                .threshold(1)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.BREACHING)
                .build());
        alarm("StreamFailures", prefix + "-stream-failures",
                "Stream batches of Shoal deployment " + prefix + " failed every retry and were set aside in the"
                        + " failure queue (the schedule still dispatches their messages; look for the cause)",
                sources.streamFailures().metricApproximateNumberOfMessagesVisible(
                        MetricOptions.builder().statistic("Maximum").period(PERIOD).build()),
                ComparisonOperator.GREATER_THAN_THRESHOLD, 0);
        alarm("StreamIteratorAge", prefix + "-stream-iterator-age",
                "The dispatcher is more than " + STREAM_LAG.toMinutes() + " minutes behind the log table's stream",
                sources.dispatcher().function().metric("IteratorAge",
                        MetricOptions.builder().statistic("Maximum").period(PERIOD).build()),
                ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, STREAM_LAG.toMilliseconds());
        alarm("Api5xx", prefix + "-api-5xx",
                "The HTTP API of Shoal deployment " + prefix + " answered server errors (5xx)",
                sources.httpApi().metricServerError(sum()),
                ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, settings.functionErrors());

        // Alarms that notify nobody are not alarms: without a given topic, the stack makes one.
        ITopic topic = settings.topicArn() != null
                ? Topic.fromTopicArn(this, "AlarmTopic", settings.topicArn())
                : Topic.Builder.create(this, "Alarms").displayName("Shoal " + prefix + " alarms").enforceSsl(true).build();
        this.topic = topic;
        SnsAction notify = new SnsAction(topic);
        for (Alarm alarm : alarms) {
            alarm.addAlarmAction(notify);
            alarm.addOkAction(notify);
        }
        this.dashboard = Dashboard.Builder.create(this, "Dashboard")
                .dashboardName(prefix)
                .widgets(widgets(sources))
                .build();
    }

    public List<Alarm> alarms() {
        return List.copyOf(alarms);
    }

    /** Where alarms notify: the given topic, or the one the stack created. */
    public ITopic topic() {
        return topic;
    }

    public Dashboard dashboard() {
        return dashboard;
    }

    private void alarm(String id, String name, String description, IMetric metric,
            ComparisonOperator comparison, Number threshold) {
        alarms.add(Alarm.Builder.create(this, id)
                .alarmName(name)
                .alarmDescription(description)
                .metric(metric)
                .comparisonOperator(comparison)
                .threshold(threshold)
                .evaluationPeriods(1)
                // No data means no traffic, no queues or no janitor run yet; the janitor's own
                // errors alarm covers the last.
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build());
    }

    private List<List<IWidget>> widgets(Sources sources) {
        String prefix = sources.prefix();
        HttpApi httpApi = sources.httpApi();
        List<List<IWidget>> rows = new ArrayList<>();
        rows.add(List.of(AlarmStatusWidget.Builder.create()
                .title("Alarms").alarms(alarms).width(24).height(4).build()));
        rows.add(row(
                graph("Visible messages by queue", List.of(queueSearch(prefix, ShoalMetrics.VISIBLE))),
                graph("Oldest message age by queue (s)", List.of(queueSearch(prefix, ShoalMetrics.OLDEST_AGE))),
                graph("Dead letters (all dead-letter queues)",
                        List.of(deploymentMetric(prefix, ShoalMetrics.DEAD_LETTERS)))));
        rows.add(row(
                graph("Produced per minute by queue", List.of(queueSearch(prefix, ShoalMetrics.PRODUCED_PER_MINUTE))),
                graph("Acked per minute by queue", List.of(queueSearch(prefix, ShoalMetrics.ACKED_PER_MINUTE)))));
        rows.add(row(
                graph("API requests and errors", List.of(
                        httpApi.metricCount(sum()),
                        httpApi.metricClientError(sum()),
                        httpApi.metricServerError(sum()))),
                graph("API latency p99 (ms)", List.of(
                        httpApi.metricLatency(p99()), httpApi.metricIntegrationLatency(p99()))),
                graph("Dispatcher stream: iterator age (ms), failed batches", List.of(
                        sources.dispatcher().function().metric("IteratorAge",
                                MetricOptions.builder().statistic("Maximum").period(PERIOD).build()),
                        sources.streamFailures().metricApproximateNumberOfMessagesVisible(
                                MetricOptions.builder().statistic("Maximum").period(PERIOD).build())))));
        List<IMetric> invocations = new ArrayList<>();
        List<IMetric> errors = new ArrayList<>();
        List<IMetric> throttles = new ArrayList<>();
        List<IMetric> durations = new ArrayList<>();
        sources.functions().values().forEach(f -> {
            invocations.add(f.function().metricInvocations(sum()));
            errors.add(f.function().metricErrors(sum()));
            throttles.add(f.function().metricThrottles(sum()));
            durations.add(f.function().metricDuration(p99()));
        });
        rows.add(row(graph("Invocations", invocations), graph("Errors", errors),
                graph("Throttles", throttles), graph("Duration p99 (ms)", durations)));
        List<IMetric> reads = new ArrayList<>();
        List<IMetric> writes = new ArrayList<>();
        sources.tables().forEach(t -> {
            reads.add(t.metricConsumedReadCapacityUnits(sum()));
            writes.add(t.metricConsumedWriteCapacityUnits(sum()));
        });
        rows.add(row(graph("DynamoDB read units", reads), graph("DynamoDB write units", writes)));
        return rows;
    }

    private static Metric deploymentMetric(String prefix, String name) {
        return Metric.Builder.create()
                .namespace(ShoalMetrics.NAMESPACE)
                .metricName(name)
                .dimensionsMap(Map.of(ShoalMetrics.DEPLOYMENT, prefix))
                // Maximum over the period is the maximum over queues: each queue adds a data point.
                .statistic("Maximum")
                .period(PERIOD)
                .build();
    }

    /** One line per queue, however many there are; dashboards may search, alarms may not. */
    private static MathExpression queueSearch(String prefix, String metricName) {
        String query = "{" + ShoalMetrics.NAMESPACE + "," + ShoalMetrics.DEPLOYMENT + "," + ShoalMetrics.QUEUE + "}"
                + " MetricName=\"" + metricName + "\" " + ShoalMetrics.DEPLOYMENT + "=\"" + prefix + "\"";
        return MathExpression.Builder.create()
                .expression("SEARCH('" + query + "', 'Maximum', 60)")
                .usingMetrics(Map.of())
                .label("")
                .period(Duration.minutes(1))
                .build();
    }

    /** A row of graphs sharing the dashboard's 24 columns. */
    private static List<IWidget> row(GraphWidget.Builder... graphs) {
        List<IWidget> row = new ArrayList<>();
        for (GraphWidget.Builder graph : graphs) {
            row.add(graph.width(24 / graphs.length).height(6).build());
        }
        return row;
    }

    private static GraphWidget.Builder graph(String title, List<? extends IMetric> metrics) {
        return GraphWidget.Builder.create().title(title).left(metrics);
    }

    private static MetricOptions sum() {
        return MetricOptions.builder().statistic("Sum").period(PERIOD).build();
    }

    private static MetricOptions p99() {
        return MetricOptions.builder().statistic("p99").period(PERIOD).build();
    }

    private static String capitalized(String name) {
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }
}
