package dev.shoal.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.functions.local.LocalLauncher;
import dev.shoal.it.NativeClient.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./shoal local} as a separate process, under load from producers and consumers, stopped
 * again and again: by SIGTERM (a clean stop: nothing may be lost or duplicated) and by kill -9
 * (nothing acknowledged may be lost, FIFO order must hold; duplicates are allowed, since a
 * client cannot know what happened to a request whose answer died with the process).
 *
 * <p>Long (a few minutes): opt-in with {@code -Dshoal.crash=true}, e.g.
 * {@code ./mvnw -pl integration-tests -am test -Dtest=CrashRestartTest -Dshoal.crash=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "shoal.crash", matches = "true")
class CrashRestartTest {

    private static final int ROUNDS = 4;
    private static final Duration LOAD_PER_ROUND = Duration.ofSeconds(6);

    @TempDir
    Path data;

    @Test
    void cleanStopsUnderLoadLoseNothingDuplicateNothingAndKeepFifoOrder() throws Exception {
        Run run = new Run(data, false);
        run.go();
        assertEquals(List.of(), run.violations(true));
    }

    @Test
    void killsUnderLoadLoseNothingAcknowledgedAndKeepFifoOrder() throws Exception {
        Run run = new Run(data, true);
        run.go();
        assertEquals(List.of(), run.violations(false));
    }

    /** One run: the stack restarted {@link #ROUNDS} times while clients keep going. */
    private static final class Run {
        private final Path data;
        private final boolean kill;
        private final int port;
        private final NativeClient client;
        private final Set<String> produced = ConcurrentHashMap.newKeySet();
        private final Map<String, Set<String>> idsByBody = new ConcurrentHashMap<>();
        private final Map<String, Integer> fifoAckedUpTo = new ConcurrentHashMap<>();
        private final List<String> violations = new CopyOnWriteArrayList<>();
        private final AtomicBoolean producing = new AtomicBoolean(true);
        private final AtomicBoolean consuming = new AtomicBoolean(true);
        private final AtomicInteger restarts = new AtomicInteger();

        Run(Path data, boolean kill) throws IOException {
            this.data = data;
            this.kill = kill;
            try (ServerSocket s = new ServerSocket(0)) {
                this.port = s.getLocalPort();
            }
            this.client = new NativeClient(URI.create("http://127.0.0.1:" + port));
        }

        void go() throws Exception {
            Process stack = start();
            Checks.expectStatus(201, client.put("/v1/queues/crash", "{\"visibilityTimeout\": \"5s\"}"));
            Checks.expectStatus(201, client.put("/v1/queues/crash.fifo", "{\"contentBasedDeduplication\": true, \"visibilityTimeout\": \"5s\"}"));
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                pool.submit(() -> produceStandard());
                pool.submit(() -> produceFifo());
                pool.submit(() -> consume("crash"));
                pool.submit(() -> consume("crash.fifo"));
                for (int round = 0; round < ROUNDS; round++) {
                    await().pollDelay(LOAD_PER_ROUND).atMost(LOAD_PER_ROUND.plusSeconds(5)).until(() -> true);
                    if (kill) stack.destroyForcibly(); else stack.destroy(); // SIGKILL or SIGTERM
                    assertTrue(stack.waitFor(60, TimeUnit.SECONDS), "the stack stopped");
                    stack = start();
                    restarts.incrementAndGet();
                }
                producing.set(false);
                // every acknowledged produce is delivered (an ack whose answer died with the stack may
                // have landed, so "delivered" is what a client can check, not "acked")
                try {
                    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                            .until(() -> idsByBody.keySet().containsAll(produced));
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    violations.add("not everything was delivered within 120 s after the last restart");
                }
            } finally {
                producing.set(false);
                consuming.set(false);
                pool.shutdown();
                pool.awaitTermination(90, TimeUnit.SECONDS);
                stack.destroy();
                stack.waitFor(60, TimeUnit.SECONDS);
            }
        }

