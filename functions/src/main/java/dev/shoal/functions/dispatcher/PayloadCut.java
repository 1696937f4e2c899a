package dev.shoal.functions.dispatcher;

import dev.shoal.storage.api.ReceivedMessage;

import java.util.List;

/**
 * A batch cut to what one invocation can carry. Lambda's synchronous Invoke takes at most
 * {@link #LAMBDA_MAX_PAYLOAD} bytes; Lambda's own SQS event source mapping never sends more, it
 * delivers fewer messages instead. So does the dispatcher: the event is written for the longest
 * head of the batch that fits, and the tail goes back uncounted for a later batch. A single
 * message too large on its own is sent anyway, and fails as it would on SQS.
 *
 * @param head  the messages the event holds, in batch order
 * @param event the event for {@code head}
 * @param tail  the messages left out, to give back without counting a delivery
 */
record PayloadCut(List<ReceivedMessage> head, byte[] event, List<ReceivedMessage> tail) {

    /** Lambda's limit on a synchronous invocation's payload (6 MB). */
    static final int LAMBDA_MAX_PAYLOAD = 6 * 1024 * 1024;

    /** Shrinks a batch by at least this much more than its size over the limit suggests, so few tries are needed. */
    private static final double MARGIN = 0.95;

    static PayloadCut of(PushSubscription sub, EventEncoder encoder, List<ReceivedMessage> batch) {
        byte[] event = encoder.encode(sub, batch);
        if (!sub.target().target().startsWith("arn:") || event.length <= LAMBDA_MAX_PAYLOAD || batch.size() == 1) {
            return new PayloadCut(batch, event, List.of());
        }
        int n = batch.size();
        while (n > 1 && event.length > LAMBDA_MAX_PAYLOAD) {
            n = Math.max(1, Math.min(n - 1, (int) (n * MARGIN * LAMBDA_MAX_PAYLOAD / event.length)));
            event = encoder.encode(sub, batch.subList(0, n));
        }
        return new PayloadCut(List.copyOf(batch.subList(0, n)), event, List.copyOf(batch.subList(n, batch.size())));
    }
}
