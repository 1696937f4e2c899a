package dev.shoal.storage.api;

import java.time.Duration;

/** Sets a leased message's visibility deadline to now + {@code timeout} (0 makes it visible now). */
public record VisibilityChange(String receipt, Duration timeout) {

    public VisibilityChange {
        Limits.checkRange("visibilityTimeout", timeout, Duration.ZERO, Limits.MAX_VISIBILITY_TIMEOUT);
    }
}
