package dev.shoal.functions.api.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.functions.api.Json;
import dev.shoal.storage.api.QueueService;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.RedriveRequest;
import dev.shoal.storage.api.RedriveResult;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask over the engine's redrive,
 * which moves at most a bounded number of messages a call and can be called again to go on.
 * A task is one record in the dead-letter queue's stored attributes (so one task per queue, and
 * it survives restarts): Start moves a first step within the call; each ListMessageMoveTasks of
 * a running task moves one more step, so a client polling for the task's end, as SQS's users do,
 * is what drives it to COMPLETED. Nothing runs between calls: Shoal has no background worker
 * on the SQS face (see docs/api.md).
 */
final class SqsMoveTasks {

    /** SQS's default when no rate is given is "system optimized"; Shoal moves this many a second. */
    static final int DEFAULT_RATE = 500;
    /** Seconds of moving within one call: well inside API Gateway's 30 s. */
    static final int STEP_SECONDS = 5;
    private static final String TASK = SqsQueueAttributes.STORED_PREFIX + "moveTask";

    private final QueueService service;
    private final Clock clock;

    SqsMoveTasks(QueueService service, Clock clock) {
        this.service = service;
        this.clock = clock;
    }

    ObjectNode start(SqsRequest r, QueueUrls urls) {
        String sourceArn = r.requiredString("SourceArn");
        String source = queueOfArn(sourceArn, "SourceArn");
        String destinationArn = r.string("DestinationArn").orElse(null);
        String destination = destinationArn == null ? null : queueOfArn(destinationArn, "DestinationArn");
        int rate = r.integer("MaxNumberOfMessagesPerSecond", 1, 500).orElse(DEFAULT_RATE);
        if (!isDeadLetterQueue(source)) {
            throw SqsException.invalidParameterMessage("Source queue must be configured as a Dead Letter Queue.");
        }
        if (destination != null) service.queueSettings(destination); // QueueDoesNotExist before anything moves
        ObjectNode task = task(service.queueSettings(source));
        if (task != null && "RUNNING".equals(task.path("Status").asText())) {
            throw SqsException.invalidParameterMessage("There is already a task running. Only one active task is allowed for a source queue arn at a given time.");
        }
        var stats = service.describeQueue(source).stats();
        long toMove = stats == null ? 0 : stats.visible();
        ObjectNode t = JsonNodeFactory.instance.objectNode();
        t.put("TaskHandle", Base64.getUrlEncoder().withoutPadding().encodeToString(
                (source + "/" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8)));
        t.put("Status", "RUNNING");
        t.put("SourceArn", urls.arn(source));
        if (destination != null) t.put("DestinationArn", urls.arn(destination));
        if (r.integer("MaxNumberOfMessagesPerSecond", 1, 500).isPresent()) t.put("MaxNumberOfMessagesPerSecond", rate);
        t.put("ApproximateNumberOfMessagesMoved", 0L);
        t.put("ApproximateNumberOfMessagesToMove", toMove);
        t.put("StartedTimestamp", clock.millis());
        step(source, destination, rate, t);
        return JsonNodeFactory.instance.objectNode().put("TaskHandle", t.get("TaskHandle").asText());
    }

    ObjectNode list(SqsRequest r) {
        String source = queueOfArn(r.requiredString("SourceArn"), "SourceArn");
        r.integer("MaxResults", 1, 10);
        ObjectNode t = task(service.queueSettings(source));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        var results = out.putArray("Results");
        if (t != null) {
            if ("RUNNING".equals(t.path("Status").asText())) {
                String destination = t.has("DestinationArn") ? queueOfArn(t.get("DestinationArn").asText(), "DestinationArn") : null;
                step(source, destination, t.path("MaxNumberOfMessagesPerSecond").asInt(DEFAULT_RATE), t);
            }
            ObjectNode shown = t.deepCopy();
            if (!"RUNNING".equals(shown.path("Status").asText())) shown.remove("TaskHandle"); // SQS: only running tasks have one
            results.add(shown);
        }
        return out;
    }

    ObjectNode cancel(SqsRequest r) {
        String handle = r.requiredString("TaskHandle");
        String source;
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(handle), StandardCharsets.UTF_8);
            source = decoded.substring(0, decoded.indexOf('/'));
        } catch (RuntimeException e) {
            throw notFound();
        }
        ObjectNode t = task(service.queueSettings(source));
        if (t == null || !handle.equals(t.path("TaskHandle").asText()) || !"RUNNING".equals(t.path("Status").asText())) {
            throw notFound();
        }
        t.put("Status", "CANCELLED");
        save(source, t);
        return JsonNodeFactory.instance.objectNode().put("ApproximateNumberOfMessagesMoved", t.get("ApproximateNumberOfMessagesMoved").asLong());
    }

    /** Moves one step; the task is COMPLETED when the dead-letter queue has nothing left, FAILED when the move fails. */
    private void step(String source, String destination, int rate, ObjectNode t) {
        try {
            RedriveResult result = service.redrive(source, new RedriveRequest(destination, Math.min(10_000, rate * STEP_SECONDS), rate));
            t.put("ApproximateNumberOfMessagesMoved", t.get("ApproximateNumberOfMessagesMoved").asLong() + result.moved());
            if (!result.remaining()) t.put("Status", "COMPLETED");
        } catch (RuntimeException e) {
            t.put("Status", "FAILED");
            t.put("FailureReason", SqsErrors.of(e).getMessage());
        }
        save(source, t);
    }

    private void save(String queue, ObjectNode task) {
        QueueSettings current = service.describeQueue(queue).settings();
        Map<String, String> stored = new TreeMap<>(current.faceAttributes());
        stored.put(TASK, new String(Json.write(task), StandardCharsets.UTF_8));
        service.updateQueue(queue, current.toBuilder().faceAttributes(stored).build());
    }

    private static ObjectNode task(QueueSettings s) {
        String text = s.faceAttributes().get(TASK);
        if (text == null) return null;
        JsonNode n = Json.tree(text.getBytes(StandardCharsets.UTF_8));
        return n.isObject() ? (ObjectNode) n : null;
    }

    private boolean isDeadLetterQueue(String queue) {
        return service.listQueues("").stream().anyMatch(n -> {
            try {
                return service.queueSettings(n).defaultSubscription().deadLetterPolicy().map(d -> d.queue().equals(queue)).orElse(false);
            } catch (dev.shoal.storage.api.NotFoundException gone) {
                return false;
            }
        });
    }

    private static String queueOfArn(String arn, String parameter) {
        return QueueUrls.queueOfArn(arn, parameter, SqsException.invalidParameter(parameter, arn, "must be an SQS queue ARN (arn:aws:sqs:<region>:<account>:<queue>)"));
    }

    private static SqsException notFound() {
        return SqsException.sender("ResourceNotFoundException", "The resource that you specified for the TaskHandle parameter does not exist.");
    }
}
