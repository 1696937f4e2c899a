package dev.shoal.functions.janitor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.functions.api.Json;
import dev.shoal.functions.runtime.LambdaEnvironment;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The janitor function, on a schedule (EventBridge): runs one maintenance pass, writes one
 * structured summary line and one embedded-metric-format line per subscription to stdout,
 * which Lambda sends to CloudWatch Logs. The local launcher calls {@link #run()} on a timer.
 */
public final class JanitorHandler implements RequestHandler<ScheduledEvent, String> {

    private final Maintenance maintenance;
    private final Clock clock;
    private final Consumer<String> out;

    public JanitorHandler() {
        this(FromEnvironment.MAINTENANCE, Clock.systemUTC(), System.out::println);
    }

    public JanitorHandler(Maintenance maintenance, Clock clock, Consumer<String> out) {
        this.maintenance = maintenance;
        this.clock = clock;
        this.out = out;
    }

    @Override
    public String handleRequest(ScheduledEvent event, Context context) {
        return run().toString();
    }

    /** One pass; failures are logged as a line and rethrown so that the schedule's retry and alarms see them. */
    public MaintenanceSummary run() {
        Instant start = clock.instant();
        try {
            MaintenanceSummary summary = maintenance.run(start);
            ObjectNode line = log("INFO", "janitor run finished", start);
            line.put("subscriptions", summary.subscriptions().size());
            summary.work().forEach(line::put);
            out.accept(text(line));
            EmfLines.of(summary).forEach(out);
            return summary;
        } catch (RuntimeException e) {
            ObjectNode line = log("ERROR", "janitor run failed", start);
            line.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
            out.accept(text(line));
            throw e;
        }
    }

    private ObjectNode log(String level, String message, Instant start) {
        ObjectNode line = JsonNodeFactory.instance.objectNode();
        line.put("level", level);
        line.put("logger", "shoal.janitor");
        line.put("message", message);
        line.put("time", start.toString());
        line.put("tookMs", Duration.between(start, clock.instant()).toMillis());
        return line;
    }

    private static String text(ObjectNode node) {
        return new String(Json.write(node), StandardCharsets.UTF_8);
    }

    private static final class FromEnvironment {
        static final Maintenance MAINTENANCE = new EngineMaintenance(LambdaEnvironment.fromSystem().maintenanceEngine(),
                System.getenv().getOrDefault("SHOAL_TABLE_PREFIX", "shoal"));
    }
}
