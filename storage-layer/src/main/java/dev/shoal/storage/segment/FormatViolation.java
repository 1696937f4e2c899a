package dev.shoal.storage.segment;

/**
 * Raised by the block and record codecs, which do not know the segment key;
 * {@link SegmentReader} turns it into a {@link CorruptSegmentException} that names the key and
 * the block. Stackless: it is thrown on a hot path's failure branch and always wrapped.
 */
final class FormatViolation extends RuntimeException {

    FormatViolation(String message) {
        super(message, null, false, false);
    }

    FormatViolation(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
