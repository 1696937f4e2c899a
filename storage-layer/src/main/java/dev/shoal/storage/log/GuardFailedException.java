package dev.shoal.storage.log;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

/**
 * One of a commit's guard conditions failed (a deduplication id already used, a producer
 * sequence already committed, a dead letter already moved): the segment was not committed.
 */
public final class GuardFailedException extends RuntimeException {

    private final int guardIndex;
    private final transient Map<String, AttributeValue> existing;

    GuardFailedException(int guardIndex, Map<String, AttributeValue> existing) {
        super("commit guard " + guardIndex + " failed", null, false, false);
        this.guardIndex = guardIndex;
        this.existing = existing == null ? Map.of() : existing;
    }

    /** Which guard of the commit request failed, in request order. */
    public int guardIndex() {
        return guardIndex;
    }

    /** The item that made the guard fail, as DynamoDB returned it (may be empty). */
    public Map<String, AttributeValue> existing() {
        return existing;
    }
}
