package dev.shoal.bench;

import dev.shoal.storage.ShoalEngine;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.ProduceRequest;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.ReceiptResult;
import dev.shoal.storage.api.ReceiveRequest;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.metering.Meter;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * "Receive cost does not grow with backlog", and "finding expired leases costs O(1) reads per
 * receive, whatever the number in flight". For each backlog size L: fill a one-partition queue
 * with L messages (big batches, several producer threads; timed), then measure R receives of B
 * messages, each followed by one ack of everything it returned, reading the meter around every
 * call. The producer tops the queue up whenever the visible backlog falls below L, so it stays
 * between L and L + one produce batch; its cost is not counted. On the largest backlog, two
 * more scenarios: with N messages leased and not acked (in flight), and with those N leases
 * expired (the consumer's clock moved past them), so receives redeliver them.
 */
final class BacklogBench {

    record Sample(String backlog, String scenario, int batch, Stats receive, Stats ack) {
    }

    /** Per-call figures over a scenario's calls: means and maxima. */
    record Stats(int calls, double meanRcu, double maxRcu, double meanWcu, double maxWcu, double meanS3, double maxS3, double meanMessages,
                 long redelivered) {
    }

    private static final class Accumulator {
        final List<double[]> calls = new ArrayList<>(); // rcu, wcu, s3, messages
        long redelivered;

        void add(Meter.Usage u, int messages) {
            calls.add(new double[] {u.dynamoReadUnits(), u.dynamoWriteUnits(), u.s3RequestCount(), messages});
        }

        Stats stats() {
            double[] sum = new double[4], max = new double[4];
            for (double[] c : calls) {
                for (int i = 0; i < 4; i++) {
                    sum[i] += c[i];
                    max[i] = Math.max(max[i], c[i]);
                }
            }
            int n = Math.max(1, calls.size());
            return new Stats(calls.size(), sum[0] / n, max[0], sum[1] / n, max[1], sum[2] / n, max[2], sum[3] / n, redelivered);
        }
    }

    private BacklogBench() {
    }

    static void main(Options o, PrintStream out) {
        List<Integer> backlogs = o.integers("backlogs", List.of(1_000, 1_000_000));
        int receives = o.integer("receives", 200);
        List<Integer> batches = o.integers("batches", List.of(10, 100));
        int size = o.integer("size", 100);
        int produceBatch = o.integer("produce-batch", 1_000);
        int producers = o.integer("producers", 4);
        int inFlight = o.integer("in-flight", 100_000);
        long cacheMib = o.longValue("consumer-cache-mib", 0);
        o.rejectUnknown();

        Payloads bodies = Payloads.of("json", size, 13);
        List<Sample> samples = new ArrayList<>();
        List<String> fills = new ArrayList<>();
        int largest = backlogs.stream().mapToInt(Integer::intValue).max().orElse(0);
        try (BenchStack stack = BenchStack.start()) {
            Meter producerMeter = new Meter();
            Meter consumerMeter = new Meter();
            OffsetClock clock = new OffsetClock();
            ShoalEngine producer = stack.engine(producerMeter, 0, Clock.systemUTC());
            ShoalEngine consumer = stack.engine(consumerMeter, cacheMib << 20, clock);
            for (int backlog : backlogs) {
                String queue = "backlog-" + backlog;
                producer.createQueue(queue, QueueSettings.builder().build());
                Bench.progress("backlog: filling %s with %,d messages", queue, backlog);
                long t0 = System.nanoTime();
                fill(producer, queue, bodies, backlog, produceBatch, producers);
                double seconds = (System.nanoTime() - t0) / 1e9;
                fills.add(Table.n(backlog) + " messages of " + size + " B in batches of " + produceBatch + " by " + producers
                        + " producer threads: " + Table.f(seconds, 1) + " s (" + Table.n(Math.round(backlog / seconds)) + " msg/s)");
                Queue q = new Queue(queue, producer, consumer, consumerMeter, bodies, backlog, produceBatch);
                q.produced = backlog;
                String label = Table.n(backlog);
                for (int b : batches) {
                    Bench.progress("backlog: %s, batch %d, nothing in flight", label, b);
                    samples.add(q.measure(label, "0 in flight", b, receives));
                }
                if (backlog == largest && inFlight > 0) {
                    Bench.progress("backlog: leasing %,d messages without acking", inFlight);
                    q.lease(inFlight, Duration.ofHours(1));
                    String leased = Table.n(inFlight) + " in flight";
                    for (int b : batches) {
                        Bench.progress("backlog: %s, batch %d, %s", label, b, leased);
                        samples.add(q.measure(label, leased, b, receives));
                    }
                    clock.advance(Duration.ofHours(1).plusMinutes(1));
                    String expired = Table.n(inFlight) + " leases expired";
                    for (int b : batches) {
                        Bench.progress("backlog: %s, batch %d, %s", label, b, expired);
                        samples.add(q.measure(label, expired, b, receives));
                    }
                }
            }
        }
        print(out, samples, fills, size, cacheMib);
    }

    /** Produces {@code count} messages in batches of {@code batch} with {@code threads} producer threads. */
    static void fill(ShoalEngine producer, String queue, Payloads bodies, long count, int batch, int threads) {
        AtomicLong next = new AtomicLong();
        long calls = (count + batch - 1) / batch;
        List<Throwable> failures = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().name("filler-" + t).start(() -> {
                try {
                    for (long call = next.getAndIncrement(); call < calls; call = next.getAndIncrement()) {
                        long first = call * batch;
                        produce(producer, queue, bodies, first, (int) Math.min(batch, count - first));
                    }
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }));
        }
        Bench.joinAll(workers);
        if (!failures.isEmpty()) throw new IllegalStateException("filling " + queue + " failed", failures.getFirst());
    }

    static void produce(ShoalEngine producer, String queue, Payloads bodies, long first, int count) {
        List<NewMessage> messages = new ArrayList<>(count);
        for (int m = 0; m < count; m++) {
            messages.add(NewMessage.builder().body(bodies.body(first + m)).build());
        }
        producer.produce(queue, ProduceRequest.of(messages));
    }

    /** One queue's running state: what was produced, acked and leased, to keep the visible backlog at its target. */
    private static final class Queue {
        final String name;
        final ShoalEngine producer, consumer;
        final Meter meter;
        final Payloads bodies;
        final long target;
        final int produceBatch;
        long produced, acked, leased;

        Queue(String name, ShoalEngine producer, ShoalEngine consumer, Meter meter, Payloads bodies, long target, int produceBatch) {
            this.name = name;
            this.producer = producer;
            this.consumer = consumer;
            this.meter = meter;
            this.bodies = bodies;
            this.target = target;
            this.produceBatch = produceBatch;
        }

        Sample measure(String backlog, String scenario, int batch, int receives) {
            Accumulator receive = new Accumulator(), ack = new Accumulator();
            ReceiveRequest request = ReceiveRequest.builder().maxMessages(batch).visibilityTimeout(Duration.ofMinutes(30)).build();
            for (int i = 0; i < receives; i++) {
                while (produced - acked - leased < target + batch) {
                    produce(producer, name, bodies, produced, produceBatch); // top up, not metered on the consumer
                    produced += produceBatch;
                }
                Meter.Usage t0 = meter.snapshot();
                List<ReceivedMessage> got = consumer.receive(name, Limits.DEFAULT_SUBSCRIPTION, request);
                Meter.Usage t1 = meter.snapshot();
                receive.add(t1.minus(t0), got.size());
                receive.redelivered += got.stream().filter(m -> m.receiveCount() > 1).count();
                if (got.isEmpty()) continue;
                List<ReceiptResult> results = consumer.ack(name, Limits.DEFAULT_SUBSCRIPTION, got.stream().map(ReceivedMessage::receipt).toList());
                ack.add(meter.snapshot().minus(t1), got.size());
                for (ReceiptResult r : results) {
                    if (!r.succeeded()) throw new IllegalStateException(name + ": ack failed: " + r.error().getMessage());
                }
                long redelivered = got.stream().filter(m -> m.receiveCount() > 1).count();
                leased -= redelivered; // leased earlier, acked now
                acked += got.size();
            }
            return new Sample(backlog, scenario, batch, receive.stats(), ack.stats());
        }

        void lease(int count, Duration visibility) {
            ReceiveRequest request = ReceiveRequest.builder().maxMessages(100).visibilityTimeout(visibility).build();
            while (leased < count) {
                while (produced - acked - leased < target + 100) {
                    produce(producer, name, bodies, produced, produceBatch);
                    produced += produceBatch;
                }
                List<ReceivedMessage> got = consumer.receive(name, Limits.DEFAULT_SUBSCRIPTION, request);
                if (got.isEmpty()) throw new IllegalStateException(name + ": nothing to lease after " + leased);
                leased += got.size();
            }
        }
    }

    static void print(PrintStream out, List<Sample> samples, List<String> fills, int size, long cacheMib) {
        out.println("One partition, " + size + " B messages (json-like). Backlog filled as follows:");
        out.println();
        for (String f : fills) out.println("- " + f);
        out.println();
        out.println("Per receive call (then one ack call for everything it returned), consumer engine "
                + (cacheMib == 0 ? "with no segment cache (every receive reads its segment from S3)" : "with its own " + cacheMib + " MiB segment cache")
                + "; mean and max over the calls:");
        out.println();
        Table t = new Table("backlog", "leases", "batch", "receives", "msgs/receive", "RCU/receive (max)", "WCU/receive (max)",
                "S3/receive (max)", "RCU/ack (max)", "WCU/ack (max)", "redelivered");
        for (Sample s : samples) {
            Stats r = s.receive(), a = s.ack();
            t.row(s.backlog(), s.scenario(), s.batch(), r.calls(), Table.f(r.meanMessages(), 1),
                    Table.f(r.meanRcu(), 2) + " (" + Table.f(r.maxRcu(), 1) + ")", Table.f(r.meanWcu(), 2) + " (" + Table.f(r.maxWcu(), 1) + ")",
                    Table.f(r.meanS3(), 2) + " (" + Table.f(r.maxS3(), 0) + ")",
                    Table.f(a.meanRcu(), 2) + " (" + Table.f(a.maxRcu(), 1) + ")", Table.f(a.meanWcu(), 2) + " (" + Table.f(a.maxWcu(), 1) + ")",
                    Table.n(r.redelivered()));
        }
        t.print(out);
    }
}
