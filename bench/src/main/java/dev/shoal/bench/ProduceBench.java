package dev.shoal.bench;

import dev.shoal.storage.ShoalEngine;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.ProduceRequest;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.catalog.QueueCatalog;
import dev.shoal.storage.catalog.QueueRef;
import dev.shoal.storage.metering.Meter;

import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark v0: N messages of S bytes in produce calls of B messages through
 * {@link ShoalEngine#produce}, by C producer threads on P partitions (producer i writes to
 * partition i mod P). Per run: messages/s, MB/s, produce latency per call (encode + S3 PUT +
 * commit), S3 requests, DynamoDB units and lost commit races per message; beside it, the codec
 * against raw zstd on the same bodies.
 */
final class ProduceBench {

    record Config(long messages, int size, int batch, int producers, int partitions, String payload) {
        long calls() {
            return (messages + batch - 1) / batch;
        }
    }

    record Result(Config config, double seconds, Latencies latency, Meter.Usage usage, long conflicts, long produced) {
        double perMessage(double v) {
            return v / produced;
        }
    }

    private ProduceBench() {
    }

    static void main(Options o, PrintStream out) {
        List<Integer> batches = o.integers("batch", List.of(100));
        long messages = o.longValue("messages", 10_000);
        long calls = o.longValue("calls", 0);
        long maxMessages = o.longValue("max-messages", Long.MAX_VALUE);
        int size = o.integer("size", 1024);
        List<Integer> producers = o.integers("producers", List.of(1));
        List<Integer> partitions = o.integers("partitions", List.of(1));
        String payload = o.string("payload", "json");
        long warmup = o.longValue("warmup", 2_000);
        double codecSeconds = o.longValue("codec-millis", 400) / 1000.0;
        o.rejectUnknown();

        List<Config> configs = new ArrayList<>();
        for (int c : producers) {
            for (int p : partitions) {
                for (int b : batches) {
                    configs.add(new Config(Math.min(maxMessages, calls > 0 ? calls * b : messages), size, b, c, p, payload));
                }
            }
        }
        Payloads bodies = Payloads.of(payload, size, 42);
        List<Result> results = new ArrayList<>();
        try (BenchStack stack = BenchStack.start()) {
            Meter meter = new Meter();
            CallCounter counter = new CallCounter();
            ShoalEngine engine = ShoalEngine.builder()
                    .dynamo(stack.dynamo(meter, counter)).s3(stack.s3(meter)).tables(stack.tables()).bucket(stack.bucket())
                    .receiptSecret(BenchStack.RECEIPT_SECRET).build();
            if (warmup > 0) {
                Bench.progress("produce: warm-up, %d messages", warmup);
                run(stack, engine, meter, counter, new Config(warmup, size, 100, 1, 1, payload), bodies, "produce-warmup");
            }
            int n = 0;
            for (Config c : configs) {
                Bench.progress("produce: %s", c);
                results.add(run(stack, engine, meter, counter, c, bodies, "produce-" + (n++)));
            }
        }
        printResults(out, results);
        if (codecSeconds > 0) {
            Bench.progress("produce: codec vs raw zstd");
            List<CodecBench.Result> codec = new ArrayList<>();
            for (int b : batches) {
                codec.add(CodecBench.run(bodies, size, b, codecSeconds));
            }
            printCodec(out, codec, payload);
        }
    }

