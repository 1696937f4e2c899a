package dev.shoal.storage.segment;

import dev.shoal.storage.api.MessageAttribute;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decodes the records of one uncompressed block, in order. Every read is bounds-checked against
 * the block: a malformed block raises {@link FormatViolation}, never an index exception.
 * Not thread-safe; one per block.
 */
final class RecordParser {

    private final byte[] buf;
    private final int end;
    private int pos;
    private long previousTimestamp;

    RecordParser(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
    }

    boolean hasRemaining() {
        return pos < end;
    }

    /** Throws unless every byte of the block was consumed: a block holds exactly its records. */
    void expectEnd(int records) {
        if (pos != end) {
            throw new FormatViolation((end - pos) + " bytes left after its " + records + " records");
        }
    }

    /** Decodes the next record. */
    SegmentRecord next() {
        long timestamp = previousTimestamp + Varints.unzigzag(readVarint());
        long deliverAt = timestamp + readVarint();
        previousTimestamp = timestamp;
        String group = readNullableString();
        String dedup = readNullableString();
        int attributeCount = readLength();
        Map<String, MessageAttribute> attributes = Map.of();
        if (attributeCount > 0) {
            TreeMap<String, MessageAttribute> map = new TreeMap<>();
            for (int i = 0; i < attributeCount; i++) {
                String name = readString();
                String type = readType();
                int valueLength = readLength();
                map.put(name, new MessageAttribute(type, Arrays.copyOfRange(buf, pos, pos + valueLength)));
                pos += valueLength;
            }
            attributes = map;
        }
        int bodyLength = readLength();
        byte[] body = Arrays.copyOfRange(buf, pos, pos + bodyLength);
        pos += bodyLength;
        try {
            return new SegmentRecord(timestamp, deliverAt, group, dedup, attributes, body);
        } catch (IllegalArgumentException e) {
            throw new FormatViolation("record does not validate: " + e.getMessage(), e);
        }
    }

    /** Skips the next record, reading only its lengths. */
    void skip() {
        previousTimestamp += Varints.unzigzag(readVarint());
        readVarint();
        skipNullable();
        skipNullable();
        int attributeCount = readLength();
        for (int i = 0; i < attributeCount; i++) {
            skipBytes(); // name
            skipBytes(); // type
            skipBytes(); // value
        }
        skipBytes();
    }

    /** Skips a length-prefixed field. (Not {@code pos += readLength()}: that adds to the old pos.) */
    private void skipBytes() {
        int n = readLength();
        pos += n;
    }

    private long readVarint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw new FormatViolation("record runs past the end of the block");
            }
            byte b = buf[pos++];
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw new FormatViolation("varint longer than 10 bytes at block byte " + pos);
    }

    /** A length that must fit in what is left of the block. */
    private int readLength() {
        long n = readVarint();
        if (n < 0 || n > end - pos) {
            throw new FormatViolation("length " + Long.toUnsignedString(n) + " exceeds the " + (end - pos)
                    + " bytes left in the block");
        }
        return (int) n;
    }

    private String readString() {
        int n = readLength();
        String s = new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    private String readNullableString() {
        long n = readVarint();
        if (n == 0) {
            return null;
        }
        if (n < 0 || n - 1 > end - pos) {
            throw new FormatViolation("string length " + Long.toUnsignedString(n - 1) + " exceeds the " + (end - pos)
                    + " bytes left in the block");
        }
        String s = new String(buf, pos, (int) (n - 1), StandardCharsets.UTF_8);
        pos += (int) (n - 1);
        return s;
    }

    private void skipNullable() {
        long n = readVarint();
        if (n < 0 || n - 1 > end - pos) {
            throw new FormatViolation("string length " + Long.toUnsignedString(n - 1) + " exceeds the " + (end - pos)
                    + " bytes left in the block");
        }
        pos += (int) Math.max(0, n - 1);
    }

    /** The attribute data type; the three standard ones come back as shared constants. */
    private String readType() {
        int n = readLength();
        String s = n == 6 ? standardType(pos) : null;
        if (s == null) {
            s = new String(buf, pos, n, StandardCharsets.UTF_8);
        }
        pos += n;
        return s;
    }

    private static final byte[] STRING = "String".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NUMBER = "Number".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BINARY = "Binary".getBytes(StandardCharsets.US_ASCII);

    private String standardType(int at) {
        if (Arrays.equals(buf, at, at + 6, STRING, 0, 6)) {
            return "String";
        }
        if (Arrays.equals(buf, at, at + 6, NUMBER, 0, 6)) {
            return "Number";
        }
        if (Arrays.equals(buf, at, at + 6, BINARY, 0, 6)) {
            return "Binary";
        }
        return null;
    }
}
