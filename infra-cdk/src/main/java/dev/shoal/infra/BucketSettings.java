package dev.shoal.infra;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Lifecycle rules of the segment bucket. They are backstops: the janitor deletes orphan
 * segments itself after a grace period; the rules only catch what it never gets to.
 *
 * @param orphanPrefix            key prefix whose objects S3 expires on its own
 * @param orphanExpirationDays    days after which objects under {@code orphanPrefix} expire, at least 1
 * @param incompleteUploadDays    days after which S3 aborts multipart uploads never completed
 *                                (their parts are billed until then), at least 1
 */
public record BucketSettings(String orphanPrefix, int orphanExpirationDays, int incompleteUploadDays) {

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*/");

    public BucketSettings {
        Objects.requireNonNull(orphanPrefix, "orphanPrefix");
        if (!PREFIX.matcher(orphanPrefix).matches()) {
            throw new IllegalArgumentException(
                    "orphanPrefix must be a key prefix ending in '/', such as 'orphans/', was '" + orphanPrefix + "'");
        }
        if (orphanExpirationDays < 1) {
            throw new IllegalArgumentException("orphanExpirationDays must be >= 1, was " + orphanExpirationDays);
        }
        if (incompleteUploadDays < 1) {
            throw new IllegalArgumentException("incompleteUploadDays must be >= 1, was " + incompleteUploadDays);
        }
    }
}
