package dev.shoal.storage.api;

import java.time.Instant;

public record SubscriptionDescription(String queue, String name, SubscriptionSettings settings, Instant createdAt,
                                      SubscriptionStats stats) {
}
