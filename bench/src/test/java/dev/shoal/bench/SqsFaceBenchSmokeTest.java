package dev.shoal.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bench sqs runs on both targets at a tiny rate, in seconds, and produces figures; their values are not checked. */
class SqsFaceBenchSmokeTest {

    @TempDir
    Path charts;

    @Test
    void tinyStandardRunReceivesEveryMessageOnBothTargetsAndPrintsLatencyAndCostRowsAndCharts() {
        List<SqsLoad.Result> results = SqsFaceBench.run(SqsFaceBench.TARGETS, List.of(config(10, 0)), 0);

        assertEquals(2, results.size());
        for (SqsLoad.Result r : results) {
            assertTrue(r.sent() > 0 && r.received() == r.sent(), r.target() + ": " + r.received() + " of " + r.sent() + " received");
            assertEquals(r.received(), r.endToEnd().count(), "a latency per message received");
            assertEquals(0, r.errorCount(), r.errors().toString());
            assertTrue(r.calls().get("SendMessage") >= r.sent() && r.calls().get("ReceiveMessage") > 0 && r.calls().get("DeleteMessageBatch") > 0,
                    r.calls().toString());
        }
        SqsLoad.Result shoal = results.getFirst();
        assertEquals("shoal", shoal.target());
        // small flushes ride inline in their log entries (ADR 0016): at this rate S3 may see no request at all
        assertTrue(shoal.usage().dynamoWriteUnits() > 0 && shoal.usage().dynamoReadUnits() > 0, "the meter counted Shoal's storage calls");

        String out = print(results, false);
        assertTrue(out.contains("| shoal     | 10 "), out);
        assertTrue(out.contains("| elasticmq | 10 "), out);
        assertTrue(out.contains("SQS $/M") && out.contains("Shoal $/M"), out);
        assertTrue(out.contains("p50 Shoal / limit 3x+5"), out);
        for (String png : List.of("sqs-cost.png", "sqs-latency.png", "sqs-rate.png")) {
            assertTrue(Files.isRegularFile(charts.resolve(png)), png);
            assertTrue(out.contains("(" + charts.resolve(png) + ")"), "markdown image line for " + png);
        }
    }

    @Test
    void tinyFifoRunOverGroupsReceivesEveryMessageOnBothTargets() {
        List<SqsLoad.Result> results = SqsFaceBench.run(SqsFaceBench.TARGETS, List.of(config(10, 3)), 0);

        for (SqsLoad.Result r : results) {
            assertTrue(r.sent() > 0 && r.received() == r.sent() && r.duplicates() == 0,
                    r.target() + ": " + r.received() + " of " + r.sent() + " received, " + r.duplicates() + " twice, errors " + r.errors());
        }
        assertTrue(print(results, true).contains("FIFO queue (MessageGroupId over 3 groups"));
    }

    @Test
    void aSendersListThatMatchesNeitherOneNorEveryRateIsRejected() {
        Options o = Options.parse(List.of("--rate", "20,200,300", "--senders", "8,64"));

        Options.UsageException e = assertThrows(Options.UsageException.class,
                () -> SqsFaceBench.main(o, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Charts.Output.off()));

        assertEquals("--senders takes one count, or one per --rate (3), was [8, 64]", e.getMessage());
    }

    @Test
    void shoalQueueAttributesAreNameValuePairsAndAnythingElseIsRejected() {
        assertEquals(java.util.Map.of("DelaySeconds", "0", "VisibilityTimeout", "30"), SqsFaceBench.attributes("VisibilityTimeout=30, DelaySeconds=0"));
        assertEquals(java.util.Map.of(), SqsFaceBench.attributes(""));

        Options.UsageException e = assertThrows(Options.UsageException.class, () -> SqsFaceBench.attributes("VisibilityTimeout"));
        assertEquals("--shoal-attributes takes Name=Value pairs separated by commas, was 'VisibilityTimeout'", e.getMessage());
    }

    @Test
    void timedBodiesCarryTheirSequenceAndDueTimeAtTheSizeAsked() {
        TimedBodies bodies = new TimedBodies(256);

        String body = bodies.body(42, 1_234_567);

        assertEquals(256, body.length());
        assertEquals(42, TimedBodies.seq(body));
        assertEquals(1_234_567, TimedBodies.dueMicros(body));
        assertTrue(body.startsWith("{") && body.endsWith("]}"), body);
    }

    private static SqsLoad.Config config(int rate, int groups) {
        return new SqsLoad.Config(rate, 2, 2, 1, 1, 256, groups, 10);
    }

    private String print(List<SqsLoad.Result> results, boolean fifo) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        SqsFaceReport.print(out, results, fifo);
        SqsFaceReport.chart(out, new Charts.Output(charts, "./shoal bench sqs (test)", "test machine"), fifo ? "sqs-fifo" : "sqs", results, fifo);
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
