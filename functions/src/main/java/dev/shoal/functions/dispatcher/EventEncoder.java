package dev.shoal.functions.dispatcher;

import dev.shoal.storage.api.PushTarget.EventFormat;
import dev.shoal.storage.api.ReceivedMessage;

import java.util.List;
import java.util.function.Supplier;

/**
 * Writes a batch as the event of one format, and says how the target names each message in its
 * partial batch response ({@code itemIdentifier}): the id the event gave it.
 */
interface EventEncoder {

    byte[] encode(PushSubscription sub, List<ReceivedMessage> batch);

    /** The id this format's event gives {@code m}; a partial batch response names it so. */
    String itemIdentifier(ReceivedMessage m);

    /**
     * The encoder of {@code format} for a batch of one queue: SQS events name their source with
     * {@code source}, and their message ids derive from the queue incarnation's id, looked up now.
     */
    static EventEncoder of(EventFormat format, SqsSource source, Supplier<String> queueId) {
        return switch (format) {
            case SQS -> new SqsTriggerEvents(source, queueId.get());
            case SHOAL -> ShoalEventEncoder.INSTANCE;
        };
    }

    /** Shoal's own event ({@link TriggerEvents}). */
    enum ShoalEventEncoder implements EventEncoder {
        INSTANCE;

        @Override
        public byte[] encode(PushSubscription sub, List<ReceivedMessage> batch) {
            return TriggerEvents.encode(sub.queue(), sub.subscription(), batch);
        }

        @Override
        public String itemIdentifier(ReceivedMessage m) {
            return m.id().toString();
        }
    }
}
