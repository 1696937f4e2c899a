package dev.shoal.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.functions.local.LocalLauncher;
import dev.shoal.it.NativeClient.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

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
 * <p>The standard queue is driven through the SQS face by the AWS SDK's {@code SqsClient}
 * ({@link #SQS_PRODUCERS} threads sending batches on kept-alive connections, the SDK retrying
 * as it does for any application): the traffic that lost committed sends' answers to the old
 * shutdown (one second of grace, then cut), which showed as duplicates on a clean restart. The
 * FIFO queue is driven through {@code /v1}, groups in order.
 *
 * <p>Long (a few minutes): opt-in with {@code -Dshoal.crash=true}, e.g.
 * {@code ./mvnw -pl integration-tests -am test -Dtest=CrashRestartTest -Dshoal.crash=true
 * -Dsurefire.failIfNoSpecifiedTests=false}; {@code -Dshoal.crash.rounds=N} restarts N times
 * (default {@value #DEFAULT_ROUNDS}).
 */
@EnabledIfSystemProperty(named = "shoal.crash", matches = "true")
class CrashRestartTest {

    static final int DEFAULT_ROUNDS = 8;
    private static final int ROUNDS = Integer.getInteger("shoal.crash.rounds", DEFAULT_ROUNDS);
    private static final Duration LOAD_PER_ROUND = Duration.ofSeconds(5);
    static final int SQS_PRODUCERS = 8;

    @TempDir
    Path data;

    @Test
    void cleanStopsUnderLoadLoseNothingDuplicateNothingAndKeepFifoOrder() throws Exception {
        Run run = new Run(data, false);
        run.go();
        System.out.println("CrashRestartTest clean stops: " + run.summary());
        assertEquals(List.of(), run.violations(true));
    }

    @Test
    void killsUnderLoadLoseNothingAcknowledgedAndKeepFifoOrder() throws Exception {
        Run run = new Run(data, true);
        run.go();
        System.out.println("CrashRestartTest kills: " + run.summary());
        assertEquals(List.of(), run.violations(false));
    }

    /** One run: the stack restarted {@link #ROUNDS} times while clients keep going. */
    private static final class Run {
        private final Path data;
        private final boolean kill;
        private final int port;
        private final NativeClient client;
        private final SqsClient sqs;
        private String queueUrl;
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
            this.sqs = SqsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port)).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                    .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(2))
                            .socketTimeout(Duration.ofSeconds(10)).build())
                    .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD))
                    .build();
        }

        void go() throws Exception {
            Process stack = start();
            queueUrl = sqs.createQueue(b -> b.queueName("crash").attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "5"))).queueUrl();
            Checks.expectStatus(201, client.put("/v1/queues/crash.fifo", "{\"contentBasedDeduplication\": true, \"visibilityTimeout\": \"5s\"}"));
            ExecutorService pool = Executors.newFixedThreadPool(SQS_PRODUCERS + 4);
            try {
                for (int t = 0; t < SQS_PRODUCERS; t++) {
                    int thread = t;
                    pool.submit(() -> produceStandard(thread));
                }
                pool.submit(() -> produceFifo());
                pool.submit(() -> consumeSqs());
                pool.submit(() -> consumeSqs());
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
                sqs.close();
            }
        }

        /** What the run saw, for the report: sends acknowledged, bodies delivered, restarts. */
        String summary() {
            long duplicated = idsByBody.values().stream().filter(ids -> ids.size() > 1).count();
            return "acknowledged " + produced.size() + ", delivered " + idsByBody.size() + ", committed twice " + duplicated
                    + ", restarts " + restarts.get();
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

        /**
         * Batches of five through {@code SendMessageBatch}, each sent until every entry is answered
         * (the same entries again after a failure: what an application does with an error it cannot
         * tell from a loss).
         */
        private void produceStandard(int thread) {
            for (int batch = 0; producing.get(); batch++) {
                List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    entries.add(SendMessageBatchRequestEntry.builder().id("e" + i).messageBody("s-" + thread + "-" + batch + "-" + i).build());
                }
                while (!entries.isEmpty()) {
                    try {
                        List<SendMessageBatchRequestEntry> sending = entries;
                        var answer = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(sending));
                        Set<String> ok = new java.util.HashSet<>();
                        answer.successful().forEach(r -> ok.add(r.id()));
                        entries.stream().filter(e -> ok.contains(e.id())).forEach(e -> produced.add(e.messageBody()));
                        entries = entries.stream().filter(e -> !ok.contains(e.id())).toList();
                    } catch (SdkException down) {
                        // the stack is restarting, or the answer was lost: send the same entries again
                    }
                    if (!entries.isEmpty()) pause();
                }
            }
        }

        private void consumeSqs() {
            while (consuming.get()) {
                List<Message> got;
                try {
                    got = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
                } catch (SdkException down) {
                    pause();
                    continue;
                }
                for (Message m : got) {
                    idsByBody.computeIfAbsent(m.body(), b -> ConcurrentHashMap.newKeySet()).add(m.messageId());
                }
                if (got.isEmpty()) continue;
                List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
                for (int i = 0; i < got.size(); i++) {
                    deletes.add(DeleteMessageBatchRequestEntry.builder().id("d" + i).receiptHandle(got.get(i).receiptHandle()).build());
                }
                try {
                    sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(deletes));
                } catch (SdkException down) {
                    // the messages come back when their visibility ends (or the delete landed)
                }
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
