package dev.shoal.storage.segment;

/** Random access to a stored object's bytes, e.g. an S3 ranged GET. */
@FunctionalInterface
public interface RangeSource {

    /**
     * Returns exactly {@code length} bytes starting at {@code offset} of the object, or fewer
     * only if the object ends first. Implementations MAY return a longer array; the reader
     * uses only the first {@code length} bytes. Failures to reach the store are the
     * implementation's own exceptions and reach the caller of the reader unchanged.
     */
    byte[] read(long offset, int length);

    /** A source over an object held in memory. */
    static RangeSource of(byte[] object) {
        return (offset, length) -> {
            if (offset < 0 || length < 0) {
                throw new IndexOutOfBoundsException("offset " + offset + ", length " + length);
            }
            int from = (int) Math.min(offset, object.length);
            int to = (int) Math.min((long) from + length, object.length);
            return java.util.Arrays.copyOfRange(object, from, to);
        };
    }
}
