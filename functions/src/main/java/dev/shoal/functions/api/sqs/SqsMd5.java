package dev.shoal.functions.api.sqs;

import dev.shoal.storage.api.MessageAttribute;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The MD5 digests SQS returns and SDKs verify: of the body (its UTF-8 bytes), and of the
 * message attributes in SQS's encoding: for each attribute in name order, the name, the data
 * type (each as a 4-byte big-endian length and UTF-8 bytes), a transport byte (1 for String
 * and Number, 2 for Binary) and the value (4-byte length and bytes).
 */
public final class SqsMd5 {

    private static final byte STRING_TRANSPORT = 1;
    private static final byte BINARY_TRANSPORT = 2;

    private SqsMd5() {
    }

    public static String ofBody(String body) {
        return hex(md5().digest(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** The digest of {@code attributes}, or null when there are none (SQS then omits it). */
    public static String ofAttributes(Map<String, MessageAttribute> attributes) {
        if (attributes.isEmpty()) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (var e : new TreeMap<>(attributes).entrySet()) {
            MessageAttribute a = e.getValue();
            lengthPrefixed(out, e.getKey().getBytes(StandardCharsets.UTF_8));
            lengthPrefixed(out, a.dataType().getBytes(StandardCharsets.UTF_8));
            out.write(a.isBinary() ? BINARY_TRANSPORT : STRING_TRANSPORT);
            lengthPrefixed(out, a.value());
        }
        return hex(md5().digest(out.toByteArray()));
    }

    private static void lengthPrefixed(ByteArrayOutputStream out, byte[] bytes) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
        out.writeBytes(bytes);
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no MD5", e);
        }
    }

    private static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }
}
