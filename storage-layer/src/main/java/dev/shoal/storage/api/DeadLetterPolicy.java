package dev.shoal.storage.api;

/**
 * Moves a message to {@code queue} instead of delivering it for the
 * {@code maxReceiveCount + 1}-th time.
 */
public record DeadLetterPolicy(String queue, int maxReceiveCount) {

    public DeadLetterPolicy {
        Limits.checkQueueNameSyntax("deadLetter.queue", queue);
        Limits.checkRange("deadLetter.maxReceiveCount", maxReceiveCount, 1, Limits.MAX_RECEIVE_COUNT_LIMIT);
    }
}
