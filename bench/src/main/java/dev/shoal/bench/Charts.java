package dev.shoal.bench;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * PNG charts next to the tables, drawn with XChart on a headless JVM. Every chart carries a
 * caption strip under the plot with the command that produced it and the machine it ran on, so
 * a picture pasted anywhere still says where it came from. Charts are {@link #WIDTH} by
 * {@link #HEIGHT} pixels.
 */
final class Charts {

    static final int WIDTH = 1100;
    static final int PLOT_HEIGHT = 560;
    static final int CAPTION_HEIGHT = 48;
    static final int HEIGHT = PLOT_HEIGHT + CAPTION_HEIGHT;
    /** The percentiles a latency curve is drawn through (those its samples can support). */
    static final double[] PERCENTILES = {1, 10, 25, 50, 75, 90, 95, 98, 99, 99.5, 99.8, 99.9, 99.95, 99.99};

    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    /** Line colours; series of the same colour group share one (Shoal solid and ElasticMQ dashed at one rate). */
    private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(214, 39, 40), new Color(44, 160, 44),
            new Color(255, 127, 14), new Color(148, 103, 189), new Color(140, 86, 75), new Color(23, 190, 207), new Color(127, 127, 127)};

    /**
     * One line on a chart; points whose x or y is not a positive number are left out (log axes).
     *
     * @param colour index into the palette, shared by series that belong together; -1 for the next unused one
     */
    record Series(String name, double[] x, double[] y, boolean dashed, int colour) {
        Series {
            if (x.length != y.length) throw new IllegalArgumentException(name + ": " + x.length + " x values, " + y.length + " y values");
        }

        Series(String name, double[] x, double[] y, boolean dashed) {
            this(name, x, y, dashed, -1);
        }
    }

    /**
     * Where charts go and what their captions say.
     *
     * @param dir     folder for the PNG files, or null to draw none
     * @param command the command line that reproduces the chart
     * @param machine the machine and time it ran
     */
    record Output(Path dir, String command, String machine) {
        static Output off() {
            return new Output(null, "", "");
        }

        boolean enabled() {
            return dir != null;
        }

        Output withCommand(String otherCommand) {
            return new Output(dir, otherCommand, machine);
        }
    }

    private Charts() {
    }

    /** Dollars per million messages against {@code xTitle}, both axes logarithmic. */
    static Path cost(Output out, String file, String title, String xTitle, List<Series> series) {
        XYChart chart = chart(title, xTitle, "$ per million messages", series);
        logLog(chart, series);
        return write(out, file, chart);
    }

    /**
     * Latency percentiles: x is the percentile, spaced by its nines (p90, p99, p99.9 equally
     * apart) so the tail gets as much room as the median; y is milliseconds, logarithmic.
     * Each series' x values are percentiles (0-100).
     */
    static Path percentiles(Output out, String file, String title, List<Series> series) {
        List<Series> spaced = new ArrayList<>();
        double maxNines = 1;
        for (Series s : series) {
            double[] nines = new double[s.x().length];
            for (int i = 0; i < nines.length; i++) {
                nines[i] = -Math.log10(1 - s.x()[i] / 100);
                if (Double.isFinite(nines[i])) maxNines = Math.max(maxNines, nines[i]);
            }
            spaced.add(new Series(s.name(), nines, s.y(), s.dashed(), s.colour()));
        }
        XYChart chart = chart(title, "percentile", "send to receive, ms", spaced);
        chart.getStyler().setYAxisLogarithmic(true).setYAxisLogarithmicDecadeOnly(decades(series, false) > 2)
                .setXAxisMin(0.0).setXAxisMax(Math.ceil(maxNines));
        chart.getStyler().setxAxisTickLabelsFormattingFunction(Charts::percentileLabel);
        return write(out, file, chart);
    }

    /** Sustained rate against offered rate, both logarithmic, with the line where they are equal. */
    static Path rates(Output out, String file, String title, String yTitle, List<Series> series) {
        List<Series> withDiagonal = new ArrayList<>(series);
        double min = Double.MAX_VALUE, max = 0;
        for (Series s : series) {
            for (double x : s.x()) {
                if (x > 0) {
                    min = Math.min(min, x);
                    max = Math.max(max, x);
                }
            }
        }
        if (max > 0) withDiagonal.add(new Series("offered (sustained = offered)", new double[] {min, max}, new double[] {min, max}, true));
        XYChart chart = chart(title, "offered, msg/s", yTitle, withDiagonal);
        logLog(chart, withDiagonal);
        return write(out, file, chart);
    }

    /** The percentile curve of {@code latencies}, through the {@link #PERCENTILES} its sample count supports. */
    static Series percentileSeries(String name, Latencies latencies, boolean dashed, int colour) {
        int count = latencies.count();
        List<Double> ps = new ArrayList<>();
        for (double p : PERCENTILES) {
            // p99.9 of 100 samples would just be the maximum again
            if (p <= 50 || count * (1 - p / 100) >= 1) ps.add(p);
        }
        double[] x = ps.stream().mapToDouble(Double::doubleValue).toArray();
        return new Series(name, x, latencies.percentilesMillis(x), dashed, colour);
    }

    /**
     * Logarithmic axes, labelled at 1-9 of each decade when the data spans two decades or less (a
     * chart of 20 to 300 msg/s would otherwise have a single label), at the decades only when wider.
     */
    private static void logLog(XYChart chart, List<Series> series) {
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true)
                .setXAxisLogarithmicDecadeOnly(decades(series, true) > 2).setYAxisLogarithmicDecadeOnly(decades(series, false) > 2);
    }

    /** How many decades the positive x (or y) values of {@code series} span. */
    private static double decades(List<Series> series, boolean x) {
        double min = Double.MAX_VALUE, max = 0;
        for (Series s : series) {
            for (double v : x ? s.x() : s.y()) {
                if (v > 0 && Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        return max == 0 ? 0 : Math.log10(max / min);
    }

    /** The label of a tick on the percentile axis: p0, p90, p99, p99.9 at whole nines, none between (those would read p36.9). */
    static String percentileLabel(double nines) {
        if (Math.abs(nines - Math.rint(nines)) > 1e-6) return "";
        double p = 100 * (1 - Math.pow(10, -nines));
        String text = p >= 99.995 ? String.format(Locale.ROOT, "%.3f", p) : p >= 99.5 ? String.format(Locale.ROOT, "%.2f", p)
                : String.format(Locale.ROOT, "%.1f", p);
        text = text.contains(".") ? text.replaceAll("0+$", "").replaceAll("\\.$", "") : text;
        return "p" + text;
    }

    private static XYChart chart(String title, String xTitle, String yTitle, List<Series> series) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(PLOT_HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        // the legend beside the plot: inside it, it hid the lines it names
        chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225)).setLegendPosition(Styler.LegendPosition.OutsideE)
                .setChartBackgroundColor(Color.WHITE).setMarkerSize(7).setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15))
                .setLegendBackgroundColor(Color.WHITE);
        chart.getStyler().setYAxisDecimalPattern("#,##0.###").setXAxisDecimalPattern("#,##0.###");
        int added = 0;
        int nextColour = series.stream().mapToInt(Series::colour).max().orElse(-1) + 1;
        for (Series s : series) {
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
            for (int i = 0; i < s.x().length; i++) {
                if (s.x()[i] >= 0 && s.y()[i] > 0 && Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                    xs.add(s.x()[i]);
                    ys.add(s.y()[i]);
                }
            }
            if (xs.isEmpty()) continue;
            XYSeries line = chart.addSeries(s.name(), xs, ys);
            line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            line.setMarker(SeriesMarkers.CIRCLE);
            if (s.dashed()) line.setLineStyle(SeriesLines.DASH_DASH);
            Color colour = PALETTE[(s.colour() >= 0 ? s.colour() : nextColour++) % PALETTE.length];
            line.setLineColor(colour);
            line.setMarkerColor(colour);
            added++;
        }
        if (added == 0) throw new IllegalArgumentException(title + ": no series has a point to draw");
        return chart;
    }

    /** Renders {@code chart} with its caption into {@code out.dir()/file}; returns the path, or null when charts are off. */
    private static Path write(Output out, String file, XYChart chart) {
        if (!out.enabled()) return null;
        BufferedImage plot = BitmapEncoder.getBufferedImage(chart);
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.drawImage(plot, 0, 0, null);
            g.setColor(new Color(90, 90, 90));
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            FontMetrics m = g.getFontMetrics();
            g.drawString(fit("Command: " + out.command(), m), 10, PLOT_HEIGHT + 18);
            g.drawString(fit("Machine: " + out.machine(), m), 10, PLOT_HEIGHT + 36);
        } finally {
            g.dispose();
        }
        Path path = out.dir().resolve(file);
        try {
            Files.createDirectories(out.dir());
            if (!ImageIO.write(image, "png", path.toFile())) throw new IOException("no PNG writer");
        } catch (IOException e) {
            throw new UncheckedIOException("could not write chart " + path, e);
        }
        return path;
    }

    /** {@code text} cut with an ellipsis to fit the chart's width. */
    private static String fit(String text, FontMetrics m) {
        int room = WIDTH - 20;
        if (m.stringWidth(text) <= room) return text;
        String t = text;
        while (!t.isEmpty() && m.stringWidth(t + "...") > room) t = t.substring(0, t.length() - 1);
        return t + "...";
    }
}
