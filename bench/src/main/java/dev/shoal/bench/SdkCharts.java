package dev.shoal.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** bench sdk's charts: latency percentiles of the paced runs, and the handled rate against the rate asked, per target. */
final class SdkCharts {

    private SdkCharts() {
    }

    static void chart(PrintStream out, Charts.Output charts, List<SdkBench.Outcome> outcomes) {
        List<SdkBench.Outcome> paced = outcomes.stream().filter(r -> r.rate() > 0 && r.handled() > 0).toList();
        if (!charts.enabled() || paced.isEmpty()) return;
        List<String> targets = paced.stream().map(SdkBench.Outcome::target).distinct().toList();
        List<Charts.Series> latency = new ArrayList<>();
        List<Charts.Series> rate = new ArrayList<>();
        for (int t = 0; t < targets.size(); t++) {
            String target = targets.get(t);
            boolean reference = target.equals("elasticmq");
            List<SdkBench.Outcome> runs = paced.stream().filter(r -> r.target().equals(target)).toList();
            for (SdkBench.Outcome r : runs) {
                latency.add(Charts.percentileSeries(target + ", " + Math.round(r.rate()) + " msg/s", r.latencies(), reference, t));
            }
            rate.add(new Charts.Series(target, runs.stream().mapToDouble(SdkBench.Outcome::rate).toArray(),
                    runs.stream().mapToDouble(r -> r.handled() / r.handledSeconds()).toArray(), reference, t));
        }
        SqsFaceReport.image(out, Charts.percentiles(charts, "sdk-latency.png",
                "Java SDK, paced runs: send-to-handler latency", latency), "send-to-handler latency percentiles");
        SqsFaceReport.image(out, Charts.rates(charts, "sdk-rate.png", "Java SDK, paced runs: handled against asked rate",
                "handled, msg/s", rate), "handled rate against the rate asked");
    }
}
