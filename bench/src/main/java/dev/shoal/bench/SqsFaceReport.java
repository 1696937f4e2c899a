package dev.shoal.bench;

import dev.shoal.storage.metering.Meter;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** The SQS-face benchmark's tables and charts, from its results. */
final class SqsFaceReport {

    private SqsFaceReport() {
    }

    static void print(PrintStream out, List<SqsLoad.Result> results, boolean fifo) {
        SqsLoad.Config any = results.getFirst().config();
        out.println((fifo ? "FIFO queue (MessageGroupId over " + any.groups() + " groups, a deduplication id per message)" : "Standard queue")
                + ", " + any.size() + " B bodies, unchanged AWS SDK v2 SqsClient (apache5 HTTP client) on each target: sender threads each "
                + "making single-message SendMessage calls on an open-loop schedule (whichever sender is free takes the next due message), "
                + any.receivers() + " receiver threads looping ReceiveMessage (10, WaitTimeSeconds " + any.waitSeconds()
                + ", visibility 30 s) then DeleteMessageBatch of what they got. Each rate runs " + Table.f(any.seconds(), 0)
                + " s on Shoal's SQS face, then on ElasticMQ. Latency is from the time a message was due to be sent (stamped in its "
                + "body) to the return of the ReceiveMessage that first got it; a message no sender reached by 1 s after the schedule's "
                + "end is not sent. Receivers get " + Table.f(any.drainSeconds(), 0) + " s after the last send to get the rest.");
        out.println();
        Table t = new Table("target", "offered msg/s", "senders", "sent", "not sent", "accepted msg/s", "received", "received msg/s",
                "send p50 / p99 ms", "delete p50 / p99 ms", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "errors", "twice", "keeps up");
        for (SqsLoad.Result r : results) {
            SqsLoad.Config c = r.config();
            double[] p = r.endToEnd().percentilesMillis(50, 99, 99.9, 100);
            t.row(r.target(), Table.n(Math.round(c.rate())), c.senders(), Table.n(r.sent()), Table.n(c.scheduled() - r.sent()),
                    Table.f(r.acceptedRate(), 1), Table.n(r.received()), Table.f(r.receivedRate(), 1),
                    Table.f(r.sendFromSchedule().percentileMillis(50), 1) + " / " + Table.f(r.sendFromSchedule().percentileMillis(99), 1),
                    Table.f(r.deleteCall().percentileMillis(50), 1) + " / " + Table.f(r.deleteCall().percentileMillis(99), 1),
                    Table.f(p[0], 1), Table.f(p[1], 1), Table.f(p[2], 1), Table.f(p[3], 1), errors(r), Table.n(r.duplicates()),
                    r.keptUp() ? "yes" : "NO");
        }
        t.print(out);

        double sqsPrice = fifo ? Prices.SQS_FIFO_REQUEST : Prices.SQS_REQUEST;
        out.println("Calls made per message received, and cost per million messages. SQS: the price of the requests this run made ("
                + (fifo ? "$0.50" : "$0.40") + " per million; every ReceiveMessage counts, empty ones too, and each started 64 KiB of "
                + "payload). Shoal: the DynamoDB units and S3 requests its engine's metered clients counted during the run, at the "
                + "list prices above; `+ front door` adds API Gateway ($1.00 per million) and Lambda ($0.20 per million) for each "
                + "call, Lambda compute not included.");
        out.println();
        Table c = new Table("target", "offered msg/s", "received", "SendMessage/msg", "ReceiveMessage/msg (empty)", "DeleteMessageBatch/msg",
                "SQS $/M", "WCU/msg", "RCU/msg", "S3/msg", "Shoal $/M", "+ front door $/M", "Shoal / SQS");
        for (SqsLoad.Result r : results) {
            double n = Math.max(1, r.received());
            Map<String, Long> calls = r.calls();
            double sqs = r.sqsBillableRequests() * sqsPrice / n * 1e6;
            Meter.Usage u = r.usage();
            String wcu = "-", rcu = "-", s3 = "-", shoal = "-", front = "-", ratio = "-";
            if (u != null) {
                double dollars = Prices.dollars(u) / n * 1e6;
                wcu = Table.f(u.dynamoWriteUnits() / n, 3);
                rcu = Table.f(u.dynamoReadUnits() / n, 3);
                s3 = Table.f(u.s3RequestCount() / n, 3);
                shoal = Table.usd(dollars);
                front = Table.usd(dollars + r.totalCalls() * (Prices.API_GATEWAY_REQUEST + Prices.LAMBDA_REQUEST) / n * 1e6);
                ratio = Table.f(dollars / sqs, 2);
            }
            c.row(r.target(), Table.n(Math.round(r.config().rate())), Table.n(r.received()), perMessage(calls, "SendMessage", n),
                    perMessage(calls, "ReceiveMessage", n) + " (" + perMessage(calls, "ReceiveMessage(empty)", n) + ")",
                    perMessage(calls, "DeleteMessageBatch", n), Table.usd(sqs), wcu, rcu, s3, shoal, front, ratio);
        }
        c.print(out);
        printComparison(out, results);
        highest(out, results);
    }

