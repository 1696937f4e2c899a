package dev.shoal.functions.api.sqs;

import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.MessageAttribute;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SQS system attributes as the SQS face keeps and derives them, for its answers and for the
 * trigger events alike. What it stores sits among a message's attributes under SQS's reserved
 * "Amazon." prefix, which clients cannot send, and is never returned as a message attribute (so
 * it never changes MD5OfMessageAttributes).
 */
public final class SqsStoredAttributes {

    /** A message's AWSTraceHeader system attribute (or the X-Amzn-Trace-Id header it came with). */
    public static final String TRACE_HEADER = "Amazon.SQS.AWSTraceHeader";

    private SqsStoredAttributes() {
    }

    /** The sender's own attributes, in their order: none of the names Shoal or the SQS face keep for themselves. */
    public static Map<String, MessageAttribute> userAttributes(Map<String, MessageAttribute> attributes) {
        Map<String, MessageAttribute> out = new LinkedHashMap<>();
        attributes.forEach((k, v) -> {
            if (!k.startsWith(Limits.RESERVED_ATTRIBUTE_PREFIX) && !k.equals(TRACE_HEADER)) out.put(k, v);
        });
        return out;
    }

    /** The MessageDeduplicationId SQS reports for content-based deduplication: the body's SHA-256, in hex. */
    public static String contentDeduplicationId(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
