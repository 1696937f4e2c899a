package dev.shoal.storage.api;

import java.time.Instant;

/** A queue's settings, when it was created, and its default subscription's counts. */
public record QueueDescription(String name, QueueSettings settings, Instant createdAt, SubscriptionStats stats) {
}
