package dev.shoal.storage.segment;

/** Unsigned LEB128 varints (7 bits a byte, least significant group first) and zigzag. */
final class Varints {

    private Varints() {
    }

    /** Bytes of the unsigned varint of {@code v} (1 to 10). */
    static int size(long v) {
        return (63 - Long.numberOfLeadingZeros(v | 1)) / 7 + 1;
    }

    /** Maps signed to unsigned so that small magnitudes stay small: 0, -1, 1, -2 → 0, 1, 2, 3. */
    static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }
}