    static Result run(BenchStack stack, ShoalEngine engine, Meter meter, CallCounter counter, Config c, Payloads bodies, String queue) {
        engine.createQueue(queue, QueueSettings.builder().partitions(c.partitions()).build());
        Latencies latency = new Latencies();
        AtomicLong nextCall = new AtomicLong();
        long calls = c.calls();
        Meter.Usage before = meter.snapshot();
        var countsBefore = counter.snapshot();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int t = 0; t < c.producers(); t++) {
            int partition = t % c.partitions();
            threads.add(Thread.ofPlatform().name("producer-" + t).start(() -> {
                try {
                    for (long call = nextCall.getAndIncrement(); call < calls; call = nextCall.getAndIncrement()) {
                        long first = call * c.batch();
                        int count = (int) Math.min(c.batch(), c.messages() - first);
                        List<NewMessage> batch = new ArrayList<>(count);
                        for (int m = 0; m < count; m++) {
                            batch.add(NewMessage.builder().body(bodies.body(first + m)).build());
                        }
                        long t0 = System.nanoTime();
                        engine.produce(queue, new ProduceRequest(batch, partition, null, 0));
                        latency.add(System.nanoTime() - t0);
                    }
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }));
        }
        Bench.joinAll(threads);
        double seconds = (System.nanoTime() - start) / 1e9;
        Meter.Usage usage = meter.snapshot().minus(before);
        var counts = CallCounter.minus(counter.snapshot(), countsBefore);
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a producer failed", failures.getFirst());
        }
        long produced = committedMessages(stack, queue, c.partitions());
        if (produced != c.messages()) {
            throw new IllegalStateException("expected " + c.messages() + " committed messages, the log holds " + produced);
        }
        return new Result(c, seconds, latency, usage, counts.getOrDefault("PutItem!ConditionalCheckFailedException", 0L), produced);
    }

    /** The messages in the queue's log, summed over partitions (read with an unmetered client). */
    static long committedMessages(BenchStack stack, String queue, int partitions) {
        QueueRef ref = new QueueCatalog(stack.plainDynamo(), stack.tables(), Clock.systemUTC()).require(queue);
        var index = new dev.shoal.storage.log.LogIndex(stack.plainDynamo(), stack.tables());
        long total = 0;
        for (int p = 0; p < partitions; p++) {
            total += index.last(ref.partitionKey(p)).map(e -> e.endOffset()).orElse(0L);
        }
        return total;
    }

    static void printResults(PrintStream out, List<Result> results) {
        Table t = new Table("size B", "batch", "producers", "partitions", "messages", "msg/s", "MB/s", "p50 ms", "p99 ms",
                "S3 req/msg", "WCU/msg", "RCU/msg", "lost races/call");
        for (Result r : results) {
            Config c = r.config();
            t.row(c.size(), c.batch(), c.producers(), c.partitions(), Table.n(r.produced()),
                    Table.n(Math.round(r.produced() / r.seconds())),
                    Table.f(r.produced() * (double) c.size() / 1e6 / r.seconds(), 2),
                    Table.f(r.latency().percentileMillis(50), 1), Table.f(r.latency().percentileMillis(99), 1),
                    Table.f(r.perMessage(r.usage().s3RequestCount()), 4),
                    Table.f(r.perMessage(r.usage().dynamoWriteUnits()), 4),
                    Table.f(r.perMessage(r.usage().dynamoReadUnits()), 4),
                    Table.f((double) r.conflicts() / r.latency().count(), 2));
        }
        t.print(out);
    }

    static void printCodec(PrintStream out, List<CodecBench.Result> results, String payload) {
        Table t = new Table("size B", "batch", "payload", "codec encode µs/msg", "codec decode µs/msg", "zstd-3 compress µs/msg",
                "zstd-3 MB/s", "zstd ctx reused µs/msg", "zstd decompress µs/msg", "(enc+dec)/zstd", "(enc+dec)/zstd ctx",
                "ratio segment", "ratio zstd");
        for (CodecBench.Result r : results) {
            t.row(r.size(), r.batch(), payload, Table.f(r.encodeMicros(), 3), Table.f(r.decodeMicros(), 3), Table.f(r.zstdMicros(), 3),
                    Table.f(r.zstdMegabytesPerSecond(), 0), Table.f(r.zstdCtxMicros(), 3), Table.f(r.unzstdMicros(), 3),
                    Table.f(r.budgetRatio(), 2) + "x", Table.f(r.budgetRatioReusedContext(), 2) + "x",
                    Table.f(r.segmentRatio(), 2), Table.f(r.zstdRatio(), 2));
        }
        t.print(out);
    }
}
