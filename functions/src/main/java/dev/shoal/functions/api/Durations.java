package dev.shoal.functions.api;

import dev.shoal.storage.Limits;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations in the native API are strings with a unit, the same way error messages print
 * them: {@code "250ms"}, {@code "30s"}, {@code "15m"}, {@code "12h"}, {@code "4d"}; ISO-8601
 * ({@code "PT30S"}) is accepted too. A bare number is refused: "30" could mean seconds or
 * milliseconds, and guessing wrong by 1000x is worse than asking.
 */
public final class Durations {

    private static final Pattern SIMPLE = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

    private Durations() {
    }

    /** Parses {@code text}, or returns null when it is null (the field was not given). */
    public static Duration parse(String field, String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim();
        Matcher m = SIMPLE.matcher(t);
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
        if (t.startsWith("P") || t.startsWith("p")) {
            try {
                Duration d = Duration.parse(t);
                if (!d.isNegative()) return d;
            } catch (DateTimeParseException ignored) {
                // falls through to the error below
            }
        }
        throw ApiException.invalid(field, "must be a duration with a unit, for example \"250ms\", \"30s\", \"15m\", \"12h\" or \"4d\", was \"" + text + "\"");
    }

    public static String format(Duration d) {
        return d == null ? null : Limits.human(d);
    }
}
