package dev.shoal.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Message bodies for the benchmarks, deterministic from a seed. The default kind, {@code json},
 * looks like application events (field names repeat, values vary), so it compresses about as
 * well as real traffic does; {@code random} does not compress at all, {@code zeros} compresses
 * absurdly well. Bodies are drawn from a pool: distinct enough that zstd cannot just point at
 * the previous message, small enough to build quickly.
 */
final class Payloads {

    static final int POOL = 1024;

    private static final String[] WORDS = {"page_view", "click", "checkout", "login", "logout", "search", "add_to_cart",
            "purchase", "signup", "error", "timeout", "retry", "mobile", "desktop", "tablet", "chrome", "firefox", "safari",
            "eu-west-1", "us-east-1", "ap-south-1", "premium", "free", "trial", "/products", "/cart", "/account", "/search",
            "/help", "ok", "failed", "pending", "shipped", "delivered", "cancelled", "visa", "mastercard", "paypal", "EUR",
            "USD", "GBP", "en-GB", "en-US", "de-DE", "fr-FR", "campaign", "newsletter", "organic", "referral", "direct"};

    private final byte[][] pool;

    private Payloads(byte[][] pool) {
        this.pool = pool;
    }

    static Payloads of(String kind, int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[][] pool = new byte[POOL][];
        for (int i = 0; i < POOL; i++) {
            pool[i] = switch (kind) {
                case "json" -> json(random, size);
                case "random" -> randomBytes(random, size);
                case "zeros" -> new byte[size];
                default -> throw new Options.UsageException("--payload must be json, random or zeros, was '" + kind + "'");
            };
        }
        return new Payloads(pool);
    }

    /** The body of message {@code i} (shared, not copied: callers must not modify it). */
    byte[] body(long i) {
        return pool[(int) (i % POOL)];
    }

    private static byte[] randomBytes(SplittableRandom random, int size) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        return b;
    }

    private static byte[] json(SplittableRandom random, int size) {
        StringBuilder sb = new StringBuilder(size + 64);
        sb.append("{\"id\":").append(random.nextLong(1_000_000_000L))
                .append(",\"ts\":").append(1_767_225_600_000L + random.nextLong(86_400_000L))
                .append(",\"user\":\"u-").append(random.nextInt(100_000)).append('"')
                .append(",\"event\":\"").append(word(random)).append('"')
                .append(",\"amount\":").append(random.nextInt(100_000) / 100.0)
                .append(",\"tags\":[");
        while (sb.length() < size) {
            sb.append('"').append(word(random)).append("\",").append(random.nextInt(10_000)).append(',');
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(bytes, size);
        if (size >= 2) {
            out[size - 2] = ']';
            out[size - 1] = '}';
        }
        return out;
    }

    private static String word(SplittableRandom random) {
        return WORDS[random.nextInt(WORDS.length)];
    }
}
