package dev.shoal.functions.api;

import dev.shoal.storage.api.DurationText;

import java.time.Duration;

/**
 * Durations in the native API are strings with a unit, the same way error messages print
 * them ({@link DurationText}). A bare number is refused: "30" could mean seconds or
 * milliseconds, and guessing wrong by 1000x is worse than asking.
 */
public final class Durations {

    private Durations() {
    }

    /** Parses {@code text}, or returns null when it is null (the field was not given). */
    public static Duration parse(String field, String text) {
        if (text == null) {
            return null;
        }
        return DurationText.parse(text).orElseThrow(() -> ApiException.invalid(field,
                "must be a duration with a unit, for example \"250ms\", \"30s\", \"15m\", \"12h\" or \"4d\", was \"" + text + "\""));
    }

    public static String format(Duration d) {
        return DurationText.format(d);
    }
}
