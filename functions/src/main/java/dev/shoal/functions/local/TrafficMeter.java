package dev.shoal.functions.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.functions.api.HttpRequest;
import dev.shoal.functions.api.Json;
import dev.shoal.storage.metering.ListPrices;

import java.io.IOException;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Watches the calls the local API answers, for two local-only views:
 * <ul>
 *   <li>what Amazon SQS would bill (at the FIFO price for calls on FIFO queues, names ending in
 *       {@code .fifo}) for the same calls ({@link #sqsRequests()}): an SQS-face call is
 *       one request per started 64 KiB of its larger body (request or response); a native message
 *       call (produce, receive, ack, nack, visibility) of n entries is the SQS calls of at most 10
 *       that carry them, {@code ceil(n / 10)}, or more when its payload needs more 64 KiB chunks;
 *       any other native call is one request (SQS's queue calls are requests too);</li>
 *   <li>messages produced and acked per queue, in buckets of {@link #BUCKET_SECONDS} seconds over
 *       the last {@link #BUCKETS} buckets ({@link #rates()}), for the console's rate chart. Only
 *       calls through this API are seen: the SDK's direct mode bypasses it.</li>
 * </ul>
 * Thread-safe. Answers that failed (status 300 or more) move no rate; SQS bills them all the same.
 */
final class TrafficMeter {

    static final int BUCKET_SECONDS = 10;
    static final int BUCKETS = 30;
    private static final int SQS_MAX_BATCH = 10;
    private static final List<String> MESSAGE_ACTIONS = List.of("messages", "receive", "ack", "nack", "visibility");

    private final Clock clock;
    private final LongAdder sqsRequests = new LongAdder();
    private final LongAdder sqsFifoRequests = new LongAdder();
    private final LongAdder apiCalls = new LongAdder();
    private final Map<String, Series> queues = new ConcurrentHashMap<>();

    TrafficMeter(Clock clock) {
        this.clock = clock;
    }

    /** Counts one answered API call. {@code response} is the response body as sent. */
    void observe(HttpRequest request, int status, byte[] response) {
        apiCalls.increment();
        long bytes = Math.max(request.body().length, response.length);
        long chunks = Math.max(1, (bytes + ListPrices.SQS_CHUNK_BYTES - 1) / ListPrices.SQS_CHUNK_BYTES);
        String target = request.header("x-amz-target").orElse("");
        if (target.startsWith("AmazonSQS.")) {
            JsonNode call = tree(request.body());
            String url = call.path("QueueUrl").asText(call.path("QueueName").asText(""));
            String queue = url.substring(url.lastIndexOf('/') + 1);
            bill(queue, chunks);
            if (status < 300 && !queue.isEmpty()) countSqs(target.substring("AmazonSQS.".length()), queue, response);
            return;
        }
        List<String> path = Arrays.stream(request.path().split("/")).filter(s -> !s.isEmpty()).toList();
        boolean queueRoute = path.size() >= 3 && path.get(0).equals("v1") && path.get(1).equals("queues");
        String queue = queueRoute ? path.get(2) : "";
        String action = path.size() >= 4 && queueRoute ? path.getLast() : "";
        if (!request.method().equals("POST") || !MESSAGE_ACTIONS.contains(action)) {
            bill(queue, 1);
            return;
        }
        JsonNode body = tree(response);
        JsonNode entries = body.has("results") ? body.get("results") : body.path("messages");
        long n = entries.size();
        bill(queue, Math.max(chunks, Math.max(1, (n + SQS_MAX_BATCH - 1) / SQS_MAX_BATCH)));
        if (status >= 300) return;
        if (action.equals("messages")) {
            series(queue).add(true, n);
        } else if (action.equals("ack")) {
            long ok = 0;
            for (JsonNode r : entries) if (r.path("ok").asBoolean(false)) ok++;
            series(queue).add(false, ok);
        }
    }

    private void bill(String queue, long requests) {
        sqsRequests.add(requests);
        if (queue.endsWith(".fifo")) sqsFifoRequests.add(requests);
    }

    private void countSqs(String action, String queue, byte[] response) {
        boolean produce = action.startsWith("SendMessage");
        if (!produce && !action.startsWith("DeleteMessage")) return;
        long n = action.endsWith("Batch") ? tree(response).path("Successful").size() : 1;
        series(queue).add(produce, n);
    }

    private Series series(String queue) {
        return queues.computeIfAbsent(queue, q -> new Series());
    }

    private static JsonNode tree(byte[] json) {
        try {
            JsonNode n = json.length == 0 ? null : Json.MAPPER.readTree(json);
            return n == null ? Json.MAPPER.createObjectNode() : n;
        } catch (IOException | RuntimeException notJson) {
            return Json.MAPPER.createObjectNode();
        }
    }

    long sqsRequests() {
        return sqsRequests.sum();
    }

    /** Of {@link #sqsRequests()}, those on FIFO queues. */
    long sqsFifoRequests() {
        return sqsFifoRequests.sum();
    }

    long apiCalls() {
        return apiCalls.sum();
    }

    /** Per queue (name order): produced and acked counts per bucket, oldest first, the last bucket being the current one. */
    Map<String, Rates> rates() {
        long now = bucket();
        Map<String, Rates> out = new TreeMap<>();
        queues.forEach((q, s) -> out.put(q, s.read(now)));
        return out;
    }

    private long bucket() {
        return clock.instant().getEpochSecond() / BUCKET_SECONDS;
    }

    record Rates(long[] produced, long[] acked) {
    }

    /** A ring of buckets; a slot is reused when its bucket number is older than the window. */
    private final class Series {
        private final long[] bucketOf = new long[BUCKETS];
        private final long[] produced = new long[BUCKETS];
        private final long[] acked = new long[BUCKETS];

        synchronized void add(boolean produce, long n) {
            long b = bucket();
            int slot = (int) (b % BUCKETS);
            if (bucketOf[slot] != b) {
                bucketOf[slot] = b;
                produced[slot] = 0;
                acked[slot] = 0;
            }
            (produce ? produced : acked)[slot] += n;
        }

        synchronized Rates read(long now) {
            long[] p = new long[BUCKETS], a = new long[BUCKETS];
            for (int i = 0; i < BUCKETS; i++) {
                long b = now - (BUCKETS - 1 - i);
                int slot = (int) (Math.floorMod(b, BUCKETS));
                if (bucketOf[slot] == b) {
                    p[i] = produced[slot];
                    a[i] = acked[slot];
                }
            }
            return new Rates(p, a);
        }
    }
}