        List<String> violations(boolean noDuplicates) {
            List<String> all = new ArrayList<>(violations);
            for (String b : produced) if (!idsByBody.containsKey(b)) all.add("acknowledged produce never delivered: " + b);
            if (noDuplicates) {
                idsByBody.forEach((b, ids) -> {
                    if (ids.size() > 1) all.add("committed twice after clean stops: " + b + " " + ids);
                });
            }
            assertTrue(produced.size() > 50, "the run made progress: " + produced.size());
            return all.subList(0, Math.min(all.size(), 20));
        }

        private Process start() throws IOException {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    LocalLauncher.class.getName(), "--port", Integer.toString(port), "--data", data.toString())
                    .redirectErrorStream(true).redirectOutput(data.resolveSibling(data.getFileName() + "-stack.log").toFile())
                    .start();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> client.get("/health").status() == 200);
            return p;
        }

        /** Batches of five, each sent until it is answered 200 (the same batch again after a failure). */
        private void produceStandard() {
            for (int batch = 0; producing.get(); batch++) {
                List<String> bodies = new ArrayList<>();
                for (int i = 0; i < 5; i++) bodies.add("s-" + batch + "-" + i);
                sendUntilAnswered("crash", bodies, null);
            }
        }

        /** Four groups, each in order: the next message only once the previous one was answered. */
        private void produceFifo() {
            for (int seq = 0; producing.get(); seq++) {
                for (int g = 0; g < 4 && producing.get(); g++) {
                    sendUntilAnswered("crash.fifo", List.of("g" + g + "-" + seq), "g" + g);
                }
            }
        }

        private void sendUntilAnswered(String queue, List<String> bodies, String group) {
            StringBuilder json = new StringBuilder("{\"messages\": [");
            for (int i = 0; i < bodies.size(); i++) {
                if (i > 0) json.append(',');
                json.append("{\"body\": \"").append(bodies.get(i)).append('"');
                if (group != null) json.append(", \"groupId\": \"").append(group).append('"');
                json.append('}');
            }
            json.append("]}");
            while (true) {
                try {
                    Response r = client.post("/v1/queues/" + queue + "/messages", json.toString());
                    if (r.status() == 200) {
                        produced.addAll(bodies);
                        return;
                    }
                } catch (RuntimeException down) {
                    // the stack is restarting
                }
                pause();
            }
        }

        private void consume(String queue) {
            while (consuming.get()) {
                List<JsonNode> got = new ArrayList<>();
                try {
                    Response r = client.post("/v1/queues/" + queue + "/receive", "{\"maxMessages\": 10, \"waitTime\": \"1s\"}");
                    if (r.status() != 200) {
                        pause();
                        continue;
                    }
                    r.json().path("messages").forEach(got::add);
                } catch (RuntimeException down) {
                    pause();
                    continue;
                }
                Map<String, Integer> batchLast = new HashMap<>();
                for (JsonNode m : got) {
                    String body = m.path("body").asText();
                    idsByBody.computeIfAbsent(body, b -> ConcurrentHashMap.newKeySet()).add(m.path("id").asText());
                    if (!m.path("groupId").isMissingNode() && !m.path("groupId").isNull()) {
                        String group = m.path("groupId").asText();
                        int seq = Integer.parseInt(body.substring(body.indexOf('-') + 1));
                        int allowed = Math.max(fifoAckedUpTo.getOrDefault(group, -1), batchLast.getOrDefault(group, -1)) + 1;
                        if (seq > allowed) violations.add("group " + group + ": " + seq + " delivered before " + (seq - 1) + " was acked");
                        batchLast.put(group, seq);
                        fifoAckedUpTo.merge(group, seq, Math::max); // the ack is attempted below
                    }
                }
                if (got.isEmpty()) continue;
                try {
                    // a refusal (503 while stopping) or no answer: the messages come back when their leases end
                    client.post("/v1/queues/" + queue + "/ack", "{\"receipts\": " + NativeApiTest.receipts(got) + "}");
                } catch (RuntimeException down) {
                    // the messages come back when their leases end (or the ack landed)
                }
            }
        }

        private static void pause() {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
