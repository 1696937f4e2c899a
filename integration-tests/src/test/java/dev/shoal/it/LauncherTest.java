package dev.shoal.it;

import dev.shoal.functions.local.LauncherOptions;
import dev.shoal.functions.local.LocalHttpServer;
import dev.shoal.functions.local.LocalLauncher;
import dev.shoal.it.NativeClient.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ./shoal local --port P --data DIR}, started in-process the way the script's main does. */
class LauncherTest {

    @TempDir
    Path data;

    @Test
    void launcherAnswersHealthAndARestartOnTheSameDataFindsTheQueueAndItsMessage() throws IOException {
        int port = freePort();
        LauncherOptions options = LauncherOptions.parse(new String[]{"--port", Integer.toString(port), "--data", data.toString()});
        try (LocalLauncher first = LocalLauncher.start(options)) {
            NativeClient c = new NativeClient(first.endpoint());
            assertEquals("http://127.0.0.1:" + port, first.endpoint().toString());
            Response health = c.get("/health");
            assertEquals(200, health.status());
            assertEquals("ok", health.json().path("status").asText());
            Checks.expectStatus(201, c.put("/v1/queues/kept", ""));
            NativeApiTest.produce(c, "kept", "survives restarts");
        }
        try (LocalLauncher second = LocalLauncher.start(options)) {
            NativeClient c = new NativeClient(second.endpoint());
            assertEquals(List.of("kept"), Checks.texts(c.get("/v1/queues").json().path("queues")));
            assertEquals(List.of("survives restarts"), Checks.bodies(NativeApiTest.receiveAll(c, "/v1/queues/kept", 1)));
        }
    }

    @Test
    void aBusyPortIsReportedClearly(@TempDir Path other) throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            LauncherOptions options = LauncherOptions.defaults().withPort(taken.getLocalPort()).withDataDir(other);
            var e = assertThrows(LocalHttpServer.PortInUseException.class, () -> LocalLauncher.start(options).close());
            assertTrue(e.getMessage().contains("already in use") && e.getMessage().contains("--port"), e.getMessage());
        }
    }

    @Test
    void aDataFolderInUseIsRefused() throws IOException {
        LauncherOptions options = LauncherOptions.defaults().withPort(0).withDataDir(data);
        try (LocalLauncher first = LocalLauncher.start(options)) {
            var e = assertThrows(IllegalStateException.class, () -> LocalLauncher.start(options).close());
            assertTrue(e.getMessage().contains("in use by another"), e.getMessage());
            assertEquals(200, new NativeClient(first.endpoint()).get("/health").status());
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
