package dev.shoal.functions.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The local server's connections send each answer at once. With Nagle's algorithm on (the JDK
 * server's default), an answer of more than one segment waited for the client's delayed
 * acknowledgement: about 40 ms on every receive of ten messages (BENCHMARKS.md section 13).
 */
class LocalHttpServerNoDelayTest {

    @Test
    void aStartedServerHasTurnedNaglesAlgorithmOffForItsConnections() {
        LocalHttpServer server = LocalHttpServer.start("127.0.0.1", 0, event -> APIGatewayV2HTTPResponse.builder().withStatusCode(200).build());
        try {
            assertEquals("true", System.getProperty(LocalHttpServer.NO_DELAY));
        } finally {
            server.close();
        }
    }
}
