package dev.shoal.storage.log;

import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.util.List;

/**
 * What a guarded commit attempt at one base offset does: write its index item together with
 * these conditional items (in one transaction when there are any), or not commit there at all,
 * for a reason its caller named (a deduplication check that found the batch's keys in the chain
 * below that offset, say). Made per attempt, because guards may name the messages' offsets.
 *
 * @param <D> what a refusal carries back to the caller
 */
public sealed interface CommitGuards<D> {

    /** Commit at this offset, with these conditions (none: one conditional put). */
    record Write<D>(List<TransactWriteItem> items) implements CommitGuards<D> {
        public Write {
            items = List.copyOf(items);
        }
    }

    /** Do not commit at this offset; the commit ends with {@link GuardedCommit.Refused} carrying {@code reason}. */
    record Refuse<D>(D reason) implements CommitGuards<D> {
    }

    static <D> CommitGuards<D> write(List<TransactWriteItem> items) {
        return new Write<>(items);
    }

    static <D> CommitGuards<D> refuse(D reason) {
        return new Refuse<>(reason);
    }
}
