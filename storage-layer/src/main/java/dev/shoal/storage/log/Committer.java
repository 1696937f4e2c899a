package dev.shoal.storage.log;

import dev.shoal.storage.api.CommitStateUnknownException;
import dev.shoal.storage.api.RetryableException;
import dev.shoal.storage.api.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.shoal.storage.StoreErrors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * The one commit loop. Gives a written segment its offsets by putting its index item at the end
 * of the partition's chain:
 * <ol>
 *   <li>read the newest entry; the new segment's base offset is where it ends (on the first try,
 *       where this process's own last commit ended, while no other process commits to the
 *       partition: {@link LogIndex#likelyEnd});</li>
 *   <li>put the entry there, on the condition that the offset is free;</li>
 *   <li>if another segment took it, back off (jittered) and go to 1; if the holder is this very
 *       segment, an earlier attempt of ours won (an SDK retry after a lost response): done;</li>
 *   <li>if the outcome is ambiguous (a timeout, a lost answer, a 5xx; or a throttle after an
 *       SDK attempt that was one of those: see {@link StoreErrors#mayHaveApplied}), read the
 *       entry at that offset: ours means done, another's means retry, none means put again at
 *       the same offset, never at a new one, because the lost attempt may still land there;</li>
 *   <li>if the store throttled and no attempt can still land, stop with
 *       {@link RetryableException} ({@code ServiceUnavailable}): nothing was written.</li>
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
        GuardedCommit<Void> outcome = commitGuarded(entry, base -> CommitGuards.write(guards.apply(base)));
        return switch (outcome) {
            case GuardedCommit.Committed<Void> c -> c.entry();
            case GuardedCommit.GuardFailed<Void> f -> throw new GuardFailedException(f.guardIndex(), f.existing());
            case GuardedCommit.Refused<Void> r -> throw new IllegalStateException("no guard here refuses");
        };
    }

    /**
     * Commits with guards decided per attempt: at each base offset tried, {@code guards} says
     * which conditional items go with the index item, or refuses that offset. A failed guard or
     * a refusal ends the commit with the segment not in the log, as a value; only failures the
     * caller cannot act on (throttling, {@link CommitStateUnknownException}) are thrown.
     */
    public <D> GuardedCommit<D> commitGuarded(IndexEntry entry, LongFunction<CommitGuards<D>> guards) {
        String pk = entry.partitionKey();
        Long pinnedBase = null; // set while an attempt's outcome is unknown: retry there only
        RuntimeException lastFailure = null;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            long base;
            // the first try puts where this process's own last commit ended, when nobody else writes here
            Optional<Long> guess = attempt == 0 && pinnedBase == null ? index.likelyEnd(pk) : Optional.empty();
            try {
                base = pinnedBase != null ? pinnedBase : guess.isPresent() ? guess.get() : index.last(pk).map(IndexEntry::endOffset).orElse(0L);
            } catch (SdkException e) {
                lastFailure = e;
                stopIfNothingPending(e, pinnedBase, pk);
                sleeper.sleep(Backoff.COMMIT.delay(attempt));
                continue;
            }
            IndexEntry candidate = entry.at(base, clock.instant());
            try {
                // inside the try: the guards may read the store (a chain check), and its failures are the attempt's
                List<TransactWriteItem> items;
                switch (guards.apply(base)) {
                    case CommitGuards.Refuse<D> refuse -> {
                        // an earlier attempt at this very offset may still land: then it is ours, and committed
                        if (pinnedBase != null) {
                            Optional<IndexEntry> holder = readQuietly(pk, base);
                            if (holder.isPresent() && holder.get().segmentKey().equals(entry.segmentKey())) {
                                return new GuardedCommit.Committed<>(holder.get());
                            }
                        }
                        return new GuardedCommit.Refused<>(refuse.reason());
                    }
                    case CommitGuards.Write<D> write -> items = write.items();
                }
                index.putNew(candidate, items);
                return new GuardedCommit.Committed<>(candidate);
            } catch (GuardFailedException failed) {
                return new GuardedCommit.GuardFailed<>(failed.guardIndex(), failed.existing());
            } catch (OffsetTakenException taken) {
                Optional<IndexEntry> holder = taken.holder().or(() -> readQuietly(pk, base));
                if (holder.isPresent() && holder.get().segmentKey().equals(entry.segmentKey())) {
                    return new GuardedCommit.Committed<>(holder.get()); // our own earlier attempt won
                }
                if (guess.isPresent()) {
                    index.tailIsShared(pk);
                    continue; // the guess was stale, not contended: read the tail and put at once
                }
                pinnedBase = null;
            } catch (SdkException failed) {
                lastFailure = failed;
                if (StoreErrors.mayHaveApplied(failed)) {
                    // a timeout, a lost answer, a 5xx, or a throttle after an attempt that did one of those
                    Optional<IndexEntry> holder = readQuietly(pk, base);
                    if (holder.isPresent() && holder.get().segmentKey().equals(entry.segmentKey())) {
                        return new GuardedCommit.Committed<>(holder.get());
                    }
                    pinnedBase = holder.isPresent() ? null : base;
                } else {
                    // nothing of this attempt landed: a throttle, or a transaction that lost to another
                    stopIfNothingPending(failed, pinnedBase, pk);
                }
            }
            sleeper.sleep(Backoff.COMMIT.delay(attempt));
        }
        if (pinnedBase != null) {
            throw new CommitStateUnknownException("commit of segment " + entry.segmentKey()
                    + " could not be confirmed or ruled out; it may be in the log", lastFailure);
        }
        log.warn("commit of {} gave up after {} attempts", entry.segmentKey(), MAX_ATTEMPTS);
        throw new RetryableException("too much contention on partition " + pk + "; retry the produce", lastFailure);
    }

    /**
     * Throttled, or a request the store rejects: when no earlier attempt may still land, stop
     * (nothing was written; hammering a throttled table helps nobody). While one may, keep
     * going: only this loop can still settle it.
     */
    private static void stopIfNothingPending(SdkException e, Long pinnedBase, String pk) {
        StoreErrors.Kind kind = StoreErrors.classify(e);
        if (pinnedBase == null && (kind == StoreErrors.Kind.THROTTLED || kind == StoreErrors.Kind.OTHER)) {
            throw StoreErrors.translate(e, "the commit to partition " + pk);
        }
    }

    private Optional<IndexEntry> readQuietly(String pk, long base) {
        try {
            return index.at(pk, base);
        } catch (SdkException e) {
            return Optional.empty();
        }
    }
}
