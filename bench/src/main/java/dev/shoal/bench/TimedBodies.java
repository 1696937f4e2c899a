package dev.shoal.bench;

import java.nio.charset.StandardCharsets;

/**
 * Text bodies that carry their sequence number and their scheduled send time:
 * {@code {"seq":000000000042,"due":000000001234567,} (microseconds after the run's origin), then a
 * json-like body from {@link Payloads}, cut to the size asked for. A receiver reads the latency
 * off the message itself, measured from when the message was due to be sent, not from when a
 * sender got round to it, so a sender stuck behind a slow call does not hide the queueing.
 */
final class TimedBodies {

    private static final String SEQ = "{\"seq\":";
    private static final String DUE = ",\"due\":";
    private static final int SEQ_DIGITS = 12;
    private static final int DUE_DIGITS = 15;
    private static final int DUE_AT = SEQ.length() + SEQ_DIGITS + DUE.length();
    /** Characters of the stamp, its trailing comma included. */
    static final int STAMP_CHARS = DUE_AT + DUE_DIGITS + 1;

    private final Payloads pool;
    private final int size;

    TimedBodies(int size) {
        if (size < STAMP_CHARS + 2) {
            throw new Options.UsageException("--size must be at least " + (STAMP_CHARS + 2) + " bytes (each body carries its sequence number and send time)");
        }
        this.pool = Payloads.of("json", size, 29);
        this.size = size;
    }

    /** The body of message {@code seq}, due {@code dueMicros} after the origin: exactly {@code size} ASCII characters. */
    String body(long seq, long dueMicros) {
        StringBuilder sb = new StringBuilder(size);
        sb.append(SEQ);
        pad(sb, seq, SEQ_DIGITS);
        sb.append(DUE);
        pad(sb, dueMicros, DUE_DIGITS);
        sb.append(',');
        byte[] rest = pool.body(seq);
        // the pool's body without its opening brace, cut so the whole is `size` long and still ends in ]}
        sb.append(new String(rest, 1, size - STAMP_CHARS - 2, StandardCharsets.US_ASCII)).append("]}");
        return sb.toString();
    }

    static long seq(String body) {
        return Long.parseLong(body, SEQ.length(), SEQ.length() + SEQ_DIGITS, 10);
    }

    static long dueMicros(String body) {
        return Long.parseLong(body, DUE_AT, DUE_AT + DUE_DIGITS, 10);
    }

    private static void pad(StringBuilder sb, long value, int digits) {
        String s = Long.toString(value);
        if (value < 0 || s.length() > digits) throw new IllegalArgumentException(value + " does not fit in " + digits + " digits");
        sb.append("0".repeat(digits - s.length())).append(s);
    }
}
