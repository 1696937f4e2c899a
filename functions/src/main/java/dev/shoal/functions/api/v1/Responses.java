package dev.shoal.functions.api.v1;

import dev.shoal.functions.api.v1.Requests.AttributeBody;
import dev.shoal.functions.api.v1.Requests.QueueBody;
import dev.shoal.functions.api.v1.Requests.SubscriptionBody;

import java.util.List;
import java.util.Map;

/**
 * Response bodies of the native API. Settings come back in the request's own shape
 * ({@link QueueBody}, {@link SubscriptionBody}), so GET, edit, PUT round-trips.
 */
public final class Responses {

    private Responses() {
    }

    public record QueueView(String name, QueueBody settings, String createdAt, StatsView stats) {
    }

    public record SubscriptionView(String queue, String name, SubscriptionBody settings, String createdAt, StatsView stats) {
    }

    /** Approximate counts; {@code oldestUnackedAge} is absent when nothing is unacked. */
    public record StatsView(long visible, long inFlight, long delayed, String oldestUnackedAge) {
    }

    public record QueueList(List<String> queues) {
    }

    public record SubscriptionList(List<SubscriptionView> subscriptions) {
    }

    /** One entry per message, in request order; {@code duplicate} means {@code id} is the original's. */
    public record ProduceResult(List<Produced> results) {
    }

    public record Produced(String id, boolean duplicate) {
    }

    public record ReceiveResult(List<Message> messages) {
    }

    /** A delivered message: {@code body} when the payload is valid UTF-8, else {@code bodyBase64}. */
    public record Message(String id, String body, String bodyBase64, Map<String, AttributeBody> attributes, String groupId,
                          String dedupId, int receiveCount, String sentAt, String firstReceivedAt, String receipt) {
    }

    /** Per-receipt outcomes of ack, nack and visibility, in request order. */
    public record ReceiptResults(String code, String message, List<ReceiptOutcome> results) {
    }

    public record ReceiptOutcome(String receipt, boolean ok, String code, String message, String field) {
    }

    public record RedriveView(long moved, boolean remaining) {
    }
}
