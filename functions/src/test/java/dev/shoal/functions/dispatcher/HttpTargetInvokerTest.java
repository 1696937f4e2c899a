package dev.shoal.functions.dispatcher;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.shoal.storage.api.PushTarget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP invoker against a real server on loopback. */
class HttpTargetInvokerTest {

    private static final byte[] EVENT = "{\"source\":\"shoal\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8);

    private final HttpTargetInvoker invoker = new HttpTargetInvoker();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) server.stop(0);
    }

    @Test
    void aSuccessfulAnswerIsCompletedWithItsBodyAndTheEventIsPostedAsJson() throws IOException {
        AtomicReference<String> contentType = new AtomicReference<>();
        AtomicReference<byte[]> received = new AtomicReference<>();
        String url = serve(200, "{\"batchItemFailures\":[]}", null, exchange -> {
            contentType.set(exchange.getRequestHeaders().getFirst("content-type"));
            received.set(exchange.getRequestBody().readAllBytes());
        });

        InvocationOutcome outcome = invoker.invoke(target(url, 5), EVENT);

        var completed = assertInstanceOf(InvocationOutcome.Completed.class, outcome);
        assertEquals("{\"batchItemFailures\":[]}", new String(completed.response(), StandardCharsets.UTF_8));
        assertEquals("application/json", contentType.get());
        assertArrayEquals(EVENT, received.get());
    }

    @Test
    void tooManyRequestsAndServiceUnavailableAreNotDeliveredWithTheRetryAfterHint() throws IOException {
        for (int status : new int[]{429, 503}) {
            String url = serve(status, "", "7", e -> { });
            var outcome = assertInstanceOf(InvocationOutcome.NotDelivered.class, invoker.invoke(target(url, 5), EVENT), "" + status);
            assertEquals(Duration.ofSeconds(7), outcome.retryAfter());
            server.stop(0);
        }
    }

    @Test
    void otherErrorStatusesFailTheBatch() throws IOException {
        String url = serve(500, "boom", null, e -> { });

        var outcome = assertInstanceOf(InvocationOutcome.Failed.class, invoker.invoke(target(url, 5), EVENT));

        assertTrue(outcome.reason().contains("500") && outcome.reason().contains("boom"), outcome.reason());
    }

    @Test
    void noAnswerWithinTheTargetsTimeoutFailsTheBatch() throws IOException {
        String url = serve(200, "", null, e -> {
            try {
                release.await(10, TimeUnit.SECONDS); // holds the answer past the 1 s timeout
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        });

        var outcome = assertInstanceOf(InvocationOutcome.Failed.class, invoker.invoke(target(url, 1), EVENT));

        assertTrue(outcome.reason().contains("no answer"), outcome.reason());
    }

    @Test
    void aRefusedConnectionIsNotDelivered() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertInstanceOf(InvocationOutcome.NotDelivered.class, invoker.invoke(target("http://127.0.0.1:" + port + "/", 5), EVENT));
    }

    @Test
    void retryAfterReadsDeltaSecondsAndIgnoresDates() {
        assertEquals(Duration.ofSeconds(3), HttpTargetInvoker.retryAfter(java.util.Optional.of(" 3 ")).orElseThrow());
        assertTrue(HttpTargetInvoker.retryAfter(java.util.Optional.of("Wed, 21 Oct 2026 07:28:00 GMT")).isEmpty());
        assertEquals(HttpTargetInvoker.MAX_RETRY_AFTER, HttpTargetInvoker.retryAfter(java.util.Optional.of("99999")).orElseThrow());
    }

    interface Inspect {
        void accept(HttpExchange exchange) throws IOException;
    }

    private String serve(int status, String body, String retryAfter, Inspect inspect) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            try (exchange) {
                inspect.accept(exchange);
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                if (retryAfter != null) exchange.getResponseHeaders().add("retry-after", retryAfter);
                exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
                if (bytes.length > 0) exchange.getResponseBody().write(bytes);
            } catch (IOException gone) {
                // the invoker stopped waiting
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    private static PushTarget target(String url, int timeoutSeconds) {
        return new PushTarget(url, 10, Duration.ZERO, 1, Duration.ofSeconds(timeoutSeconds));
    }
}
