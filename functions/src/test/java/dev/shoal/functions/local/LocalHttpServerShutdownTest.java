package dev.shoal.functions.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a client sees while {@code ./shoal local} stops: answers to what it sent before, a clear refusal after. */
class LocalHttpServerShutdownTest {

    private final CountDownLatch release = new CountDownLatch(1);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private LocalHttpServer server;

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(Duration.ofSeconds(1));
        client.close();
    }

    /** "/slow" answers once released; everything else at once. */
    private void startServer() {
        server = LocalHttpServer.start("127.0.0.1", 0, event -> {
            if (event.getRawPath().equals("/slow")) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return response(500, "interrupted");
                }
                return response(200, "finished after shutdown began");
            }
            return response(200, "quick");
        });
    }

    @Test
    void aRequestInFlightWhenShutdownBeginsGetsItsAnswer() throws Exception {
        startServer();
        CompletableFuture<HttpResponse<String>> slow = client.sendAsync(request("/slow"), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> server.inFlight() == 1);

        CompletableFuture<Boolean> stopping = CompletableFuture.supplyAsync(() -> server.stop(Duration.ofSeconds(30)));
        await().atMost(Duration.ofSeconds(10)).until(() -> refusesNewConnections(server.port()));
        // the old server gave requests one second, then cut them off: let the drain outlast that
        await().pollDelay(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertFalse(stopping.isDone(), "stop returned while a request was still in flight");
        release.countDown();

        HttpResponse<String> answer = slow.get(10, TimeUnit.SECONDS);
        assertEquals(200, answer.statusCode());
        assertEquals("finished after shutdown began", answer.body());
        assertTrue(stopping.get(10, TimeUnit.SECONDS), "stop reports every request answered");
    }

    @Test
    void stoppingWithNothingInFlightTakesNoLongerThanTheLastAnswer() {
        startServer();
        long start = System.nanoTime();
        assertTrue(server.stop(Duration.ofSeconds(30)));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0,
                "an idle server must not wait out the drain");
    }

    @Test
    void theDrainIsBoundedWhenARequestNeverFinishes() throws Exception {
        startServer();
        CompletableFuture<HttpResponse<String>> stuck = client.sendAsync(request("/slow"), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> server.inFlight() == 1);
        long start = System.nanoTime();
        assertFalse(server.stop(Duration.ofSeconds(1)), "stop reports the request it had to cut off");
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0);
        assertThrows(Exception.class, () -> stuck.get(10, TimeUnit.SECONDS).body());
    }

    @Test
    void aRequestOnAKeptAliveConnectionAfterShutdownBeganIsRefusedWith503AndNotServed() throws Exception {
        startServer();
        try (Socket kept = new Socket("127.0.0.1", server.port())) {
            kept.setSoTimeout(10_000);
            var in = new BufferedReader(new InputStreamReader(kept.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream out = kept.getOutputStream();
            send(out, "/quick");
            assertEquals(200, readStatusAndSkipResponse(in));

            CompletableFuture<HttpResponse<String>> slow = client.sendAsync(request("/slow"), HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(10)).until(() -> server.inFlight() == 1);
            CompletableFuture<Boolean> stopping = CompletableFuture.supplyAsync(() -> server.stop(Duration.ofSeconds(30)));
            await().atMost(Duration.ofSeconds(10)).until(() -> refusesNewConnections(server.port()));

            send(out, "/quick");
            assertEquals(503, readStatusAndSkipResponse(in));
            release.countDown();
            assertEquals(200, slow.get(10, TimeUnit.SECONDS).statusCode());
            assertTrue(stopping.get(10, TimeUnit.SECONDS));
        }
    }

    private static void send(OutputStream out, String path) throws IOException {
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static int readStatusAndSkipResponse(BufferedReader in) throws IOException {
        int status = Integer.parseInt(in.readLine().split(" ")[1]);
        int length = 0;
        for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
            if (line.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
        }
        for (int i = 0; i < length; i++) in.read();
        return status;
    }

    private static boolean refusesNewConnections(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            return false;
        } catch (IOException refused) {
            return true;
        }
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build();
    }

    private static APIGatewayV2HTTPResponse response(int status, String body) {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status).withBody(body)
                .withHeaders(Map.of("content-type", "text/plain")).build();
    }
}
