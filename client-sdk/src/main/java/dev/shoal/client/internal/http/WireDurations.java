package dev.shoal.client.internal.http;

import dev.shoal.storage.Limits;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as the native API writes them: "250ms", "30s", "15m", "12h", "4d" (ISO-8601 read too). */
final class WireDurations {

    private static final Pattern SIMPLE = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

    private WireDurations() {
    }

    static String format(Duration d) {
        return d == null ? null : Limits.human(d);
    }

    static Duration parse(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = SIMPLE.matcher(text.trim());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalStateException("the API returned a duration this client cannot read: '" + text + "'", e);
        }
    }
}
