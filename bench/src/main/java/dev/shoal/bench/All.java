package dev.shoal.bench;

import java.io.PrintStream;
import java.util.List;

/**
 * Everything BENCHMARKS.md shows, in the order it shows it: each step prints the command that
 * reproduces it on its own, then its tables, and draws its charts (captioned with that command). {@code --quick} shrinks every run to seconds (the
 * smoke test uses it); its figures mean nothing.
 */
final class All {

    private All() {
    }

    static void main(Options o, PrintStream out, Charts.Output charts) {
        boolean quick = o.flag("quick", false);
        o.rejectUnknown();
        List<List<String>> steps = quick ? quickSteps() : fullSteps();
        long start = System.nanoTime();
        for (List<String> step : steps) {
            out.println("#### " + step.getFirst());
            out.println();
            String[] args = step.subList(1, step.size()).toArray(String[]::new);
            out.println("Command: `./shoal bench " + String.join(" ", args) + "`");
            out.println();
            Options options = Options.parse(List.of(args).subList(1, args.length));
            Charts.Output stepCharts = charts.withCommand("./shoal bench " + String.join(" ", args));
            switch (args[0]) {
                case "produce" -> ProduceBench.main(options, out);
                case "commit-protocols" -> CommitProtocolsBench.main(options, out);
                case "e2e" -> EndToEndBench.main(options, out, stepCharts);
                case "backlog" -> BacklogBench.main(options, out);
                case "sqs" -> SqsFaceBench.main(options, out, stepCharts);
                default -> throw new IllegalStateException(args[0]);
            }
            out.flush();
        }
        out.println("All steps took " + Table.f((System.nanoTime() - start) / 60e9, 1) + " minutes.");
    }

    private static List<List<String>> fullSteps() {
        return List.of(
                List.of("Produce (benchmark v0), one producer", "produce", "--calls", "1000", "--max-messages", "200000",
                        "--size", "1024", "--batch", "1,10,100,1000"),
                List.of("Produce, 8 producers on 1 and on 8 partitions", "produce", "--calls", "1000", "--size", "1024",
                        "--batch", "100", "--producers", "8", "--partitions", "1,8", "--codec-millis", "0"),
                List.of("Commit protocols under contention", "commit-protocols", "--producers", "1,8,64", "--commits", "2000"),
                List.of("End to end, consumer with its own segment cache", "e2e", "--pairs", "1/1,10/10,100/100,100/10,10/100,1000/1000",
                        "--messages", "10000"),
                List.of("End to end, consumer without a segment cache", "e2e", "--pairs", "100/100,100/10,1000/100",
                        "--messages", "10000", "--consumer-cache-mib", "0"),
                List.of("Receive cost against backlog and leases", "backlog", "--backlogs", "1000,1000000", "--receives", "200",
                        "--batches", "10,100", "--in-flight", "100000"),
                List.of("The SQS face through an unchanged SqsClient, beside ElasticMQ", "sqs", "--rate", "20,200,300", "--senders", "8,8,64",
                        "--seconds", "20"));
    }

    private static List<List<String>> quickSteps() {
        return List.of(
                List.of("Produce (quick)", "produce", "--messages", "200", "--batch", "10", "--warmup", "0", "--codec-millis", "20"),
                List.of("Commit protocols (quick)", "commit-protocols", "--producers", "4", "--commits", "20", "--warmup", "0"),
                List.of("End to end (quick)", "e2e", "--pairs", "10/10,100/100", "--messages", "100"),
                List.of("Backlog (quick)", "backlog", "--backlogs", "100", "--receives", "5", "--batches", "10",
                        "--produce-batch", "100", "--producers", "1", "--in-flight", "100"),
                List.of("SQS face (quick)", "sqs", "--rate", "5,10", "--senders", "2", "--receivers", "2", "--seconds", "1",
                        "--wait-seconds", "1", "--drain-seconds", "5", "--warmup-seconds", "0"));
    }
}
