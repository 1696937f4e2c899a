package dev.shoal.storage.log;

import java.time.Instant;
import java.util.UUID;

/**
 * Names of segment objects. A segment is named {@code <prefix>t<write time, 13 digits of epoch
 * millis>-<uuid>.seg}, so that a partition's objects list in the order they were written and the
 * janitor can list only what is new since its checkpoint (S3 lists in key order, from a
 * {@code StartAfter} key). Segments written before this naming are {@code <prefix><uuid>.seg};
 * readers never parse a key (the index item names it), and every old key sorts before every
 * new one ({@code t} is after the hex digits), so a checkpoint's listing position is past them.
 */
final class SegmentKeys {

    private SegmentKeys() {
    }

    /** A fresh key under {@code prefix} for a segment written at {@code writtenAt}. */
    public static String next(String prefix, Instant writtenAt) {
        return prefix + String.format("t%013d-", writtenAt.toEpochMilli()) + UUID.randomUUID() + ".seg";
    }
}
