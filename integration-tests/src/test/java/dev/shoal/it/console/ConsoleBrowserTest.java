package dev.shoal.it.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.functions.local.LauncherOptions;
import dev.shoal.functions.local.LocalLauncher;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local web console in a real browser: headless Chromium loads {@code ./shoal local}'s page,
 * shows a queue made through the API with its depth, peeks a dead letter with its attributes,
 * runs a redrive with confirmation, seeks a subscription and purges (cancelled once, then
 * confirmed). Skipped, not failed, where Chromium is not installed.
 */
class ConsoleBrowserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void consoleShowsDepthPeeksADeadLetterRedrivesItSeeksAndPurges() throws Exception {
        Path chromium = HeadlessChromium.find().orElse(null);
        Assumptions.assumeTrue(chromium != null, "no Chromium on this machine (apt-get install chromium, or set SHOAL_CHROMIUM)");
        try (LocalLauncher shoal = LocalLauncher.start(LauncherOptions.defaults().withPort(0).withDataDir(dir.resolve("data")))) {
            String base = shoal.endpoint().toString();
            call(base, "PUT", "/v1/queues/shown", "");
            call(base, "POST", "/v1/queues/shown/messages", "{\"messages\":[{\"body\":\"x\"},{\"body\":\"y\"}]}");
            deadLetter(base);

            Path profile = Files.createDirectories(dir.resolve("chromium/profile"));
            try (HeadlessChromium browser = HeadlessChromium.start(chromium, profile)) {
                browser.navigate(base + "/");
                awaitText(() -> browser.eval("document.querySelector('tr[data-queue=\"shown\"] td.depth')?.textContent"), "2");
                assertEquals("1", browser.eval("document.querySelector('tr[data-queue=\"orders-dlq\"] td.depth').textContent"));
                awaitCondition(() -> browser.eval("document.getElementById('usage-total').textContent").startsWith("$"));
                assertTrue(browser.eval("document.getElementById('usage-sqs').textContent").contains("requests"));

                browser.eval("location.hash = '#/queue/orders-dlq'");
                awaitText(() -> browser.eval("document.querySelector('#subscriptions tr[data-subscription=\"default\"] td.depth')?.textContent"), "1");
                browser.eval("document.getElementById('peek').click()");
                awaitText(() -> browser.eval("document.querySelector('#peeked tbody td.body')?.textContent"), "hello console");
                String attributes = browser.eval("document.querySelector('#peeked tbody td.attributes').textContent");
                assertTrue(attributes.contains("color=blue") && attributes.contains("shoal.source.queue=orders"), attributes);

                browser.eval("document.getElementById('redrive').click()");
                assertEquals("false", browser.eval("String(document.getElementById('confirm').hidden)"), "redrive asks first");
                assertEquals(1, visible(base, "orders-dlq"), "nothing moved before the confirmation");
                browser.eval("document.getElementById('confirm-yes').click()");
                awaitCondition(() -> browser.eval("document.getElementById('operation-status').textContent").contains("redrive done: moved 1"));
                await().atMost(Duration.ofSeconds(20)).until(() -> visible(base, "orders") == 1 && visible(base, "orders-dlq") == 0);
                assertEquals("", browser.eval("document.getElementById('error').hidden ? '' : document.getElementById('error').textContent"));

                browser.eval("location.hash = '#/queue/orders'");
                awaitText(() -> browser.eval("document.querySelector('#subscriptions tr[data-subscription=\"default\"] td.depth')?.textContent"), "1");
                browser.eval("document.getElementById('seek-to').value = 'latest'; document.getElementById('seek').click()");
                await().atMost(Duration.ofSeconds(20)).until(() -> visible(base, "orders") == 0);
                browser.eval("document.getElementById('seek-to').value = 'earliest'; document.getElementById('seek').click()");
                await().atMost(Duration.ofSeconds(20)).until(() -> visible(base, "orders") > 0);
                browser.eval("document.getElementById('purge').click()");
                assertTrue(browser.eval("document.getElementById('confirm-text').textContent").contains("Drop every message of orders"));
                browser.eval("document.getElementById('confirm-no').click()");
                assertTrue(visible(base, "orders") > 0, "cancelled: nothing purged");
                browser.eval("document.getElementById('purge').click()");
                browser.eval("document.getElementById('confirm-yes').click()");
                await().atMost(Duration.ofSeconds(20)).until(() -> visible(base, "orders") == 0);
                awaitText(() -> browser.eval("document.getElementById('operation-status').textContent"), "purged orders");
            }
        }
    }

    /** orders dead-letters into orders-dlq after one delivery: deliver once, release, and the next receive moves it. */
    private static void deadLetter(String base) throws Exception {
        call(base, "PUT", "/v1/queues/orders-dlq", "");
        call(base, "PUT", "/v1/queues/orders", "{\"deadLetter\":{\"queue\":\"orders-dlq\",\"maxReceiveCount\":1}}");
        call(base, "POST", "/v1/queues/orders/messages",
                "{\"messages\":[{\"body\":\"hello console\",\"attributes\":{\"color\":{\"type\":\"String\",\"value\":\"blue\"}}}]}");
        call(base, "POST", "/v1/queues/orders/receive", "{\"maxMessages\":10,\"visibilityTimeout\":\"0s\"}");
        call(base, "POST", "/v1/queues/orders/receive", "{\"maxMessages\":10}");
        await().atMost(Duration.ofSeconds(20)).until(() -> visible(base, "orders-dlq") == 1);
    }

    private static long visible(String base, String queue) throws Exception {
        return call(base, "GET", "/v1/queues/" + queue, null).path("stats").path("visible").asLong();
    }

    private static JsonNode call(String base, String method, String path, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() < 300, method + " " + path + ": " + r.statusCode() + " " + r.body());
        return r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
    }

    /** Waits until the page shows {@code expected}; on timeout, says what it showed last. */
    private static void awaitText(Supplier<String> read, String expected) {
        String[] last = {null};
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> expected.equals(last[0] = read.get()));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the page showed '" + last[0] + "', not '" + expected + "'", e);
        }
    }

    private static void awaitCondition(java.util.concurrent.Callable<Boolean> condition) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(condition);
    }
}
