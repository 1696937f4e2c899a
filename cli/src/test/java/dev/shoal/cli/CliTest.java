package dev.shoal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.shoal.functions.local.LauncherOptions;
import dev.shoal.functions.local.LocalLauncher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every command of the CLI against the real local stack ({@link LocalLauncher}), over HTTP. */
class CliTest {

    @TempDir
    static java.nio.file.Path data;
    static LocalLauncher launcher;

    @BeforeAll
    static void start() {
        launcher = LocalLauncher.start(LauncherOptions.defaults().withPort(0).withDataDir(data));
    }

    @AfterAll
    static void stop() {
        launcher.close();
    }

    record Result(int exit, String out, String err) {
        JsonNode json() {
            try {
                return ApiClient.JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + out, e);
            }
        }
    }

    static Result shoalWithInput(String stdin, String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int exit = ShoalCli.run(args, Map.of("SHOAL_ENDPOINT", launcher.endpoint().toString()),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), new PrintWriter(out), new PrintWriter(err));
        return new Result(exit, out.toString(), err.toString());
    }

    static Result shoal(String... args) {
        return shoalWithInput("", args);
    }

    static Result ok(String... args) {
        Result r = shoal(args);
        assertEquals(0, r.exit(), () -> String.join(" ", args) + " failed: " + r.err() + r.out());
        return r;
    }

    static long depth(String queue) {
        return ok("describe", queue, "--json").json().path("stats").path("visible").asLong();
    }

    @Test
    void queuesAreCreatedListedWithTheirDepthDescribedAndDeleted() {
        assertTrue(ok("create", "orders", "--partitions", "2", "--retention", "7d").out().contains("queue orders is ready (2 partition(s), retention 7d)"));
        assertEquals(0, ok("create", "orders", "--partitions", "2", "--retention", "7d").exit(), "the same settings again: left alone");
        ok("send", "orders", "one", "two", "three");

        String table = ok("queues", "--prefix", "ord").out();
        assertTrue(table.startsWith("QUEUE"), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("orders\\s+standard\\s+3\\s+0\\s+0\\s+\\S+")), table);
        JsonNode listed = ok("queues", "--json", "--prefix", "ord").json();
        assertEquals("orders", listed.get(0).path("name").asText());
        assertEquals(3, listed.get(0).path("stats").path("visible").asLong());
        assertTrue(ok("describe", "orders").out().lines().anyMatch(l -> l.matches("depth\\s+3 visible, 0 in flight, 0 delayed; oldest \\S+")));

        Result conflict = shoal("create", "orders", "--partitions", "3");
        assertEquals(CliException.REFUSED, conflict.exit());
        assertTrue(conflict.err().contains("QueueAlreadyExists"), conflict.err());

        assertTrue(ok("delete", "orders").out().contains("deleted queue orders"));
        Result gone = shoal("describe", "orders");
        assertEquals(CliException.NOT_FOUND, gone.exit());
        assertTrue(gone.err().startsWith("shoal describe: GET /v1/queues/orders answered 404 QueueNotFound"), gone.err());
    }

    @Test
    void sendReadsStandardInputInBatchesWithAProgressBarAndPeekShowsWithoutLeasing() {
        ok("create", "bulk");
        String lines = IntStream.range(0, 250).mapToObj(i -> "line " + i).collect(Collectors.joining("\n")) + "\n";
        Result sent = shoalWithInput(lines, "send", "bulk", "--batch", "100", "--progress", "-a", "source=stdin");
        assertEquals(0, sent.exit(), sent.err());
        assertTrue(sent.out().contains("sent 250 message(s) to bulk (0-0 .. 0-249)"), sent.out());
        assertTrue(sent.err().contains("[##############################] 250/250 messages"), sent.err());
        assertTrue(sent.err().contains("100/250 messages"), "the bar moved per batch: " + sent.err());

        String peeked = ok("peek", "bulk", "-n", "2").out();
        assertEquals(List.of("0-0  line 0  {source=stdin}", "0-1  line 1  {source=stdin}"), peeked.lines().toList());
        JsonNode page = ok("peek", "bulk", "--partition", "0", "--offset", "249", "--json").json();
        assertEquals("line 249", page.get(0).path("body").asText());
        assertEquals(250, depth("bulk"), "peeking leased nothing");
        assertEquals(0, ok("describe", "bulk", "--json").json().path("stats").path("inFlight").asLong());
    }

    @Test
    void receiveLeavesOrAcksAndTailStopsWhenEmptyOrAfterALimit() {
        ok("create", "work");
        ok("send", "work", "a", "b", "c", "d");
        Result left = ok("receive", "work", "-n", "1");
        assertEquals("0-0  a", left.out().strip());
        assertEquals(1, ok("describe", "work", "--json").json().path("stats").path("inFlight").asLong(), "left in flight");

        JsonNode acked = ok("receive", "work", "-n", "1", "--ack", "--json").json();
        assertEquals("b", acked.get(0).path("body").asText());

        Result tail = ok("tail", "work", "--ack");
        assertEquals(List.of("0-2  c", "0-3  d"), tail.out().lines().toList());
        assertEquals(0, depth("work"));

        ok("send", "work", "e", "f", "g");
        Result followed = ok("tail", "work", "-f", "--limit", "2", "--ack", "--json");
        List<String> lines = followed.out().lines().toList();
        assertEquals(2, lines.size(), followed.out());
        assertTrue(lines.get(0).startsWith("{") && lines.get(0).contains("\"body\":\"e\""), lines.get(0));
        assertEquals("0-6  g", ok("receive", "work", "-s", "default", "-n", "5").out().strip(), "g is left; a is still leased");
    }

    @Test
    void subscriptionsAreListedAndSeekMovesThemByOffsetTimeOrEdge() throws Exception {
        ok("create", "events");
        ok("send", "events", "e0", "e1", "e2");
        var http = java.net.http.HttpClient.newHttpClient();
        var put = java.net.http.HttpRequest.newBuilder(java.net.URI.create(launcher.endpoint() + "/v1/queues/events/subscriptions/audit"))
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build();
        assertEquals(201, http.send(put, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode());

        String table = ok("subscriptions", "events").out();
        assertTrue(table.lines().anyMatch(l -> l.matches("audit\\s+0\\s+0\\s+0\\s+-\\s+pull\\s+-")), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("default\\s+3\\s+.*")), table);

        assertTrue(ok("seek", "events", "-s", "audit", "--to", "earliest").out().contains("moved events/audit to earliest"));
        assertEquals(3, audit("events"));
        ok("seek", "events", "-s", "audit", "--to-offset", "2");
        assertEquals(1, audit("events"));
        ok("seek", "events", "-s", "audit", "--to-time", "2000-01-01T00:00:00Z");
        assertEquals(3, audit("events"));
        ok("seek", "events", "--to", "latest");
        assertEquals(0, depth("events"));

        Result both = shoal("seek", "events", "--to", "earliest", "--to-offset", "1");
        assertEquals(CliException.USAGE, both.exit(), "one target only");
        Result badTime = shoal("seek", "events", "--to-time", "yesterday");
        assertEquals(CliException.USAGE, badTime.exit());
        assertTrue(badTime.err().contains("ISO-8601"), badTime.err());
    }

    private static long audit(String queue) {
        JsonNode subs = ok("subscriptions", queue, "--json").json();
        for (JsonNode s : subs) if (s.path("name").asText().equals("audit")) return s.path("stats").path("visible").asLong();
        throw new AssertionError("no audit subscription: " + subs);
    }

    @Test
    void redriveMovesDeadLettersBackWithProgressAndPurgeEmptiesAQueue() {
        ok("create", "jobs-dlq");
        ok("create", "jobs", "--dead-letter", "jobs-dlq", "--max-receive-count", "1");
        ok("send", "jobs", "j1", "j2");
        ok("receive", "jobs", "-n", "10", "--visibility-timeout", "0s"); // first delivery, released at once
        ok("receive", "jobs", "-n", "10"); // a second delivery is past maxReceiveCount: they move to the DLQ
        await().atMost(Duration.ofSeconds(20)).until(() -> depth("jobs-dlq") == 2);
        String dead = ok("peek", "jobs-dlq").out();
        assertTrue(dead.contains("shoal.source.queue=jobs"), dead);

        Result redriven = ok("redrive", "jobs-dlq", "--progress");
        assertTrue(redriven.out().contains("moved 2 dead letter(s) out of jobs-dlq"), redriven.out());
        assertTrue(redriven.err().contains("2/2 dead letters"), redriven.err());
        assertEquals(0, depth("jobs-dlq"));
        await().atMost(Duration.ofSeconds(20)).until(() -> depth("jobs") == 2);

        assertTrue(ok("purge", "jobs").out().contains("purged queue jobs"));
        assertEquals(0, depth("jobs"));
    }

    @Test
    void everyCommandHasHelpAndBadUsageOrAMissingApiIsReportedWithItsExitCode() {
        for (String command : List.of("queues", "create", "describe", "delete", "purge", "send", "receive", "tail", "peek",
                "subscriptions", "seek", "redrive")) {
            Result help = shoal(command, "--help");
            assertEquals(0, help.exit(), command);
            assertTrue(help.out().startsWith("Usage: shoal " + command), help.out());
        }
        assertTrue(ok("--help").out().contains("Exit codes:"));
        assertEquals(CliException.USAGE, shoal("queues", "--colour").exit());
        assertEquals(CliException.USAGE, shoal("create").exit());
        Result nothing = shoal("send", "missing-queue");
        assertEquals(CliException.USAGE, nothing.exit());
        assertTrue(nothing.err().contains("nothing to send"), nothing.err());

        Result invalid = shoal("create", "bad", "--partitions", "0");
        assertEquals(CliException.REFUSED, invalid.exit());
        assertTrue(invalid.err().contains("partitions"), invalid.err());

        Result down = shoal("queues", "--endpoint", "http://127.0.0.1:1");
        assertEquals(CliException.UNAVAILABLE, down.exit());
        assertTrue(down.err().contains("cannot reach the Shoal API at http://127.0.0.1:1"), down.err());
        assertEquals(CliException.USAGE, shoal("queues", "--endpoint", "not a url").exit());
    }

    @Test
    void requestsToADeployedEndpointAreSignedWithSigV4ForExecuteApi() throws IOException {
        HttpServer capture = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicReference<String> authorization = new AtomicReference<>();
        capture.createContext("/", exchange -> {
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = "{\"queues\":[]}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        capture.start();
        System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
        System.setProperty("aws.secretAccessKey", "secret");
        try {
            ok("queues", "--endpoint", "http://127.0.0.1:" + capture.getAddress().getPort() + "/prod", "--sign", "--region", "eu-west-1");
            String auth = authorization.get();
            assertTrue(auth != null && auth.startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") && auth.contains("/eu-west-1/execute-api/"), auth);
            ok("queues", "--endpoint", "http://127.0.0.1:" + capture.getAddress().getPort());
            assertEquals(null, authorization.get(), "a local endpoint is not signed");
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
            capture.stop(0);
        }
    }
}
