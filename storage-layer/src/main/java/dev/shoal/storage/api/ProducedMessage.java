package dev.shoal.storage.api;

/**
 * The outcome of producing one message.
 *
 * @param id        where the message is in the log
 * @param duplicate true when the message was a duplicate (same dedup id within the window, or a
 *                  retried idempotent produce) and {@code id} is the original's
 */
public record ProducedMessage(MessageId id, boolean duplicate) {
}
