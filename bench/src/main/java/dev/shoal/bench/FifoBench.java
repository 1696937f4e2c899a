package dev.shoal.bench;

import dev.shoal.storage.ShoalEngine;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.ProduceRequest;
import dev.shoal.storage.api.ProducedMessage;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.ReceiptResult;
import dev.shoal.storage.api.ReceiveRequest;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.metering.Meter;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.atomic.LongAdder;

/**
 * Issue 4's "Cost and scale": a FIFO queue (content-based deduplication, one partition), 1 KiB
 * messages spread round-robin over G message groups, produced in calls of B_p by one producer
 * thread, then received in calls of B_r by one consumer thread, each receive's messages acked
 * with one ack call; the meter is read around every call, so produce, receive and ack are
 * billed apart. The same is measured on a standard queue at the same batches in the same run,
 * for a same-run ratio. Each run checks that every message came exactly once and, on FIFO, in
 * its group's order. A time limit bounds every run; a run that hits it reports what it did.
 */
final class FifoBench {

    /** One queue's run. {@code groups} 0 means a standard queue. */
    record Run(int groups, long messages, long consumed, boolean complete, double produceSeconds, double consumeSeconds,
               Meter.Usage produce, Meter.Usage receive, Meter.Usage ack,
               Map<String, Long> produceCalls, Map<String, Long> receiveCalls, Map<String, Long> ackCalls,
               long produceApiCalls, long receiveApiCalls, long ackApiCalls, long emptyReceives, long groupLeases,
               long transactionItems, long duplicates, long outOfOrder) {

        boolean fifo() {
            return groups > 0;
        }

        Meter.Usage total() {
            return EndToEndBench.plus(EndToEndBench.plus(produce, receive), ack);
        }

        String label() {
            return fifo() ? "FIFO" : "standard";
        }

        String groupsLabel() {
            return fifo() ? Table.n(groups) : "-";
        }
    }

