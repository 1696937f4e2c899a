package dev.shoal.storage.log;

import dev.shoal.storage.CommitStateUnknownException;
import dev.shoal.storage.RetryableException;
import dev.shoal.storage.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * The one commit loop. Gives a written segment its offsets by putting its index item at the end
 * of the partition's chain:
 * <ol>
 *   <li>read the newest entry; the new segment's base offset is where it ends;</li>
 *   <li>put the entry there, on the condition that the offset is free;</li>
 *   <li>if another segment took it, back off (jittered) and go to 1; if the holder is this very
 *       segment, an earlier attempt of ours won (an SDK retry after a lost response): done;</li>
 *   <li>if the store did not answer (timeout, connection), read the entry at that offset: ours
 *       means done, another's means retry, none means put again at the same offset, never at a
 *       new one, because the lost attempt may still land there.</li>
 * </ol>
 * When attempts run out while the outcome is unknown, it throws
 * {@link CommitStateUnknownException} and nothing is cleaned up.
 */
public final class Committer {

    private static final Logger log = LoggerFactory.getLogger(Committer.class);
    static final int MAX_ATTEMPTS = 60;

    private final LogIndex index;
    private final Clock clock;
    private final Sleeper sleeper;

    public Committer(LogIndex index, Clock clock, Sleeper sleeper) {
        this.index = index;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Commits the segment described by {@code entry} (its base offset is ignored) and returns it with its offsets. */
    public IndexEntry commit(IndexEntry entry) {
        return commit(entry, base -> List.of());
    }

    /**
     * Commits with guards: conditional writes that must hold in the same transaction. Guards
     * are made for the base offset being tried, so that they can name the messages' ids.
     *
     * @throws GuardFailedException when a guard fails; the segment is then not committed
     */
    public IndexEntry commit(IndexEntry entry, LongFunction<List<TransactWriteItem>> guards) {
        String pk = entry.partitionKey();
        Long pinnedBase = null; // set while an attempt's outcome is unknown: retry there only
        boolean unknown = false;
        RuntimeException lastFailure = null;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            long base;
            try {
                base = pinnedBase != null ? pinnedBase : index.last(pk).map(IndexEntry::endOffset).orElse(0L);
            } catch (SdkClientException e) {
                lastFailure = e;
                sleeper.sleep(Backoff.COMMIT.delay(attempt));
                continue;
            }
            IndexEntry candidate = entry.at(base, clock.instant());
            try {
                index.putNew(candidate, guards.apply(base));
                return candidate;
            } catch (OffsetTakenException taken) {
                Optional<IndexEntry> holder = taken.holder().or(() -> readQuietly(pk, base));
                if (holder.isPresent() && holder.get().segmentKey().equals(entry.segmentKey())) {
                    return holder.get(); // our own earlier attempt won
                }
                pinnedBase = null;
                unknown = false;
            } catch (TransactionCanceledException conflict) {
                // another transaction touched a guard item at the same time: nothing was written
                lastFailure = conflict;
            } catch (SdkClientException ambiguous) {
                lastFailure = ambiguous;
                unknown = true;
                Optional<IndexEntry> holder = readQuietly(pk, base);
                if (holder.isPresent() && holder.get().segmentKey().equals(entry.segmentKey())) {
                    return holder.get();
                }
                pinnedBase = holder.isPresent() ? null : base;
                unknown = holder.isEmpty();
            }
            sleeper.sleep(Backoff.COMMIT.delay(attempt));
        }
        if (unknown) {
            throw new CommitStateUnknownException("commit of segment " + entry.segmentKey()
                    + " could not be confirmed or ruled out; it may be in the log", lastFailure);
        }
        log.warn("commit of {} gave up after {} attempts", entry.segmentKey(), MAX_ATTEMPTS);
        throw new RetryableException("too much contention on partition " + pk + "; retry the produce", lastFailure);
    }

    private Optional<IndexEntry> readQuietly(String pk, long base) {
        try {
            return index.at(pk, base);
        } catch (SdkClientException e) {
            return Optional.empty();
        }
    }
}
