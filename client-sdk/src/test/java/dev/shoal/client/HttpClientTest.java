package dev.shoal.client;

import dev.shoal.client.testing.TestStack;
import dev.shoal.storage.api.InvalidRequestException;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.QueueSettings;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract over HTTP (the real API handler on a local port), plus what only HTTP does. */
class HttpClientTest extends ShoalClientContract {

    @Override
    protected TestStack.Kind kind() {
        return TestStack.Kind.HTTP;
    }

    @Test
    void aBodyOverTheApisLimitIsRefusedAndPointsToDirectMode() {
        client.createQueue("large", QueueSettings.builder().maxMessageBytes(8 * 1024 * 1024).build());

        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> client.produce("large", List.of(NewMessage.builder().body(bytes(7 * 1024 * 1024)).build())));

        assertEquals("PayloadTooLarge", e.code());
        assertEquals(413, assertInstanceOf(RemoteError.class, e).httpStatus());
        assertTrue(e.getMessage().contains("direct mode"), e.getMessage());
    }
}
