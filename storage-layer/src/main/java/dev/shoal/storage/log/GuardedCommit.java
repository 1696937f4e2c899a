package dev.shoal.storage.log;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

/**
 * What a guarded commit came to, as a value rather than an exception: the caller decides what
 * each outcome means (a duplicate answered with its original, an idempotent batch answered with
 * its first commit). Failures that are not one of these (throttling, an outcome that could not
 * be settled) are thrown as they are by the commit loop.
 *
 * @param <D> what a refusal carries (see {@link CommitGuards.Refuse})
 */
public sealed interface GuardedCommit<D> {

    /** The segment is in the log at {@code entry}'s offsets. */
    record Committed<D>(IndexEntry entry) implements GuardedCommit<D> {
    }

    /**
     * Guard {@code guardIndex} (in the order the guards were given) failed: the segment is not in
     * the log. {@code existing} is the item that failed it, as DynamoDB returned it (may be empty).
     */
    record GuardFailed<D>(int guardIndex, Map<String, AttributeValue> existing) implements GuardedCommit<D> {
        public GuardFailed {
            existing = existing == null ? Map.of() : existing;
        }
    }

    /** The guards refused the offset the commit was tried at: the segment is not in the log. */
    record Refused<D>(D reason) implements GuardedCommit<D> {
    }
}
