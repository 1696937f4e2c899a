package dev.shoal.functions.dispatcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.storage.api.PushTarget;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** An in-process push target: records each event (and when it came) and answers as told. */
final class RecordingTarget implements TargetInvoker {

    static final ObjectMapper JSON = new ObjectMapper();

    record Invocation(Instant at, JsonNode event) {
        /** The batch's messages: an SQS event's {@code Records}, or a Shoal event's {@code messages}. */
        List<JsonNode> messages() {
            return RecordingTarget.messages(event);
        }

        List<String> bodies() {
            return messages().stream().map(m -> m.path("body").asText()).toList();
        }
    }

    static List<JsonNode> messages(JsonNode event) {
        List<JsonNode> out = new ArrayList<>();
        event.path(event.has("Records") ? "Records" : "messages").forEach(out::add);
        return out;
    }

    /** Deliveries so far, in either event format. */
    static int receiveCount(JsonNode message) {
        JsonNode sqs = message.path("attributes").path("ApproximateReceiveCount");
        return sqs.isTextual() ? Integer.parseInt(sqs.asText()) : message.path("receiveCount").asInt();
    }

    private final Clock clock;
    private final Function<JsonNode, InvocationOutcome> answer;
    private final List<Invocation> invocations = new CopyOnWriteArrayList<>();

    RecordingTarget(Clock clock, Function<JsonNode, InvocationOutcome> answer) {
        this.clock = clock;
        this.answer = answer;
    }

    static RecordingTarget succeeding(Clock clock) {
        return new RecordingTarget(clock, event -> new InvocationOutcome.Completed(new byte[0]));
    }

    @Override
    public InvocationOutcome invoke(PushTarget target, byte[] event) {
        try {
            JsonNode json = JSON.readTree(event);
            invocations.add(new Invocation(clock.instant(), json));
            return answer.apply(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Invocation> invocations() {
        return List.copyOf(invocations);
    }
}
