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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bench fifo and bench sdk run end to end on tiny inputs, in seconds; their figures are not checked, sdk's charts are drawn. */
class FifoAndSdkBenchSmokeTest {

    @Test
    void stampedBodiesAreDistinctSizedAndCarryTheirSequence() {
        Stamped bodies = new Stamped(Payloads.of("json", 1024, 1), 1024);
        byte[] a = bodies.body(7), b = bodies.body(7 + Payloads.POOL);
        assertEquals(1024, a.length);
        assertEquals(7, Stamped.seq(a));
        assertEquals(7 + Payloads.POOL, Stamped.seq(new String(b, StandardCharsets.US_ASCII)));
        assertFalse(java.util.Arrays.equals(a, b), "content-based deduplication would drop a repeated body");
    }

    @Test
    void tinyFifoRunChecksOrderAndPrintsUnitsPerMessage() {
        String out = run(FifoBench::main, "--groups", "3,50", "--messages", "120", "--warmup", "0");
        assertTrue(out.contains("| FIFO "), out);
        assertTrue(out.contains("all once, in order"), out);
        assertTrue(out.contains("x standard (this run)"), out);
        assertFalse(out.contains("STOPPED"), out);
    }

    @Test
    void tinySdkRunHandlesEveryMessageOnEachTargetAndDrawsItsCharts(@TempDir Path charts) {
        Charts.Output output = new Charts.Output(charts, "./shoal bench sdk (test)", "test machine");
        String out = run((o, printer) -> SdkBench.main(o, printer, output), "--messages", "60", "--rates", "20", "--paced-seconds", "1",
                "--consumers", "2", "--partitions", "2", "--warmup", "0", "--time-limit-s", "60");
        for (String target : List.of("| direct, 2 partitions ", "| http, 2 partitions ", "| elasticmq ")) {
            assertTrue(out.contains(target), out);
        }
        assertFalse(out.contains("STOPPED"), out);
        assertTrue(out.contains("ReceiveMessage"), out);
        assertTrue(Files.isRegularFile(charts.resolve("sdk-latency.png")) && Files.isRegularFile(charts.resolve("sdk-rate.png")), out);
    }

    private static String run(java.util.function.BiConsumer<Options, PrintStream> bench, String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bench.accept(Options.parse(List.of(args)), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