    /** Counts the items of every TransactWriteItems request: AWS bills each item twice. */
    static final class TransactionItems implements ExecutionInterceptor {
        final LongAdder items = new LongAdder();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof TransactWriteItemsRequest t) {
                items.add(t.transactItems().size());
            }
        }
    }

    private FifoBench() {
    }

    static void main(Options o, PrintStream out) {
        List<Integer> groups = o.integers("groups", List.of(10, 1_000, 100_000));
        long messages = o.longValue("messages", 20_000);
        int size = o.integer("size", 1024);
        int produceBatch = o.integer("batch", 100);
        int receiveBatch = o.integer("receive-batch", 100);
        long cacheMib = o.longValue("consumer-cache-mib", 64);
        boolean standard = o.flag("standard", true);
        long limitSeconds = o.longValue("time-limit-s", 600);
        int warmup = o.integer("warmup", 2_000);
        o.rejectUnknown();
        if (produceBatch < 1 || produceBatch > Limits.MAX_BATCH_MESSAGES || receiveBatch < 1 || receiveBatch > Limits.MAX_RECEIVE_MESSAGES) {
            throw new Options.UsageException("--batch and --receive-batch must be 1-1000");
        }
        for (int g : groups) {
            if (g < 1) throw new Options.UsageException("--groups must be positive, was " + g);
        }

        Stamped bodies = new Stamped(Payloads.of("json", size, 17), size);
        List<Run> runs = new ArrayList<>();
        try (BenchStack stack = BenchStack.start()) {
            Meter producerMeter = new Meter();
            Meter consumerMeter = new Meter();
            CallCounter producerCalls = new CallCounter();
            CallCounter consumerCalls = new CallCounter();
            TransactionItems transactions = new TransactionItems();
            ShoalEngine producer = ShoalEngine.builder()
                    .dynamo(stack.dynamo(producerMeter, producerCalls, transactions)).s3(stack.s3(producerMeter))
                    .tables(stack.tables()).bucket(stack.bucket()).clock(Clock.systemUTC())
                    .receiptSecret(BenchStack.RECEIPT_SECRET).segmentCacheBytes(64L << 20).build();
            ShoalEngine consumer = ShoalEngine.builder()
                    .dynamo(stack.dynamo(consumerMeter, consumerCalls)).s3(stack.s3(consumerMeter))
                    .tables(stack.tables()).bucket(stack.bucket()).clock(Clock.systemUTC())
                    .receiptSecret(BenchStack.RECEIPT_SECRET).segmentCacheBytes(cacheMib << 20).build();
            Setup ctx = new Setup(producer, consumer, producerMeter, consumerMeter, producerCalls, consumerCalls, transactions, bodies,
                    produceBatch, receiveBatch, limitSeconds);
            if (warmup > 0) {
                Bench.progress("fifo: warm-up, %d messages on a standard and a FIFO queue (10 groups)", warmup);
                run(ctx, "fifo-warmup-std", 0, warmup);
                run(ctx, "fifo-warmup.fifo", 10, warmup);
            }
            int n = 0;
            if (standard) {
                Bench.progress("fifo: standard queue, %d messages, %d/%d", messages, produceBatch, receiveBatch);
                runs.add(run(ctx, "fifo-std-" + (n++), 0, messages));
            }
            for (int g : groups) {
                long m = Math.max(messages, g);
                Bench.progress("fifo: FIFO queue, %d groups, %d messages, %d/%d", g, m, produceBatch, receiveBatch);
                runs.add(run(ctx, "fifo-" + (n++) + ".fifo", g, m));
            }
        }
        print(out, runs, size, produceBatch, receiveBatch, cacheMib, limitSeconds);
    }

    private record Setup(ShoalEngine producer, ShoalEngine consumer, Meter producerMeter, Meter consumerMeter,
                           CallCounter producerCalls, CallCounter consumerCalls, TransactionItems transactions, Stamped bodies,
                           int produceBatch, int receiveBatch, long limitSeconds) {
    }

    private static Run run(Setup c, String queue, int groups, long messages) {
        boolean fifo = groups > 0;
        QueueSettings.Builder settings = QueueSettings.builder();
        if (fifo) settings.fifo(true).contentBasedDeduplication(true);
        c.producer().createQueue(queue, settings.build());
        long deadline = System.nanoTime() + c.limitSeconds() * 1_000_000_000L;

        // produce: one thread, calls of produceBatch, message i in group i mod G
        Meter.Usage before = c.producerMeter().snapshot();
        Map<String, Long> callsBefore = c.producerCalls().snapshot();
        long itemsBefore = c.transactions().items.sum();
        long produceCalls = 0;
        long start = System.nanoTime();
        long produced = 0;
        for (long first = 0; first < messages; first += c.produceBatch()) {
            int count = (int) Math.min(c.produceBatch(), messages - first);
            List<NewMessage> batch = new ArrayList<>(count);
            for (int m = 0; m < count; m++) {
                long seq = first + m;
                NewMessage.Builder b = NewMessage.builder().body(c.bodies().body(seq));
                if (fifo) b.groupId(group(seq, groups));
                batch.add(b.build());
            }
            List<ProducedMessage> result = c.producer().produce(queue, ProduceRequest.of(batch));
            produceCalls++;
            for (ProducedMessage p : result) {
                if (p.duplicate()) throw new IllegalStateException(queue + ": message " + p.id() + " was taken for a duplicate");
            }
            produced += count;
            if (System.nanoTime() > deadline) break;
        }
        double produceSeconds = (System.nanoTime() - start) / 1e9;
        Bench.progress("fifo: %s: produced %d in %.1f s", queue, produced, produceSeconds);
        Meter.Usage produce = c.producerMeter().snapshot().minus(before);
        Map<String, Long> produceCallDelta = CallCounter.minus(c.producerCalls().snapshot(), callsBefore);
        long transactionItems = c.transactions().items.sum() - itemsBefore;

        // consume: one thread, receive receiveBatch then ack them all in one call
        Meter.Usage receive = EndToEndBench.zero(), ack = EndToEndBench.zero();
        Map<String, Long> receiveCalls = Map.of(), ackCalls = Map.of();
        long receiveApi = 0, ackApi = 0, empty = 0, emptyInARow = 0, groupLeases = 0, duplicates = 0, outOfOrder = 0;
        Set<Long> seen = new HashSet<>();
        long[] lastInGroup = fifo ? new long[groups] : null;
        if (fifo) java.util.Arrays.fill(lastInGroup, -1);
        ReceiveRequest request = ReceiveRequest.builder().maxMessages(c.receiveBatch()).visibilityTimeout(Duration.ofMinutes(10)).build();
        start = System.nanoTime();
        deadline = start + c.limitSeconds() * 1_000_000_000L;
        long nextReport = start + 30_000_000_000L;
        while (seen.size() < produced && System.nanoTime() < deadline) {
            if (System.nanoTime() > nextReport) {
                Bench.progress("fifo: %s: %d of %d consumed", queue, seen.size(), produced);
                nextReport += 30_000_000_000L;
            }
            Meter.Usage t0 = c.consumerMeter().snapshot();
            Map<String, Long> k0 = c.consumerCalls().snapshot();
            List<ReceivedMessage> got = c.consumer().receive(queue, Limits.DEFAULT_SUBSCRIPTION, request);
            Meter.Usage t1 = c.consumerMeter().snapshot();
            Map<String, Long> k1 = c.consumerCalls().snapshot();
            receive = EndToEndBench.plus(receive, t1.minus(t0));
            receiveCalls = add(receiveCalls, CallCounter.minus(k1, k0));
            receiveApi++;
            if (got.isEmpty()) {
                empty++;
                if (++emptyInARow > 100) {
                    throw new IllegalStateException(queue + ": " + seen.size() + " of " + produced + " received, then 100 empty receives");
                }
                continue;
            }
            emptyInARow = 0;
            Set<String> groupsHere = new HashSet<>();
            for (ReceivedMessage m : got) {
                long seq = Stamped.seq(m.body());
                if (!seen.add(seq)) duplicates++;
                if (fifo) {
                    int g = (int) (seq % groups);
                    if (seq <= lastInGroup[g]) outOfOrder++;
                    lastInGroup[g] = seq;
                    groupsHere.add(m.groupId());
                }
            }
            groupLeases += groupsHere.size();
            List<ReceiptResult> acked = c.consumer().ack(queue, Limits.DEFAULT_SUBSCRIPTION, got.stream().map(ReceivedMessage::receipt).toList());
            ack = EndToEndBench.plus(ack, c.consumerMeter().snapshot().minus(t1));
            ackCalls = add(ackCalls, CallCounter.minus(c.consumerCalls().snapshot(), k1));
            ackApi++;
            for (ReceiptResult r : acked) {
                if (!r.succeeded()) throw new IllegalStateException(queue + ": ack failed: " + r.error().getMessage());
            }
        }
        double consumeSeconds = (System.nanoTime() - start) / 1e9;
        boolean complete = produced == messages && seen.size() == messages;
        if (!complete) {
            Bench.progress("fifo: %s stopped at the time limit (%d s): %d produced, %d consumed", queue, c.limitSeconds(), produced, seen.size());
        }
        if (duplicates > 0 || outOfOrder > 0) {
            Bench.progress("fifo: %s: %d delivered twice, %d out of their group's order", queue, duplicates, outOfOrder);
        }
        return new Run(groups, produced, seen.size(), complete, produceSeconds, consumeSeconds, produce, receive, ack,
                produceCallDelta, receiveCalls, ackCalls, produceCalls, receiveApi, ackApi, empty, groupLeases, transactionItems,
                duplicates, outOfOrder);
    }

    static String group(long seq, int groups) {
        return "g" + (seq % groups);
    }

    private static Map<String, Long> add(Map<String, Long> a, Map<String, Long> b) {
        Map<String, Long> out = new java.util.TreeMap<>(a);
        b.forEach((k, v) -> out.merge(k, v, Long::sum));
        return out;
    }

    static void print(PrintStream out, List<Run> runs, int size, int produceBatch, int receiveBatch, long cacheMib, long limitSeconds) {
        out.println("One partition, " + size + " B messages (json-like, each body distinct), produced in calls of " + produceBatch
                + " by one thread, received in calls of " + receiveBatch + " by one thread, each receive acked with one call; FIFO queues with "
                + "content-based deduplication, message i in group i mod G; consumer engine separate from the producer's, "
                + (cacheMib == 0 ? "with no segment cache" : "with its own " + cacheMib + " MiB segment cache")
                + ". Time limit " + limitSeconds + " s per phase and queue. Per message:");
        out.println();
        Table t = new Table("queue", "groups", "messages", "msgs/group", "produce msg/s", "consume msg/s", "produce WCU", "produce RCU",
                "produce S3", "receive WCU", "receive RCU", "receive S3", "ack WCU", "ack RCU", "total WCU", "total RCU", "total S3", "checked");
        for (Run r : runs) {
            double n = r.messages();
            double consumed = Math.max(1, r.consumed());
            Meter.Usage tot = r.total();
            t.row(r.label(), r.groupsLabel(), Table.n(r.messages()), r.fifo() ? Table.f(n / r.groups(), 1) : "-",
                    Table.n(Math.round(n / r.produceSeconds())), Table.n(Math.round(r.consumed() / r.consumeSeconds())),
                    f4(r.produce().dynamoWriteUnits() / n), f4(r.produce().dynamoReadUnits() / n), f4(r.produce().s3RequestCount() / n),
                    f4(r.receive().dynamoWriteUnits() / consumed), f4(r.receive().dynamoReadUnits() / consumed), f4(r.receive().s3RequestCount() / consumed),
                    f4(r.ack().dynamoWriteUnits() / consumed), f4(r.ack().dynamoReadUnits() / consumed),
                    f4(r.produce().dynamoWriteUnits() / n + (r.receive().dynamoWriteUnits() + r.ack().dynamoWriteUnits()) / consumed),
                    f4(r.produce().dynamoReadUnits() / n + (r.receive().dynamoReadUnits() + r.ack().dynamoReadUnits()) / consumed),
                    f4(tot.s3RequestCount() / n),
                    checked(r));
        }
        t.print(out);

        Run std = runs.stream().filter(r -> !r.fifo()).findFirst().orElse(null);
        double stdCost = std == null ? Double.NaN : perMillion(std);
        out.println("Cost per million messages at us-east-1 list prices (DynamoDB on-demand, S3 Standard requests; storage, Lambda and API "
                + "Gateway not included), beside Amazon SQS FIFO at batches of 10 ($0.50 per million requests, 0.3 requests per message) and "
                + "the standard queue at the same batches" + (std == null ? " (not run: --standard false)" : " in this run")
                + " and the standard queue's $" + Table.f(STANDARD_E2E_100_100, 3) + " at 100/100 in section 3:");
        out.println();
        double sqsFifo = Prices.sqsRequestsPerMessage(produceBatch, receiveBatch, size) * SQS_FIFO_REQUEST * 1e6;
        Table c = new Table("queue", "groups", "DynamoDB writes", "DynamoDB reads", "S3 requests", "total", "x standard (this run)",
                "x standard (section 3)", "SQS FIFO", "x SQS FIFO", "S3 by operation");
        for (Run r : runs) {
            double per = 1e6;
            double writes = unitsPerMessage(r, true) * Prices.DYNAMO_WRITE_UNIT * per;
            double reads = unitsPerMessage(r, false) * Prices.DYNAMO_READ_UNIT * per;
            double total = perMillion(r);
            c.row(r.label(), r.groupsLabel(), Table.usd(writes), Table.usd(reads), Table.usd(total - writes - reads), Table.usd(total),
                    std == null ? "-" : Table.f(total / stdCost, 1) + "x", Table.f(total / STANDARD_E2E_100_100, 1) + "x", Table.usd(sqsFifo),
                    Table.f(total / sqsFifo, 1) + "x", r.total().s3Requests());
        }
        c.print(out);

        out.println("Where the units go: DynamoDB requests per message by operation (a '!' marks failed conditional writes), "
                + "and how many messages of a group one receive handed out together:");
        out.println();
        Table w = new Table("queue", "groups", "msgs per group lease", "produce requests/msg", "transaction items/msg", "receive requests/msg",
                "ack requests/msg", "API calls/msg", "empty receives");
        for (Run r : runs) {
            double n = r.messages();
            double consumed = Math.max(1, r.consumed());
            w.row(r.label(), r.groupsLabel(), r.fifo() ? Table.f(r.consumed() / (double) Math.max(1, r.groupLeases()), 2) : "-",
                    perMessage(r.produceCalls(), n), Table.f(r.transactionItems() / n, 3), perMessage(r.receiveCalls(), consumed),
                    perMessage(r.ackCalls(), consumed), Table.f((r.produceApiCalls() + r.receiveApiCalls() + r.ackApiCalls()) / n, 3),
                    r.emptyReceives());
        }
        w.print(out);
    }

    /** Section 3's standard queue, end to end at 100/100 with a warm consumer: $ per million messages. */
    static final double STANDARD_E2E_100_100 = 0.090;
    /** Amazon SQS FIFO, per request (per 64 KiB of payload), after the free tier: $0.50 per million (BENCHMARKS.md, "Prices used"). */
    static final double SQS_FIFO_REQUEST = 0.50 / 1e6;

    private static double unitsPerMessage(Run r, boolean writes) {
        double n = r.messages(), consumed = Math.max(1, r.consumed());
        return writes ? r.produce().dynamoWriteUnits() / n + (r.receive().dynamoWriteUnits() + r.ack().dynamoWriteUnits()) / consumed
                : r.produce().dynamoReadUnits() / n + (r.receive().dynamoReadUnits() + r.ack().dynamoReadUnits()) / consumed;
    }

    private static double perMillion(Run r) {
        double n = r.messages(), consumed = Math.max(1, r.consumed());
        double produce = Prices.dollars(r.produce()) / n;
        double consume = (Prices.dollars(r.receive()) + Prices.dollars(r.ack())) / consumed;
        return (produce + consume) * 1e6;
    }

    private static String perMessage(Map<String, Long> calls, double n) {
        StringJoiner j = new StringJoiner(", ");
        calls.forEach((op, count) -> {
            if (count != 0) j.add(op + " " + String.format(Locale.ROOT, "%.2f", count / n));
        });
        return j.length() == 0 ? "-" : j.toString();
    }

    private static String checked(Run r) {
        String s = r.complete() ? "all once" : "STOPPED at time limit (" + Table.n(r.consumed()) + " consumed)";
        if (r.duplicates() > 0) s += ", " + r.duplicates() + " twice";
        if (r.fifo()) s += r.outOfOrder() == 0 ? ", in order" : ", " + r.outOfOrder() + " OUT OF ORDER";
        return s;
    }

    private static String f4(double v) {
        return Table.f(v, 4);
    }
}
