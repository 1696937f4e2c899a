package dev.shoal.storage.segment;

import dev.shoal.storage.api.ShoalException;

/**
 * The segment uses a format version, codec or flag this reader does not know: it was written
 * by a newer Shoal. Upgrade the reader; retrying will not help. The message names what was
 * found and what this reader supports.
 */
public class UnsupportedSegmentVersionException extends ShoalException {

    private final String segmentKey;

    public UnsupportedSegmentVersionException(String segmentKey, String what, String found, String supported) {
        super("Segment '" + segmentKey + "' uses " + what + " " + found
                + ", which this reader does not support (supported: " + supported + ")");
        this.segmentKey = segmentKey;
    }

    /** The key of the object that could not be read. */
    public String segmentKey() {
        return segmentKey;
    }

    @Override
    public String code() {
        return "UnsupportedSegmentVersion";
    }
}
