package dev.shoal.storage.log;

import java.time.Instant;
import java.util.UUID;

/**
 * Names of segments. A segment stored in S3 is named {@code <prefix>t<write time, 13 digits of
 * epoch millis>-<uuid>.seg}, so that a partition's objects list in the order they were written
 * and the janitor can list only what is new since its checkpoint (S3 lists in key order, from a
 * {@code StartAfter} key). Segments written before this naming are {@code <prefix><uuid>.seg};
 * every old key sorts before every new one ({@code t} is after the hex digits), so a
 * checkpoint's listing position is past them.
 *
 * <p>A segment kept inline in its log entry (ADR 0016) has a name of the same form ending in
 * {@code .inline}: it names the segment (for caches and for recognising one's own commit after an
 * ambiguous outcome) and is never an S3 key. That suffix is the only thing a reader reads from a
 * name: it says where to fetch the bytes.
 */
public final class SegmentKeys {

    private static final String INLINE_SUFFIX = ".inline";

    private SegmentKeys() {
    }

    /** A fresh key under {@code prefix} for a segment written to S3 at {@code writtenAt}. */
    public static String next(String prefix, Instant writtenAt) {
        return name(prefix, writtenAt) + ".seg";
    }

    /** A fresh name for a segment kept inline in its log entry, written at {@code writtenAt}. */
    public static String nextInline(String prefix, Instant writtenAt) {
        return name(prefix, writtenAt) + INLINE_SUFFIX;
    }

    /** True for the name of an inline segment: its bytes are in its log entry, not in S3. */
    public static boolean isInline(String key) {
        return key.endsWith(INLINE_SUFFIX);
    }

    private static String name(String prefix, Instant writtenAt) {
        return prefix + String.format("t%013d-", writtenAt.toEpochMilli()) + UUID.randomUUID();
    }
}
