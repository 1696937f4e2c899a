package dev.shoal.storage.api;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as text, the way Shoal's API and its error messages write them: {@code "250ms"},
 * {@code "30s"}, {@code "15m"}, {@code "12h"}, {@code "4d"}; ISO-8601 ({@code "PT30S"}) is read
 * too. A bare number is not a duration: "30" could mean seconds or milliseconds. One definition
 * for the API (which reads requests) and the SDK (which reads responses).
 */
public final class DurationText {

    private static final Pattern SIMPLE = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

    private DurationText() {
    }

    /** The duration {@code text} names, or empty when it is not a duration with a unit. */
    public static Optional<Duration> parse(String text) {
        String t = text.trim();
        Matcher m = SIMPLE.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return Optional.of(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
        }
        if (t.startsWith("P") || t.startsWith("p")) {
            try {
                Duration d = Duration.parse(t);
                return d.isNegative() ? Optional.empty() : Optional.of(d);
            } catch (DateTimeParseException ignored) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    public static String format(Duration d) {
        return d == null ? null : Limits.human(d);
    }
}
