package dev.shoal.storage.api;

/**
 * Moves dead letters back: each message of the dead-letter queue goes to the queue it came
 * from (its {@code shoal.source.queue} attribute), or to {@code targetQueue} when given.
 *
 * @param targetQueue   where to move them, or null for each message's source queue
 * @param maxMessages   at most this many in this call (1-10,000); call again to continue
 * @param maxPerSecond  rate limit, 1-1,000 messages per second
 */
public record RedriveRequest(String targetQueue, int maxMessages, int maxPerSecond) {

    public RedriveRequest {
        if (targetQueue != null) {
            Limits.checkQueueNameSyntax("targetQueue", targetQueue);
        }
        Limits.checkRange("maxMessages", maxMessages, 1, 10_000);
        Limits.checkRange("maxPerSecond", maxPerSecond, 1, 1_000);
    }
}
