package dev.shoal.client;

import dev.shoal.client.testing.TestStack;
import dev.shoal.storage.api.MessageId;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.ReceivedMessage;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The contract over the direct transport (the engine embedded), plus what only direct mode does. */
class DirectClientTest extends ShoalClientContract {

    @Override
    protected TestStack.Kind kind() {
        return TestStack.Kind.DIRECT;
    }

    @Test
    void carriesMessagesOf32MiBWhenTheQueueAllowsThem() {
        int size = 32 * 1024 * 1024;
        client.createQueue("large", QueueSettings.builder().maxMessageBytes(size).build());
        byte[] body = bytes(size);

        MessageId id = client.produce("large", List.of(NewMessage.builder().body(body).build())).getFirst().id();
        ReceivedMessage received = receive("large", "default", 1).getFirst();

        assertEquals(id, received.id());
        assertArrayEquals(body, received.body());
    }
}
