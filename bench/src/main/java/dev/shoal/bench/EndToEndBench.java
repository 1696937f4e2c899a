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
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Issue 3's cost budget, end to end on a standard queue: produce N messages in calls of B_p,
 * then receive them in calls of B_r, acking each receive's messages with one ack call. One
 * producer thread and one consumer thread, so every call's cost is read exactly from the meter
 * around it. Producer and consumer are separate engines (two functions): the consumer has a
 * segment cache of its own (warm function) or none ({@code --consumer-cache-mib 0}).
 */
final class EndToEndBench {

    record Pair(int produceBatch, int receiveBatch) {
        static Pair parse(String s) {
            String[] parts = s.split("/");
            if (parts.length != 2) throw new Options.UsageException("--pairs takes Bp/Br pairs like 100/100, was '" + s + "'");
            try {
                return new Pair(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            } catch (NumberFormatException e) {
                throw new Options.UsageException("--pairs takes Bp/Br pairs like 100/100, was '" + s + "'");
            }
        }

        @Override
        public String toString() {
            return produceBatch + "/" + receiveBatch;
        }
    }

    record Result(Pair pair, long messages, long cacheMib, Meter.Usage produce, Meter.Usage receive, Meter.Usage ack,
                  long produceCalls, long receiveCalls, long ackCalls, long emptyReceives, double seconds) {
        Meter.Usage total() {
            return plus(plus(produce, receive), ack);
        }

        double callsPerMessage() {
            return (double) (produceCalls + receiveCalls + ackCalls) / messages;
        }
    }

    static final double BUDGET_WCU = 0.1;
    static final double BUDGET_S3 = 0.02;

    private EndToEndBench() {
    }

    static void main(Options o, PrintStream out, Charts.Output charts) {
        List<Pair> pairs = Arrays.stream(o.string("pairs", "1/1,10/10,100/100").split(",")).map(Pair::parse).toList();
        long messages = o.longValue("messages", 10_000);
        int size = o.integer("size", 1024);
        long cacheMib = o.longValue("consumer-cache-mib", 64);
        int partitions = o.integer("partitions", 1);
        o.rejectUnknown();
        List<Result> results = run(pairs, messages, size, cacheMib, partitions);
        print(out, results, size, partitions);
        chart(out, charts, results, size);
    }

    /**
     * Cost per million messages against the batch size, for the pairs that produce and receive in
     * batches of the same size (a chart needs two of them), beside SQS for the same batches.
     */
    static void chart(PrintStream out, Charts.Output charts, List<Result> results, int size) {
        List<Result> even = results.stream().filter(r -> r.pair().produceBatch() == r.pair().receiveBatch())
                .sorted(java.util.Comparator.comparingInt(r -> r.pair().produceBatch())).toList();
        if (!charts.enabled() || even.size() < 2) return;
        double[] batch = even.stream().mapToDouble(r -> r.pair().produceBatch()).toArray();
        long cacheMib = even.getFirst().cacheMib();
        double[] shoal = even.stream().mapToDouble(r -> Prices.dollars(r.total()) / r.messages() * 1e6).toArray();
        double[] sqs = even.stream().mapToDouble(r -> Prices.sqsRequestsPerMessage(r.pair().produceBatch(), r.pair().receiveBatch(), size)
                * Prices.SQS_REQUEST * 1e6).toArray();
        String file = cacheMib == 64 ? "e2e-cost.png" : "e2e-cost-cache-" + cacheMib + "mib.png";
        Path path = Charts.cost(charts, file, "Cost per million messages against messages per call, standard queue",
                "messages per call (produce batch = receive batch; SQS caps at 10)", List.of(
                        new Charts.Series("Shoal, metered (consumer cache " + cacheMib + " MiB)", batch, shoal, false),
                        new Charts.Series("SQS, same batches", batch, sqs, true)));
        SqsFaceReport.image(out, path, "cost per million messages against messages per call");
    }

