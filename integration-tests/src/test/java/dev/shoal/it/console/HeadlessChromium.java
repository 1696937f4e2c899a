package dev.shoal.it.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * A headless Chromium driven over the DevTools protocol (a websocket, with the JDK's own client:
 * no Selenium, no driver binary). Enough for a page test: navigate, evaluate JavaScript, read
 * back values.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");

    private final Process process;
    private final WebSocket socket;
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    private HeadlessChromium(Process process, WebSocket socket) {
        this.process = process;
        this.socket = socket;
    }

    /** The browser on this machine: $SHOAL_CHROMIUM, else the first of the usual names on the PATH. */
    static Optional<Path> find() {
        String configured = System.getenv("SHOAL_CHROMIUM");
        if (configured != null && Files.isExecutable(Path.of(configured))) return Optional.of(Path.of(configured));
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            for (String name : NAMES) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    static HeadlessChromium start(Path binary, Path profile) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank")
                .redirectErrorStream(true)
                .redirectOutput(profile.resolveSibling("chromium.log").toFile())
                .start();
        try {
            // Chromium writes the port it picked to this file once DevTools listens.
            Path portFile = profile.resolve("DevToolsActivePort");
            await().atMost(Duration.ofSeconds(30)).until(() -> !process.isAlive() || Files.exists(portFile) && Files.size(portFile) > 0);
            if (!process.isAlive()) {
                throw new IllegalStateException("chromium exited: " + Files.readString(profile.resolveSibling("chromium.log")));
            }
            int port = Integer.parseInt(Files.readAllLines(portFile).getFirst().trim());
            HttpClient http = HttpClient.newHttpClient();
            String pageSocket = null;
            for (JsonNode target : JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString()).body())) {
                if (target.path("type").asText().equals("page")) pageSocket = target.path("webSocketDebuggerUrl").asText();
            }
            if (pageSocket == null) throw new IllegalStateException("chromium has no page to drive");
            HeadlessChromium[] self = new HeadlessChromium[1];
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new WebSocket.Listener() {
                private final StringBuilder frame = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    frame.append(data);
                    if (last) {
                        self[0].receive(frame.toString());
                        frame.setLength(0);
                    }
                    ws.request(1);
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
            self[0] = new HeadlessChromium(process, socket);
            return self[0];
        } catch (Exception e) {
            process.destroyForcibly();
            if (e instanceof IOException io) throw io;
            throw new IllegalStateException("could not start chromium: " + e, e);
        }
    }

    private void receive(String text) {
        try {
            JsonNode message = JSON.readTree(text);
            CompletableFuture<JsonNode> waiting = message.has("id") ? pending.remove(message.path("id").asInt()) : null;
            if (waiting != null) waiting.complete(message); // events (no id) are not needed here
        } catch (IOException e) {
            pending.values().forEach(f -> f.completeExceptionally(e));
        }
    }

    /** One DevTools command; returns its result. */
    JsonNode call(String method, ObjectNode params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        socket.sendText(message.toString(), true).join();
        JsonNode reply = answer.orTimeout(30, TimeUnit.SECONDS).join();
        if (reply.has("error")) throw new IllegalStateException(method + " failed: " + reply.path("error"));
        return reply.path("result");
    }

    void navigate(String url) {
        call("Page.navigate", JSON.createObjectNode().put("url", url));
    }

    /** Evaluates an expression in the page (awaiting a promise) and returns its value as text ("" for null or undefined). */
    String eval(String expression) {
        JsonNode result = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                .put("returnByValue", true).put("awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("page threw: " + result.path("exceptionDetails"));
        }
        JsonNode value = result.path("result").path("value");
        return value.isMissingNode() || value.isNull() ? "" : value.asText();
    }

    @Override
    public void close() {
        socket.abort();
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
