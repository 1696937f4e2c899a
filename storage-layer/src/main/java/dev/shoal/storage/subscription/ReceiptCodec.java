package dev.shoal.storage.subscription;

import dev.shoal.storage.api.InvalidReceiptException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

/**
 * Turns receipts into opaque handles and back. A handle is the receipt's fields followed by an
 * HMAC-SHA256 (truncated to 128 bits) under the deployment secret, base64url-encoded: a forged
 * or altered handle fails the MAC check and is rejected before anything is read.
 */
public final class ReceiptCodec {

    private static final byte VERSION = 1;
    private static final int MAC_BYTES = 16;

    private final SecretKeySpec key;

    public ReceiptCodec(byte[] secret) {
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    }

    public String encode(Receipt r) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(r.queueId());
            out.writeUTF(r.subscription());
            out.writeInt(r.partition());
            out.writeLong(r.gen());
            out.writeLong(r.offset());
            out.writeUTF(r.lease());
            out.writeUTF(r.group());
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
        byte[] body = bytes.toByteArray();
        byte[] handle = Arrays.copyOf(body, body.length + MAC_BYTES);
        System.arraycopy(mac(body), 0, handle, body.length, MAC_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(handle);
    }

    /** @throws InvalidReceiptException when the handle is malformed, forged or altered */
    public Receipt decode(String handle) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(handle == null ? "" : handle);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (raw.length <= MAC_BYTES + 1) {
            throw invalid();
        }
        byte[] body = Arrays.copyOf(raw, raw.length - MAC_BYTES);
        byte[] given = Arrays.copyOfRange(raw, raw.length - MAC_BYTES, raw.length);
        if (!MessageDigest.isEqual(given, Arrays.copyOf(mac(body), MAC_BYTES)) || body[0] != VERSION) {
            throw invalid();
        }
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(body, 1, body.length - 1))) {
            return new Receipt(in.readUTF(), in.readUTF(), in.readInt(), in.readLong(), in.readLong(), in.readUTF(), in.readUTF());
        } catch (IOException e) {
            throw invalid();
        }
    }

    private static InvalidReceiptException invalid() {
        return new InvalidReceiptException("is not a valid receipt handle (malformed, altered or from another deployment)");
    }

    private byte[] mac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
