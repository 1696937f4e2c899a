package dev.shoal.functions.runtime;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The deployment secret that authenticates receipt handles, from its stored text form. */
public final class ReceiptSecret {

    public static final int MIN_BYTES = 32;

    private ReceiptSecret() {
    }

    /**
     * Base64 text decoding to at least 32 bytes is used decoded (what the launcher writes);
     * otherwise the text's UTF-8 bytes, which must be at least 32 (a Secrets Manager generated
     * password of 32+ characters).
     */
    public static byte[] decode(String text) {
        String t = text.trim();
        try {
            byte[] decoded = Base64.getDecoder().decode(t);
            if (decoded.length >= MIN_BYTES) {
                return decoded;
            }
        } catch (IllegalArgumentException notBase64) {
            // fall through to the raw bytes
        }
        byte[] raw = t.getBytes(StandardCharsets.UTF_8);
        if (raw.length < MIN_BYTES) {
            throw new IllegalStateException("the receipt secret must be at least " + MIN_BYTES + " bytes (or base64 of them), was " + raw.length);
        }
        return raw;
    }
}
