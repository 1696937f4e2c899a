package dev.shoal.client.internal.http;

import dev.shoal.storage.api.DurationText;

import java.time.Duration;

/** Durations as the native API writes them ({@link DurationText}). */
final class WireDurations {

    private WireDurations() {
    }

    static String format(Duration d) {
        return DurationText.format(d);
    }

    static Duration parse(String text) {
        if (text == null) {
            return null;
        }
        return DurationText.parse(text).orElseThrow(() ->
                new IllegalStateException("the API returned a duration this client cannot read: '" + text + "'"));
    }
}