    /** Shoal against ElasticMQ at each rate, in the terms of issue 10's "Done when". */
    private static void printComparison(PrintStream out, List<SqsLoad.Result> results) {
        List<SqsLoad.Result[]> pairs = pairs(results);
        if (pairs.isEmpty()) return;
        out.println("Shoal against ElasticMQ in the same run (issue 10's targets: at 20 msg/s p50 <= 3x ElasticMQ's + 5 ms and p99 <= 5x + 20 ms; "
                + "at 300 msg/s from 64 senders accepted >= 95% of ElasticMQ's, p99 <= 5x + 50 ms, metered cost <= SQS's price):");
        out.println();
        Table t = new Table("offered msg/s", "senders", "p50 Shoal / limit 3x+5", "p99 Shoal / limit 5x+20", "p99 Shoal / limit 5x+50",
                "accepted Shoal / 95% of ElasticMQ", "Shoal $/M / SQS $/M");
        for (SqsLoad.Result[] p : pairs) {
            SqsLoad.Result s = p[0], e = p[1];
            double[] sp = s.endToEnd().percentilesMillis(50, 99), ep = e.endToEnd().percentilesMillis(50, 99);
            double n = Math.max(1, s.received());
            double sqs = s.sqsBillableRequests() * (s.config().fifo() ? Prices.SQS_FIFO_REQUEST : Prices.SQS_REQUEST) / n * 1e6;
            String cost = s.usage() == null ? "-" : verdict(Prices.dollars(s.usage()) / n * 1e6, sqs, true);
            t.row(Table.n(Math.round(s.config().rate())), s.config().senders(), verdict(sp[0], 3 * ep[0] + 5, false),
                    verdict(sp[1], 5 * ep[1] + 20, false), verdict(sp[1], 5 * ep[1] + 50, false),
                    Table.f(s.acceptedRate(), 1) + " / " + Table.f(0.95 * e.acceptedRate(), 1) + (s.acceptedRate() >= 0.95 * e.acceptedRate() ? " met" : " NOT MET"),
                    cost);
        }
        t.print(out);
    }

    /**
     * Per target, the highest rate it kept up with such that it kept up with every lower rate
     * tried too; a rate kept up with above a failure is named apart (on a shared machine that is
     * noise, not capacity).
     */
    private static void highest(PrintStream out, List<SqsLoad.Result> results) {
        StringJoiner j = new StringJoiner("; ");
        for (String target : results.stream().map(SqsLoad.Result::target).distinct().toList()) {
            List<SqsLoad.Result> byRate = results.stream().filter(r -> r.target().equals(target))
                    .sorted((a, b) -> Double.compare(a.config().rate(), b.config().rate())).toList();
            SqsLoad.Result best = null;
            int i = 0;
            for (; i < byRate.size() && byRate.get(i).keptUp(); i++) best = byRate.get(i);
            StringJoiner above = new StringJoiner(", ");
            for (; i < byRate.size(); i++) {
                if (byRate.get(i).keptUp()) above.add(rateAndSenders(byRate.get(i)));
            }
            j.add(target + " " + (best == null ? "none of the rates tried" : rateAndSenders(best))
                    + (above.length() == 0 ? "" : " (and, above a rate it did not keep up with, " + above + ")"));
        }
        out.println("Highest offered rate kept up with (accepted >= 95% of offered, every accepted message received), with every "
                + "lower rate tried kept up with too: " + j + ".");
        out.println();
    }

    private static String rateAndSenders(SqsLoad.Result r) {
        return Table.n(Math.round(r.config().rate())) + " msg/s (" + r.config().senders() + " senders)";
    }

