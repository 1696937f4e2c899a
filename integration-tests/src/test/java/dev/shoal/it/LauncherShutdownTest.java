package dev.shoal.it;

import dev.shoal.functions.local.LauncherOptions;
import dev.shoal.functions.local.LocalLauncher;
import dev.shoal.it.NativeClient.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A clean stop of {@code ./shoal local} (what SIGTERM and Ctrl-C run): requests in flight are
 * answered before the emulators stop, so no client loses the answer of something that happened.
 */
class LauncherShutdownTest {

    @TempDir
    Path data;

    @Test
    void aLongPollInFlightWhenShutdownBeginsGetsItsAnswerAndTheStackStopsAfterIt() throws Exception {
        LauncherOptions options = LauncherOptions.defaults().withPort(0).withDataDir(data);
        LocalLauncher shoal = LocalLauncher.start(options);
        NativeClient c = new NativeClient(shoal.endpoint());
        Checks.expectStatus(201, c.put("/v1/queues/quiet", ""));
        Checks.expectStatus(201, c.put("/v1/queues/kept", ""));
        NativeApiTest.produce(c, "kept", "sent before the stop");

        // longer than the one second the old shutdown gave requests in flight
        CompletableFuture<Response> poll = CompletableFuture.supplyAsync(
                () -> c.post("/v1/queues/quiet/receive", "{\"maxMessages\": 10, \"waitTime\": \"3s\"}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> shoal.requestsInFlight() == 1);
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(shoal::close);

        Response answer = poll.get(30, TimeUnit.SECONDS);
        assertEquals(200, answer.status(), answer.toString());
        assertTrue(answer.json().path("messages").isEmpty(), answer.toString());
        stopping.get(60, TimeUnit.SECONDS);

        try (LocalLauncher again = LocalLauncher.start(options)) {
            NativeClient after = new NativeClient(again.endpoint());
            assertEquals(List.of("sent before the stop"), Checks.bodies(NativeApiTest.receiveAll(after, "/v1/queues/kept", 1)));
        }
    }

    @Test
    void aStopDoesNotWaitOutTheLongPollsInFlight() throws Exception {
        try (LocalLauncher shoal = LocalLauncher.start(LauncherOptions.defaults().withPort(0).withDataDir(data))) {
            NativeClient c = new NativeClient(shoal.endpoint());
            Checks.expectStatus(201, c.put("/v1/queues/idle", ""));
            CompletableFuture<Response> poll = CompletableFuture.supplyAsync(
                    () -> c.post("/v1/queues/idle/receive", "{\"maxMessages\": 10, \"waitTime\": \"20s\"}"));
            await().atMost(Duration.ofSeconds(10)).until(() -> shoal.requestsInFlight() == 1);
            long began = System.nanoTime();

            shoal.close();

            Response answer = poll.get(5, TimeUnit.SECONDS);
            assertEquals(200, answer.status(), answer.toString());
            assertTrue(answer.json().path("messages").isEmpty(), answer.toString());
            long tookMillis = (System.nanoTime() - began) / 1_000_000;
            assertTrue(tookMillis < 10_000, "the 20 s poll answered at the stop, not at the end of its wait: " + tookMillis + " ms");
        }
    }
}
