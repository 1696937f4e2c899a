package dev.shoal.storage.subscription;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Fresh lease ids: random, so a receipt from an older lease can never match a newer one. */
final class LeaseIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private LeaseIds() {
    }

    static String next() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
