package dev.shoal.storage.log;

import java.util.Optional;

/**
 * The commit's base offset was taken by another segment: the commit loop reads the log's end
 * again and retries. Carries the winner, when DynamoDB returned it, so that a commit whose own
 * earlier attempt won (an SDK-level retry) is recognised as a success.
 */
final class OffsetTakenException extends RuntimeException {

    private final transient IndexEntry holder;

    OffsetTakenException(IndexEntry holder) {
        super(null, null, false, false);
        this.holder = holder;
    }

    Optional<IndexEntry> holder() {
        return Optional.ofNullable(holder);
    }
}
