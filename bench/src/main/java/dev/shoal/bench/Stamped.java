package dev.shoal.bench;

import java.nio.charset.StandardCharsets;

/**
 * Message bodies that carry their sequence number: {@code {"seq":000000000042,} followed by a
 * json-like body from {@link Payloads}, cut to the size asked for. Every body is distinct (a FIFO
 * queue with content-based deduplication would drop the pool's repeats as duplicates), and a
 * consumer can tell which message it got without a lookup table keyed by id.
 */
final class Stamped {

    static final int DIGITS = 12;
    private static final byte[] PREFIX = "{\"seq\":".getBytes(StandardCharsets.US_ASCII);
    /** Bytes of the stamp: the prefix, the digits and a comma. */
    static final int STAMP_BYTES = PREFIX.length + DIGITS + 1;

    private final Payloads pool;
    private final int size;

    Stamped(Payloads pool, int size) {
        if (size < STAMP_BYTES + 2) {
            throw new Options.UsageException("--size must be at least " + (STAMP_BYTES + 2) + " bytes here (each body carries its sequence number)");
        }
        this.pool = pool;
        this.size = size;
    }

    /** The body of message {@code seq}: a new array of exactly the size asked for. */
    byte[] body(long seq) {
        byte[] out = new byte[size];
        System.arraycopy(PREFIX, 0, out, 0, PREFIX.length);
        long v = seq;
        for (int i = PREFIX.length + DIGITS - 1; i >= PREFIX.length; i--) {
            out[i] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        out[PREFIX.length + DIGITS] = ',';
        byte[] rest = pool.body(seq);
        // the pool's body without its opening brace: {"seq":...,"id":...}
        System.arraycopy(rest, 1, out, STAMP_BYTES, Math.min(rest.length - 1, size - STAMP_BYTES));
        out[size - 2] = ']';
        out[size - 1] = '}';
        return out;
    }

    /** The sequence number stamped on {@code body} by {@link #body}. */
    static long seq(byte[] body) {
        long v = 0;
        for (int i = PREFIX.length; i < PREFIX.length + DIGITS; i++) {
            v = v * 10 + (body[i] - '0');
        }
        return v;
    }

    /** The same, from a body received as text (SQS). */
    static long seq(String body) {
        return Long.parseLong(body, PREFIX.length, PREFIX.length + DIGITS, 10);
    }
}
