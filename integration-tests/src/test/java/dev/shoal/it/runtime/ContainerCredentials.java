package dev.shoal.it.runtime;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The container credentials endpoint a SnapStart function gets instead of keys in its
 * environment: {@code GET AWS_CONTAINER_CREDENTIALS_FULL_URI} with {@code Authorization:
 * AWS_CONTAINER_AUTHORIZATION_TOKEN} answers temporary credentials. A wrong token gets 403.
 */
final class ContainerCredentials implements AutoCloseable {

    private static final String PATH = "/2021-04-23/credentials";

    private final String accessKeyId;
    private final String secretAccessKey;
    private final String token;
    private final LoopbackHttp http;
    private final AtomicInteger served = new AtomicInteger();

    ContainerCredentials(String accessKeyId, String secretAccessKey, String token) {
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
        this.token = token;
        this.http = new LoopbackHttp(PATH, this::handle);
    }

    /** The variables Lambda sets for these credentials (and no AWS_ACCESS_KEY_ID). */
    Map<String, String> environment() {
        return Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", http.uri(PATH).toString(),
                "AWS_CONTAINER_AUTHORIZATION_TOKEN", token);
    }

    /** How many times credentials were handed out to a caller with the right token. */
    int served() {
        return served.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!token.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                LoopbackHttp.reply(exchange, 403, "application/json", "{\"message\":\"bad authorization token\"}");
                return;
            }
            served.incrementAndGet();
            // no session token: S3Proxy checks only keys, and the SDK takes the answer without one
            LoopbackHttp.reply(exchange, 200, "application/json", "{\"AccessKeyId\":\"" + accessKeyId
                    + "\",\"SecretAccessKey\":\"" + secretAccessKey
                    + "\",\"Expiration\":\"" + Instant.now().plus(Duration.ofHours(6)) + "\"}");
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
