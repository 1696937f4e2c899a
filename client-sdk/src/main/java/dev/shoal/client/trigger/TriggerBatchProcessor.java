package dev.shoal.client.trigger;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Runs a push event's messages through a per-message handler and builds the partial batch
 * response, as Powertools' batch handler does for SQS:
 * <pre>{@code
 * public class OrdersTarget implements RequestHandler<Map<String, Object>, Map<String, Object>> {
 *     private final TriggerBatchProcessor batch = TriggerBatchProcessor.of(this::handle);
 *
 *     public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
 *         return batch.process(event);
 *     }
 *
 *     private void handle(TriggerMessage message) {
 *         ... // throw to fail this message alone
 *     }
 * }
 * }</pre>
 *
 * <p>Messages are handled one at a time, in event order. On FIFO queues (messages with a group),
 * once a message of a group fails, the group's later messages in the batch are reported as
 * failed without being handled: they must come after the failed one, and Shoal delivers them
 * again in order. Other groups go on.
 */
public final class TriggerBatchProcessor {

    private final ShoalMessageHandler handler;

    private TriggerBatchProcessor(ShoalMessageHandler handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    public static TriggerBatchProcessor of(ShoalMessageHandler handler) {
        return new TriggerBatchProcessor(handler);
    }

    public BatchItemFailures process(TriggerEvent event) {
        List<String> failed = new ArrayList<>();
        Set<String> stoppedGroups = new HashSet<>();
        for (TriggerMessage m : event.messages()) {
            if (m.groupId() != null && stoppedGroups.contains(m.groupId())) {
                failed.add(m.messageId());
                continue;
            }
            try {
                handler.handle(m);
            } catch (Exception e) {
                failed.add(m.messageId());
                if (m.groupId() != null) {
                    stoppedGroups.add(m.groupId());
                }
            }
        }
        return new BatchItemFailures(failed);
    }

    /** For a Lambda {@code RequestHandler<Map<String, Object>, Map<String, Object>>}. */
    public Map<String, Object> process(Map<String, Object> event) {
        return process(TriggerEvent.from(event)).toMap();
    }

    /** For a Lambda {@code RequestStreamHandler}, or an HTTP endpoint: event JSON in, response JSON out. */
    public void process(InputStream event, OutputStream response) throws IOException {
        response.write(process(TriggerEvent.parse(event)).toJson());
    }

    /** For an HTTP endpoint: the request body in, the response body out. */
    public byte[] process(byte[] event) {
        return process(TriggerEvent.parse(event)).toJson();
    }
}
