package dev.shoal.functions.api;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DurationsTest {

    @Test
    void unitsAndIsoAreRead() {
        assertEquals(Duration.ofMillis(250), Durations.parse("f", "250ms"));
        assertEquals(Duration.ofSeconds(30), Durations.parse("f", "30s"));
        assertEquals(Duration.ofMinutes(15), Durations.parse("f", "15m"));
        assertEquals(Duration.ofHours(12), Durations.parse("f", "12h"));
        assertEquals(Duration.ofDays(4), Durations.parse("f", "4d"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("f", "PT1M30S"));
        assertNull(Durations.parse("f", null));
    }

    @Test
    void bareNumbersAndNegativesAreRefusedNamingTheField() {
        ApiException e = assertThrows(ApiException.class, () -> Durations.parse("visibilityTimeout", "30"));
        assertEquals("visibilityTimeout", e.field());
        assertTrue(e.getMessage().contains("\"30s\""));
        assertThrows(ApiException.class, () -> Durations.parse("f", "PT-5S"));
        assertThrows(ApiException.class, () -> Durations.parse("f", "-5s"));
    }

    @Test
    void formatIsWhatParseReads() {
        for (String s : new String[]{"250ms", "30s", "15m", "12h", "4d"}) {
            assertEquals(s, Durations.format(Durations.parse("f", s)));
        }
    }
}
