package dev.shoal.functions.dispatcher;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.functions.runtime.LambdaEnvironment;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The dispatcher function. Two triggers invoke it (see infra-cdk's {@code Triggers}):
 * <ul>
 *   <li>the log table's DynamoDB stream, one record per committed segment: a nudge that new
 *       messages are there. It answers with an empty partial batch response, because the
 *       records carry no work of their own: the messages stay in the log.</li>
 *   <li>an EventBridge schedule, every minute: redeliveries, delayed messages and whatever a
 *       lost nudge missed.</li>
 * </ul>
 * Either way it runs one dispatch pass over every push subscription. The stream records name
 * queues by id, which the engine's API does not map to names, so the pass is not narrowed to
 * them; an idle subscription costs one empty receive. The pass stops starting batches in time
 * to settle them before the invocation's timeout (from the Lambda context).
 */
public final class DispatcherHandler implements RequestStreamHandler {

    /** When Lambda gives no context (tests, local calls). */
    static final Duration DEFAULT_REMAINING = Duration.ofMinutes(1);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Dispatcher dispatcher;
    private final Clock clock;
    private final Consumer<String> log;

    public DispatcherHandler() {
        this(FromEnvironment.DISPATCHER, Clock.systemUTC(), System.out::println);
    }

    public DispatcherHandler(Dispatcher dispatcher, Clock clock, Consumer<String> log) {
        this.dispatcher = dispatcher;
        this.clock = clock;
        this.log = log;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Trigger trigger = Trigger.of(input.readAllBytes());
        Instant start = clock.instant();
        Duration remaining = context == null ? DEFAULT_REMAINING : Duration.ofMillis(context.getRemainingTimeInMillis());
        DispatchReport report;
        try {
            report = dispatcher.dispatch(PassBudget.lambda(start, remaining));
        } catch (RuntimeException e) {
            ObjectNode line = line("ERROR", "dispatch pass failed", start, trigger);
            line.put("error", e.toString());
            log.accept(line.toString());
            throw e;
        }
        ObjectNode line = line("INFO", "dispatch pass finished", start, trigger);
        line.setAll((ObjectNode) JSON.valueToTree(report));
        log.accept(line.toString());
        // the stream's partial batch response: every record handled (a record is only a nudge)
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        if (trigger.streamRecords() > 0) {
            answer.putArray("batchItemFailures");
        } else {
            answer.setAll((ObjectNode) JSON.valueToTree(report));
        }
        output.write(JSON.writeValueAsBytes(answer));
    }

    private ObjectNode line(String level, String message, Instant start, Trigger trigger) {
        ObjectNode line = JsonNodeFactory.instance.objectNode();
        line.put("level", level);
        line.put("logger", "shoal.dispatcher");
        line.put("message", message);
        line.put("time", start.toString());
        line.put("tookMs", Duration.between(start, clock.instant()).toMillis());
        line.put("trigger", trigger.streamRecords() > 0 ? "stream" : "schedule");
        if (trigger.streamRecords() > 0) {
            line.put("streamRecords", trigger.streamRecords());
        }
        return line;
    }

    /** What invoked the function: stream records (how many) or anything else (the schedule). */
    record Trigger(int streamRecords) {

        static Trigger of(byte[] event) {
            try {
                JsonNode records = JSON.readTree(event).path("Records");
                int n = 0;
                for (JsonNode r : records) {
                    if ("aws:dynamodb".equals(r.path("eventSource").asText())) n++;
                }
                return new Trigger(n);
            } catch (IOException | RuntimeException notJson) {
                // an event we cannot read is treated as the schedule's: a full pass is always safe
                return new Trigger(0);
            }
        }
    }

    /**
     * The region and account SQS-shaped events name, as the API function's queue ARNs do:
     * {@code AWS_REGION}, and {@code SHOAL_ACCOUNT_ID} or else the receipt secret's account.
     */
    static SqsSource sqsSource(Map<String, String> env) {
        String account = env.get("SHOAL_ACCOUNT_ID");
        if (account == null || account.isBlank()) {
            String[] arn = env.getOrDefault("SHOAL_RECEIPT_SECRET_ARN", "").split(":");
            account = arn.length > 4 && !arn[4].isEmpty() ? arn[4] : SqsSource.LOCAL.accountId();
        }
        String region = env.getOrDefault("AWS_REGION", SqsSource.LOCAL.region());
        return new SqsSource(region, account);
    }

    /** Built on first use of the no-argument constructor only, so tests never read the Lambda environment. */
    private static final class FromEnvironment {
        static final Dispatcher DISPATCHER = new Dispatcher(LambdaEnvironment.fromSystem().engine(), Clock.systemUTC(),
                RoutingTargetInvoker.forLambda(), DispatcherOptions.DEFAULT.withSqsSource(sqsSource(System.getenv())));
    }
}