    /** Draws the cost, latency and rate charts, and prints a markdown image line for each. */
    static void chart(PrintStream out, Charts.Output charts, String prefix, List<SqsLoad.Result> results, boolean fifo) {
        if (!charts.enabled()) return;
        String kind = fifo ? "FIFO" : "standard";
        List<Charts.Series> cost = new ArrayList<>();
        List<Charts.Series> latency = new ArrayList<>();
        List<Charts.Series> rate = new ArrayList<>();
        double sqsPrice = fifo ? Prices.SQS_FIFO_REQUEST : Prices.SQS_REQUEST;
        for (String target : results.stream().map(SqsLoad.Result::target).distinct().toList()) {
            List<SqsLoad.Result> rs = results.stream().filter(r -> r.target().equals(target)).toList();
            String label = target.equals("shoal") ? "Shoal" : "ElasticMQ";
            double[] offered = rs.stream().mapToDouble(r -> r.config().rate()).toArray();
            boolean dashed = !target.equals("shoal");
            int colour = target.equals("shoal") ? 0 : 1;
            if (target.equals("shoal") && rs.getFirst().usage() != null) {
                cost.add(new Charts.Series("Shoal, metered DynamoDB + S3", offered, rs.stream()
                        .mapToDouble(r -> Prices.dollars(r.usage()) / Math.max(1, r.received()) * 1e6).toArray(), false, 0));
                cost.add(new Charts.Series("Shoal + API Gateway, Lambda requests", offered, rs.stream()
                        .mapToDouble(r -> (Prices.dollars(r.usage()) + r.totalCalls() * (Prices.API_GATEWAY_REQUEST + Prices.LAMBDA_REQUEST))
                                / Math.max(1, r.received()) * 1e6).toArray(), true, 0));
            }
            cost.add(new Charts.Series("SQS price, calls of the " + label + " run", offered,
                    rs.stream().mapToDouble(r -> r.sqsBillableRequests() * sqsPrice / Math.max(1, r.received()) * 1e6).toArray(), dashed,
                    colour + 1));
            for (int i = 0; i < rs.size(); i++) {
                SqsLoad.Result r = rs.get(i);
                latency.add(Charts.percentileSeries(label + ", " + Math.round(r.config().rate()) + " msg/s", r.endToEnd(), dashed, i));
            }
            rate.add(new Charts.Series(label + ", sends accepted", offered, rs.stream().mapToDouble(SqsLoad.Result::acceptedRate).toArray(), false, colour));
            rate.add(new Charts.Series(label + ", messages received", offered, rs.stream().mapToDouble(SqsLoad.Result::receivedRate).toArray(), true, colour));
        }
        image(out, Charts.cost(charts, prefix + "-cost.png", "SQS face, " + kind + " queue: cost per million messages",
                "offered, msg/s (single-message sends, receives of 10, batch deletes)", cost), "cost per million messages");
        image(out, Charts.percentiles(charts, prefix + "-latency.png", "SQS face, " + kind + " queue: send-to-receive latency", latency),
                "send-to-receive latency percentiles");
        image(out, Charts.rates(charts, prefix + "-rate.png", "SQS face, " + kind + " queue: sustained against offered rate", "sustained, msg/s", rate),
                "sustained rate against offered rate");
    }

    static void image(PrintStream out, Path file, String alt) {
        if (file == null) return;
        out.println("![" + alt + "](" + file.toString().replace('\\', '/') + ")");
        out.println();
    }

    /** Each Shoal result with the ElasticMQ result of the same config, in order. */
    private static List<SqsLoad.Result[]> pairs(List<SqsLoad.Result> results) {
        List<SqsLoad.Result[]> out = new ArrayList<>();
        for (SqsLoad.Result s : results) {
            if (!s.target().equals("shoal")) continue;
            results.stream().filter(e -> e.target().equals("elasticmq") && e.config().equals(s.config())).findFirst()
                    .ifPresent(e -> out.add(new SqsLoad.Result[] {s, e}));
        }
        return out;
    }

    private static String verdict(double value, double limit, boolean dollars) {
        String v = dollars ? Table.usd(value) + " / " + Table.usd(limit) : Table.f(value, 1) + " / " + Table.f(limit, 1);
        return v + (value <= limit ? " met" : " NOT MET");
    }

    private static String errors(SqsLoad.Result r) {
        if (r.errors().isEmpty()) return "0";
        StringJoiner j = new StringJoiner(", ");
        r.errors().forEach((k, v) -> j.add(v + " " + k));
        return j.toString();
    }

    private static String perMessage(Map<String, Long> calls, String op, double n) {
        return Table.f(calls.getOrDefault(op, 0L) / n, 3);
    }
}
