package dev.shoal.storage.segment;

import dev.shoal.storage.api.MessageAttribute;

import java.util.Arrays;
import java.util.Map;

/**
 * Encodes records into one uncompressed block, in a buffer reused from block to block. A record
 * is first {@linkplain #prepare prepared} (its exact size computed, its body and attribute
 * values copied out once), so the encoder can decide which block it goes to, then
 * {@linkplain #write written}. Strings are encoded straight into the buffer, without an
 * intermediate byte array. Not thread-safe: one per {@link SegmentEncoder#encode} call.
 */
final class RecordWriter {

    private byte[] buf;
    private int size;
    private long previousTimestamp;

    // The prepared record.
    private SegmentRecord record;
    private byte[] body;
    private String[] names = new String[4];
    private String[] types = new String[4];
    private byte[][] values = new byte[4][];
    private int attributeCount;
    private int sizeWithoutTimestamp;

    RecordWriter(int initialCapacity) {
        buf = new byte[Math.max(64, initialCapacity)];
    }

    byte[] buffer() {
        return buf;
    }

    /** Bytes in the current block. */
    int size() {
        return size;
    }

    /** Empties the buffer for a new block; the first record's timestamp is then relative to 0. */
    void startBlock() {
        size = 0;
        previousTimestamp = 0;
    }

    /** Takes {@code r} as the next record to write and returns its encoded size in the current block. */
    int prepare(SegmentRecord r) {
        record = r;
        body = r.body();
        Map<String, MessageAttribute> attributes = r.attributes();
        attributeCount = attributes.size();
        if (names.length < attributeCount) {
            names = new String[attributeCount];
            types = new String[attributeCount];
            values = new byte[attributeCount][];
        }
        long s = Varints.size(r.deliverAtMillis() - r.timestampMillis())
                + nullableStringSize(r.groupId()) + nullableStringSize(r.dedupId())
                + Varints.size(attributeCount);
        int i = 0;
        for (Map.Entry<String, MessageAttribute> e : attributes.entrySet()) {
            names[i] = e.getKey();
            types[i] = e.getValue().dataType();
            values[i] = e.getValue().value();
            s += stringSize(names[i]) + stringSize(types[i]) + Varints.size(values[i].length) + values[i].length;
            i++;
        }
        s += Varints.size(body.length) + (long) body.length;
        if (s + 10 > SegmentFormat.MAX_ARRAY_BYTES) {
            throw new IllegalArgumentException("record of " + s + " encoded bytes is larger than a segment block can be ("
                    + (SegmentFormat.MAX_ARRAY_BYTES - 10) + ")");
        }
        sizeWithoutTimestamp = (int) s;
        return preparedSize();
    }

    /** The prepared record's size if written now (its timestamp delta depends on the block). */
    int preparedSize() {
        return sizeWithoutTimestamp + Varints.size(Varints.zigzag(record.timestampMillis() - previousTimestamp));
    }

    /** Appends the prepared record to the block. */
    void write() {
        int needed = preparedSize();
        ensureCapacity(needed);
        int start = size;
        long timestamp = record.timestampMillis();
        writeVarint(Varints.zigzag(timestamp - previousTimestamp));
        writeVarint(record.deliverAtMillis() - timestamp);
        writeNullableString(record.groupId());
        writeNullableString(record.dedupId());
        writeVarint(attributeCount);
        for (int i = 0; i < attributeCount; i++) {
            writeString(names[i]);
            writeString(types[i]);
            writeBytes(values[i]);
            names[i] = null;
            types[i] = null;
            values[i] = null;
        }
        writeBytes(body);
        previousTimestamp = timestamp;
        record = null;
        body = null;
        assert size - start == needed : "size " + needed + " predicted, " + (size - start) + " written";
    }

    private void ensureCapacity(int extra) {
        long needed = (long) size + extra;
        if (needed > buf.length) {
            if (needed > SegmentFormat.MAX_ARRAY_BYTES) {
                throw new IllegalArgumentException("block of " + needed + " bytes is larger than a Java array can be");
            }
            buf = Arrays.copyOf(buf, (int) Math.min(SegmentFormat.MAX_ARRAY_BYTES, Math.max(needed, 2L * buf.length)));
        }
    }

    private void writeVarint(long v) {
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    private void writeBytes(byte[] bytes) {
        writeVarint(bytes.length);
        System.arraycopy(bytes, 0, buf, size, bytes.length);
        size += bytes.length;
    }

    private void writeNullableString(String s) {
        if (s == null) {
            buf[size++] = 0;
        } else {
            writeVarint(Utf8.length(s) + 1L);
            size = Utf8.encode(s, buf, size);
        }
    }

    private void writeString(String s) {
        writeVarint(Utf8.length(s));
        size = Utf8.encode(s, buf, size);
    }

    private static long nullableStringSize(String s) {
        if (s == null) {
            return 1;
        }
        int n = Utf8.length(s);
        return Varints.size(n + 1L) + n;
    }

    private static long stringSize(String s) {
        int n = Utf8.length(s);
        return Varints.size(n) + n;
    }
}
