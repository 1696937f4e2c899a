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

/** The harness runs end to end on the embedded stack, in seconds; its figures are not checked. */
class BenchSmokeTest {

    @Test
    void tinyProduceRunPrintsThroughputUnitsAndTheCodecComparison() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProduceBench.main(Options.parse(List.of("--messages", "200", "--batch", "10", "--producers", "2", "--warmup", "0",
                "--codec-millis", "10")), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertTrue(out.contains("| 1024 "), out);
        assertTrue(out.contains("WCU/msg"), out);
        assertTrue(out.contains("(enc+dec)/zstd"), out);
    }

    @Test
    void tinyEndToEndRunDrawsItsCostAgainstMessagesPerCallChart(@TempDir Path charts) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        EndToEndBench.main(Options.parse(List.of("--pairs", "10/10,100/100", "--messages", "200")),
                new PrintStream(bytes, true, StandardCharsets.UTF_8), new Charts.Output(charts, "./shoal bench e2e (test)", "test machine"));
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertTrue(out.contains("| 100/100 "), out);
        assertTrue(Files.isRegularFile(charts.resolve("e2e-cost.png")), out);
        assertTrue(out.contains("![cost per million messages against messages per call](" + charts.resolve("e2e-cost.png") + ")"), out);
    }

    @Test
    void quickAllRunsEveryStepAndDrawsTheEndToEndAndSqsFaceCharts(@TempDir Path charts) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        All.main(Options.parse(List.of("--quick")), new PrintStream(bytes, true, StandardCharsets.UTF_8),
                new Charts.Output(charts, "./shoal bench all --quick", "test machine"));
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertTrue(out.contains("All steps took"), out);
        for (String png : List.of("e2e-cost.png", "sqs-cost.png", "sqs-latency.png", "sqs-rate.png")) {
            assertTrue(Files.isRegularFile(charts.resolve(png)), png + " in " + out);
        }
    }

    @Test
    void unknownOptionsAreRejectedByName() {
        Options options = Options.parse(List.of("--mesages", "10"));
        options.longValue("messages", 1);

        Options.UsageException e = assertThrows(Options.UsageException.class, options::rejectUnknown);
        assertEquals("unknown option --mesages", e.getMessage());
    }

    @Test
    void sqsNeedsThreeRequestsPerMessageUnbatchedAndATenthOfThatInBatchesOfTen() {
        assertEquals(3.0, Prices.sqsRequestsPerMessage(1, 1, 1024), 1e-9);
        assertEquals(0.3, Prices.sqsRequestsPerMessage(100, 100, 1024), 1e-9);
    }
}
