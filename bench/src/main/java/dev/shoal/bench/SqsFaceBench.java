package dev.shoal.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Issue 10's SQS-face load: an unchanged AWS SDK {@code SqsClient}, single-message sends from
 * many threads at an offered rate, receives of 10 with long polling and batch deletes, against
 * Shoal's SQS face and ElasticMQ in the same run (see {@link SqsLoad} for how a run is paced
 * and timed). For each offered rate, Shoal runs first, then ElasticMQ, one at a time.
 * {@link SqsFaceReport} prints the tables and draws the charts.
 */
final class SqsFaceBench {

    static final List<String> TARGETS = List.of("shoal", "elasticmq");

    private SqsFaceBench() {
    }

    static void main(Options o, PrintStream out, Charts.Output charts) {
        List<Integer> rates = o.integers("rate", List.of(20, 200));
        List<Integer> senders = o.integers("senders", List.of(8));
        int receivers = o.integer("receivers", 4);
        long seconds = o.longValue("seconds", 10);
        int waitSeconds = o.integer("wait-seconds", 2);
        int size = o.integer("size", 1024);
        boolean fifo = o.flag("fifo", false);
        int groups = o.integer("groups", 10);
        long drainSeconds = o.longValue("drain-seconds", 10);
        // 3 s left the first rate of a run slower than later, higher ones: JIT and DynamoDB Local warm up for longer
        long warmupSeconds = o.longValue("warmup-seconds", 10);
        Map<String, String> shoalAttributes = attributes(o.string("shoal-attributes", ""));
        List<String> targets = Arrays.stream(o.string("targets", String.join(",", TARGETS)).split(",")).map(String::trim).toList();
        String prefix = o.string("chart-prefix", fifo ? "sqs-fifo" : "sqs");
        o.rejectUnknown();
        if (rates.isEmpty() || rates.stream().anyMatch(r -> r < 1)) throw new Options.UsageException("--rate takes positive messages per second, like 20,200,300");
        if (senders.size() != 1 && senders.size() != rates.size()) {
            throw new Options.UsageException("--senders takes one count, or one per --rate (" + rates.size() + "), was " + senders);
        }
        if (senders.stream().anyMatch(s -> s < 1) || receivers < 1 || seconds < 1 || drainSeconds < 0 || warmupSeconds < 0) {
            throw new Options.UsageException("--senders, --receivers and --seconds must be positive, --drain-seconds and --warmup-seconds at least 0");
        }
        if (waitSeconds < 0 || waitSeconds > 20) throw new Options.UsageException("--wait-seconds must be 0-20 (SQS's WaitTimeSeconds), was " + waitSeconds);
        if (fifo && groups < 1) throw new Options.UsageException("--groups must be at least 1, was " + groups);
        if (targets.isEmpty() || !TARGETS.containsAll(targets)) throw new Options.UsageException("--targets takes shoal and elasticmq, was " + targets);

        List<SqsLoad.Config> configs = new ArrayList<>();
        for (int i = 0; i < rates.size(); i++) {
            configs.add(new SqsLoad.Config(rates.get(i), senders.get(senders.size() == 1 ? 0 : i), receivers, seconds, waitSeconds, size,
                    fifo ? groups : 0, drainSeconds));
        }
        List<SqsLoad.Result> results = run(targets, configs, warmupSeconds, shoalAttributes);
        SqsFaceReport.print(out, results, fifo);
        SqsFaceReport.chart(out, charts, prefix, results, fifo);
    }

    /** {@code Name=Value,Name=Value}: CreateQueue attributes for Shoal's queues. */
    static Map<String, String> attributes(String text) {
        Map<String, String> out = new TreeMap<>();
        for (String pair : text.split(",")) {
            if (pair.isBlank()) continue;
            int eq = pair.indexOf('=');
            if (eq <= 0) throw new Options.UsageException("--shoal-attributes takes Name=Value pairs separated by commas, was '" + text + "'");
            out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return out;
    }

    static List<SqsLoad.Result> run(List<String> targets, List<SqsLoad.Config> configs, long warmupSeconds) {
        return run(targets, configs, warmupSeconds, Map.of());
    }

    /** Every config on every target, in order: for each config, each target in turn. */
    static List<SqsLoad.Result> run(List<String> targets, List<SqsLoad.Config> configs, long warmupSeconds, Map<String, String> shoalAttributes) {
        int connections = configs.stream().mapToInt(c -> c.senders() + c.receivers()).max().orElse(16) + 8;
        List<SqsLoad.Result> results = new ArrayList<>();
        BenchStack stack = targets.contains("shoal") ? BenchStack.start() : null;
        List<SqsEndpoint> endpoints = new ArrayList<>();
        try {
            for (String t : targets) {
                endpoints.add(t.equals("shoal") ? SqsEndpoint.shoal(stack, connections, shoalAttributes) : SqsEndpoint.elasticMq(connections));
            }
            int n = 0;
            for (SqsEndpoint e : endpoints) {
                if (warmupSeconds == 0) break;
                SqsLoad.Config first = configs.getFirst();
                Bench.progress("sqs: %s, warm-up (%d s at 50 msg/s)", e.name(), warmupSeconds);
                SqsLoad.run(e, "sqs-warmup-" + (n++), new SqsLoad.Config(50, 8, first.receivers(), warmupSeconds, first.waitSeconds(),
                        first.size(), first.groups(), first.drainSeconds()));
            }
            for (SqsLoad.Config c : configs) {
                for (SqsEndpoint e : endpoints) {
                    Bench.progress("sqs: %s, %.0f msg/s for %.0f s, %d senders, %d receivers%s", e.name(), c.rate(), c.seconds(), c.senders(),
                            c.receivers(), c.fifo() ? ", FIFO over " + c.groups() + " groups" : "");
                    var callsBefore = e.calls();
                    SqsLoad.Result r = SqsLoad.run(e, "sqs-" + e.name() + "-" + (n++), c);
                    if (!callsBefore.isEmpty() || !e.calls().isEmpty()) {
                        Bench.progress("sqs: %s storage calls: %s", e.name(), CallTimer.describe(e.calls(), callsBefore, r.received()));
                    }
                    Bench.progress("sqs: %s: %d sent, %d received, p50 %.1f ms, p99 %.1f ms, %d errors", e.name(), r.sent(), r.received(),
                            r.endToEnd().percentileMillis(50), r.endToEnd().percentileMillis(99), r.errorCount());
                    results.add(r);
                }
            }
        } finally {
            endpoints.forEach(SqsEndpoint::close);
            if (stack != null) stack.close();
        }
        return results;
    }
}
