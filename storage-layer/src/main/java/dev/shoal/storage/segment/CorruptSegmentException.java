package dev.shoal.storage.segment;

import dev.shoal.storage.api.ShoalException;

/**
 * The object is not a valid segment: bad magic, checksum mismatch, truncated, or an index or
 * record that contradicts itself. Retrying will not help: the stored object is damaged (or is
 * not a segment). The message names the segment key, what was expected and what was found.
 */
public class CorruptSegmentException extends ShoalException {

    private final String segmentKey;

    public CorruptSegmentException(String segmentKey, String problem) {
        super(message(segmentKey, problem));
        this.segmentKey = segmentKey;
    }

    public CorruptSegmentException(String segmentKey, String problem, Throwable cause) {
        super(message(segmentKey, problem), cause);
        this.segmentKey = segmentKey;
    }

    private static String message(String segmentKey, String problem) {
        return "Segment '" + segmentKey + "' is corrupt: " + problem;
    }

    /** The key of the object that failed to parse. */
    public String segmentKey() {
        return segmentKey;
    }

    @Override
    public String code() {
        return "CorruptSegment";
    }
}
