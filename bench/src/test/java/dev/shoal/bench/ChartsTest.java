package dev.shoal.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each chart renders from a small fixed data set into a PNG of the size the harness promises. */
class ChartsTest {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path dir;

    private Charts.Output output() {
        return new Charts.Output(dir, "./shoal bench sqs --rate 20,200", "2026-12-01 10:00 UTC on 2 vCPU (test)");
    }

    @Test
    void costChartIsAPngOfTheChartSizeWithLogAxes() throws IOException {
        Path file = Charts.cost(output(), "cost.png", "cost", "messages per call", List.of(
                new Charts.Series("Shoal", new double[] {1, 10, 100, 1000}, new double[] {9.1, 0.95, 0.09, 0.012}, false),
                new Charts.Series("SQS", new double[] {1, 10, 100, 1000}, new double[] {1.2, 0.12, 0.12, 0.12}, true)));

        assertValidPng(file);
    }

    @Test
    void latencyPercentileChartDrawsShoalBesideElasticMq() throws IOException {
        Latencies shoal = new Latencies(), elastic = new Latencies();
        for (int i = 1; i <= 2_000; i++) {
            shoal.add(i * 50_000L);
            elastic.add(i * 5_000L);
        }
        Path file = Charts.percentiles(output(), "latency.png", "latency", List.of(
                Charts.percentileSeries("Shoal, 20 msg/s", shoal, false, 0), Charts.percentileSeries("ElasticMQ, 20 msg/s", elastic, true, 0)));

        assertValidPng(file);
    }

    @Test
    void rateChartDrawsSustainedAgainstOfferedWithTheDiagonal() throws IOException {
        double[] offered = {20, 200, 300};
        Path file = Charts.rates(output(), "rate.png", "rates", "sustained, msg/s", List.of(
                new Charts.Series("Shoal", offered, new double[] {20, 67, 26}, false),
                new Charts.Series("ElasticMQ", offered, new double[] {20, 200, 299}, true)));

        assertValidPng(file);
    }

    @Test
    void aPercentileCurveStopsWhereItsSamplesRunOut() {
        Latencies hundred = new Latencies();
        for (int i = 1; i <= 100; i++) hundred.add(i * 1_000_000L);

        Charts.Series s = Charts.percentileSeries("x", hundred, false, -1);

        assertEquals(99.0, s.x()[s.x().length - 1], "p99.5 and beyond of 100 samples would only repeat the maximum");
        assertEquals(50.0, s.y()[Arrays.binarySearch(s.x(), 50.0)], 1e-9);
    }

    @Test
    void percentileAxisLabelsReadAsPercentiles() {
        assertEquals("p0", Charts.percentileLabel(0));
        assertEquals("p90", Charts.percentileLabel(1));
        assertEquals("p99", Charts.percentileLabel(2));
        assertEquals("p99.9", Charts.percentileLabel(3));
        assertEquals("", Charts.percentileLabel(0.2), "no label between whole nines");
    }

    @Test
    void chartsOffWritesNothing() throws IOException {
        Path file = Charts.cost(Charts.Output.off(), "cost.png", "cost", "x",
                List.of(new Charts.Series("a", new double[] {1, 2}, new double[] {1, 2}, false)));

        assertNull(file);
        try (var files = Files.list(dir)) {
            assertFalse(files.findAny().isPresent());
        }
    }

    @Test
    void aChartWithNothingToDrawIsAnErrorNotABlankPicture() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Charts.cost(output(), "empty.png", "empty", "x",
                List.of(new Charts.Series("zeros", new double[] {1, 2}, new double[] {0, Double.NaN}, false))));
        assertTrue(e.getMessage().contains("no series has a point"), e.getMessage());
    }

    private static void assertValidPng(Path file) throws IOException {
        assertNotNull(file);
        byte[] bytes = Files.readAllBytes(file);
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, 8));
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, "ImageIO reads it back");
        assertEquals(Charts.WIDTH, image.getWidth());
        assertEquals(Charts.HEIGHT, image.getHeight());
        assertTrue(distinctColours(image) > 8, "something is drawn, not a blank image");
    }

    private static long distinctColours(BufferedImage image) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) colours.add(image.getRGB(x, y));
        }
        return colours.size();
    }
}
