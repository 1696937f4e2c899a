package dev.shoal.storage.segment;

/**
 * UTF-8 straight into a byte array, so the encoder makes no byte array per string. Strings that
 * are not valid UTF-16 (an unpaired surrogate) cannot be stored losslessly and are rejected
 * rather than silently altered: a dedup id that changed on the way would no longer match.
 */
final class Utf8 {

    private Utf8() {
    }

    /** The UTF-8 length of {@code s}; throws IllegalArgumentException for an unpaired surrogate. */
    static int length(String s) {
        int n = s.length();
        long bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isSurrogate(c)) {
                    if (!Character.isHighSurrogate(c) || i + 1 == n || !Character.isLowSurrogate(s.charAt(i + 1))) {
                        throw unpaired(s, i);
                    }
                    bytes += 2; // four bytes for two chars
                    i++;
                } else {
                    bytes += 2;
                }
            }
        }
        if (bytes > SegmentFormat.MAX_ARRAY_BYTES) {
            throw new IllegalArgumentException("string of " + bytes + " UTF-8 bytes is too large for a segment");
        }
        return (int) bytes;
    }

    /** Writes {@code s}, already measured by {@link #length}, at {@code pos}; returns the position after it. */
    static int encode(String s, byte[] out, int pos) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                break;
            }
            out[pos++] = (byte) c;
            i++;
        }
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out[pos++] = (byte) c;
            } else if (c < 0x800) {
                out[pos++] = (byte) (0xC0 | c >> 6);
                out[pos++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c)) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out[pos++] = (byte) (0xF0 | cp >> 18);
                out[pos++] = (byte) (0x80 | (cp >> 12 & 0x3F));
                out[pos++] = (byte) (0x80 | (cp >> 6 & 0x3F));
                out[pos++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                out[pos++] = (byte) (0xE0 | c >> 12);
                out[pos++] = (byte) (0x80 | (c >> 6 & 0x3F));
                out[pos++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return pos;
    }

    private static IllegalArgumentException unpaired(String s, int index) {
        return new IllegalArgumentException("string of length " + s.length() + " has an unpaired surrogate at index "
                + index + "; segment strings must be valid UTF-16");
    }
}
