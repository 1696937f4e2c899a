package dev.shoal.client.producer.internal;

import dev.shoal.storage.api.MessageId;
import dev.shoal.storage.api.NewMessage;

import java.util.concurrent.CompletableFuture;

/**
 * A message accepted by {@code send} and not yet acknowledged.
 *
 * @param bytes        what it counts against the buffer memory and the batch size
 * @param sentAtMillis when {@code send} accepted it (the producer's clock): its delivery timeout starts here
 */
public record PendingMessage(NewMessage message, long bytes, long sentAtMillis, CompletableFuture<MessageId> future) {

    /** Body plus attributes, counted the way the engine counts them against maxMessageBytes. */
    public static long sizeOf(NewMessage m) {
        long size = m.bodyUnsafe().length;
        for (var a : m.attributes().entrySet()) {
            size += a.getKey().length() + a.getValue().dataType().length() + a.getValue().value().length;
        }
        return size;
    }
}