    static List<Result> run(List<Pair> pairs, long messages, int size, long cacheMib, int partitions) {
        Payloads bodies = Payloads.of("json", size, 11);
        List<Result> results = new ArrayList<>();
        try (BenchStack stack = BenchStack.start()) {
            Meter producerMeter = new Meter();
            Meter consumerMeter = new Meter();
            ShoalEngine producer = stack.engine(producerMeter, 64L << 20, Clock.systemUTC());
            ShoalEngine consumer = stack.engine(consumerMeter, cacheMib << 20, Clock.systemUTC());
            int n = 0;
            // warm-up: JIT and connections, on a queue of its own
            runPair(producer, consumer, producerMeter, consumerMeter, bodies, new Pair(100, 100), Math.min(2_000, messages), cacheMib, partitions, "e2e-warmup");
            for (Pair pair : pairs) {
                Bench.progress("e2e: %s, %d messages, consumer cache %d MiB", pair, messages, cacheMib);
                results.add(runPair(producer, consumer, producerMeter, consumerMeter, bodies, pair, messages, cacheMib, partitions, "e2e-" + (n++)));
            }
        }
        return results;
    }

    private static Result runPair(ShoalEngine producer, ShoalEngine consumer, Meter producerMeter, Meter consumerMeter, Payloads bodies,
                                  Pair pair, long messages, long cacheMib, int partitions, String queue) {
        producer.createQueue(queue, QueueSettings.builder().partitions(partitions).build());
        long start = System.nanoTime();
        Meter.Usage before = producerMeter.snapshot();
        long produceCalls = 0;
        for (long first = 0; first < messages; first += pair.produceBatch()) {
            int count = (int) Math.min(pair.produceBatch(), messages - first);
            List<NewMessage> batch = new ArrayList<>(count);
            for (int m = 0; m < count; m++) {
                batch.add(NewMessage.builder().body(bodies.body(first + m)).build());
            }
            producer.produce(queue, ProduceRequest.of(batch));
            produceCalls++;
        }
        Meter.Usage produce = producerMeter.snapshot().minus(before);

        Meter.Usage receive = zero(), ack = zero();
        long receiveCalls = 0, ackCalls = 0, empty = 0;
        Set<String> seen = new HashSet<>();
        ReceiveRequest request = ReceiveRequest.builder().maxMessages(pair.receiveBatch()).visibilityTimeout(Duration.ofMinutes(10)).build();
        while (seen.size() < messages) {
            Meter.Usage t0 = consumerMeter.snapshot();
            List<ReceivedMessage> got = consumer.receive(queue, Limits.DEFAULT_SUBSCRIPTION, request);
            Meter.Usage t1 = consumerMeter.snapshot();
            receive = plus(receive, t1.minus(t0));
            receiveCalls++;
            if (got.isEmpty()) {
                if (++empty > 100) throw new IllegalStateException(queue + ": " + seen.size() + " of " + messages + " received, then nothing");
                continue;
            }
            for (ReceivedMessage m : got) {
                if (!seen.add(m.id().toString())) throw new IllegalStateException(queue + ": delivered twice: " + m.id());
            }
            List<ReceiptResult> acked = consumer.ack(queue, Limits.DEFAULT_SUBSCRIPTION, got.stream().map(ReceivedMessage::receipt).toList());
            ack = plus(ack, consumerMeter.snapshot().minus(t1));
            ackCalls++;
            for (ReceiptResult r : acked) {
                if (!r.succeeded()) throw new IllegalStateException(queue + ": ack failed: " + r.error().getMessage());
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(pair, messages, cacheMib, produce, receive, ack, produceCalls, receiveCalls, ackCalls, empty, seconds);
    }

    static Meter.Usage zero() {
        return new Meter.Usage(Map.of(), 0, 0);
    }

    static Meter.Usage plus(Meter.Usage a, Meter.Usage b) {
        Map<String, Long> s3 = new java.util.TreeMap<>(a.s3Requests());
        b.s3Requests().forEach((k, v) -> s3.merge(k, v, Long::sum));
        return new Meter.Usage(Map.copyOf(s3), a.dynamoWriteUnits() + b.dynamoWriteUnits(), a.dynamoReadUnits() + b.dynamoReadUnits());
    }

    static void print(PrintStream out, List<Result> results, int size, int partitions) {
        Result any = results.getFirst();
        out.println("Standard queue, " + partitions + " partition(s), " + size + " B messages (json-like), "
                + Table.n(any.messages()) + " messages per pair; consumer engine separate from the producer's, "
                + (any.cacheMib() == 0 ? "with no segment cache (every receive reads S3)" : "with its own " + any.cacheMib() + " MiB segment cache")
                + ". Per message:");
        out.println();
        Table t = new Table("Bp/Br", "produce WCU", "produce RCU", "produce S3", "receive WCU", "receive RCU", "receive S3",
                "ack WCU", "ack RCU", "total WCU", "total RCU", "total S3", "WCU budget 0.1", "S3 budget 0.02", "API calls/msg");
        for (Result r : results) {
            double n = r.messages();
            Meter.Usage tot = r.total();
            t.row(r.pair(), f4(r.produce().dynamoWriteUnits() / n), f4(r.produce().dynamoReadUnits() / n), f4(r.produce().s3RequestCount() / n),
                    f4(r.receive().dynamoWriteUnits() / n), f4(r.receive().dynamoReadUnits() / n), f4(r.receive().s3RequestCount() / n),
                    f4(r.ack().dynamoWriteUnits() / n), f4(r.ack().dynamoReadUnits() / n),
                    f4(tot.dynamoWriteUnits() / n), f4(tot.dynamoReadUnits() / n), f4(tot.s3RequestCount() / n),
                    verdict(tot.dynamoWriteUnits() / n, BUDGET_WCU), verdict(tot.s3RequestCount() / n, BUDGET_S3),
                    Table.f(r.callsPerMessage(), 3));
        }
        t.print(out);

        out.println("Cost per million messages at us-east-1 list prices (DynamoDB on-demand, S3 Standard requests; storage, "
                + "Lambda and API Gateway not included), beside Amazon SQS standard for the same batches (SQS batches cap at 10):");
        out.println();
        Table c = new Table("Bp/Br", "DynamoDB writes", "DynamoDB reads", "S3 requests", "Shoal total", "SQS requests/msg", "SQS total",
                "Shoal / SQS", "S3 by operation", "empty receives");
        for (Result r : results) {
            double perMillion = 1e6 / r.messages();
            Meter.Usage tot = r.total();
            double writes = tot.dynamoWriteUnits() * Prices.DYNAMO_WRITE_UNIT * perMillion;
            double reads = tot.dynamoReadUnits() * Prices.DYNAMO_READ_UNIT * perMillion;
            double shoal = Prices.dollars(tot) * perMillion;
            double s3 = shoal - writes - reads;
            double sqsPerMessage = Prices.sqsRequestsPerMessage(r.pair().produceBatch(), r.pair().receiveBatch(), size);
            double sqs = sqsPerMessage * Prices.SQS_REQUEST * 1e6;
            c.row(r.pair(), Table.usd(writes), Table.usd(reads), Table.usd(s3), Table.usd(shoal), Table.f(sqsPerMessage, 2), Table.usd(sqs),
                    Table.f(shoal / sqs, 2), tot.s3Requests(), r.emptyReceives());
        }
        c.print(out);
    }

    private static String f4(double v) {
        return Table.f(v, 4);
    }

    private static String verdict(double value, double budget) {
        return (value <= budget + 1e-12 ? "met, " : "OVER, ") + Table.f(value / budget * 100, 0) + "%";
    }
}
