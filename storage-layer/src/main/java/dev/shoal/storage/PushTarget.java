package dev.shoal.storage;

import java.time.Duration;

/**
 * Push delivery: the dispatcher receives batches for the subscription and invokes
 * {@code target}, a Lambda function ARN ({@code arn:aws:lambda:...}) or an HTTP(S) URL.
 */
public record PushTarget(String target, int batchSize, Duration batchingWindow, int maxConcurrency, Duration timeout) {

    public PushTarget {
        if (target == null || !(target.startsWith("arn:aws:lambda:") || target.startsWith("http://") || target.startsWith("https://"))) {
            throw new InvalidRequestException("push.target", "must be a Lambda function ARN (arn:aws:lambda:...) or an http(s) URL, was '" + target + "'");
        }
        Limits.checkRange("push.batchSize", batchSize, 1, 10_000);
        Limits.checkRange("push.batchingWindow", batchingWindow, Duration.ZERO, Duration.ofSeconds(300));
        Limits.checkRange("push.maxConcurrency", maxConcurrency, 1, 1_000);
        Limits.checkRange("push.timeout", timeout, Duration.ofSeconds(1), Duration.ofMinutes(15));
    }

    public static PushTarget of(String target) {
        return new PushTarget(target, 10, Duration.ZERO, 2, Duration.ofSeconds(30));
    }
}
