package dev.shoal.storage.log;

import java.time.Instant;
import java.util.List;

/**
 * Where the janitor left one partition's log (see docs/adr/0014-janitor-checkpoints.md).
 *
 * <p>Invariant: every object of the partition whose key is at most {@code listedTo} is named by
 * an index entry below {@code indexFrom}, or is in {@code pending}, or was never listed (a key
 * behind the listing position when it was written: never deleted); no entry below
 * {@code indexFrom} names a pending object. A pass keeps it by reading the index from
 * {@code indexFrom} to its end <em>before</em> listing: a segment is written before its commit,
 * so every entry read names an object that this listing, or an earlier one, saw.
 *
 * @param indexFrom  the base offset the next pass reads the index from
 * @param listedTo   the last key listed (null: nothing listed yet)
 * @param listedAt   when the partition was last listed (null: never)
 * @param pending    listed objects no entry read so far names: in-flight commits, or orphans
 * @param oldestEnd  end offset of the oldest retained entry when retention last looked (-1: unknown)
 * @param oldestAt   commit time of that entry (null: unknown)
 */
public record LogCheckpoint(long indexFrom, String listedTo, Instant listedAt, List<Pending> pending,
                            long oldestEnd, Instant oldestAt) {

    /** A partition the janitor never visited: read the whole index and list everything, once. */
    public static final LogCheckpoint NONE = new LogCheckpoint(0, null, null, List.of(), -1, null);

    public LogCheckpoint {
        pending = List.copyOf(pending);
    }

    /** A listed object not named by any entry read so far. */
    public record Pending(String key, Instant lastModified) {
    }

    LogCheckpoint withOldest(long end, Instant at) {
        return new LogCheckpoint(indexFrom, listedTo, listedAt, pending, end, at);
    }

    LogCheckpoint withPending(List<Pending> next) {
        return new LogCheckpoint(indexFrom, listedTo, listedAt, next, oldestEnd, oldestAt);
    }
}
