package dev.shoal.client.internal.http;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HttpTransportsTest {

    @Test
    void theRegionComesFromAnExecuteApiHostUnlessGiven() {
        assertEquals("eu-west-1", HttpTransports.region(URI.create("https://abc123.execute-api.eu-west-1.amazonaws.com/prod"), null));
        assertEquals("us-east-2", HttpTransports.region(URI.create("https://abc123.execute-api.eu-west-1.amazonaws.com"), "us-east-2"));
    }

    @Test
    void durationsTravelAsTheApiWritesThem() {
        assertEquals("250ms", WireDurations.format(java.time.Duration.ofMillis(250)));
        assertEquals("4d", WireDurations.format(java.time.Duration.ofDays(4)));
        assertEquals(java.time.Duration.ofMinutes(15), WireDurations.parse("15m"));
        assertEquals(java.time.Duration.ofSeconds(30), WireDurations.parse("PT30S"));
    }
}
