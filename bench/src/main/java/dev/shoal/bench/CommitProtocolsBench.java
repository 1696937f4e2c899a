package dev.shoal.bench;

import dev.shoal.storage.api.RetryableException;
import dev.shoal.storage.log.IndexEntry;
import dev.shoal.storage.metering.Meter;
import dev.shoal.storage.segment.EncodedSegment;
import dev.shoal.storage.segment.SegmentEncoder;
import dev.shoal.storage.segment.SegmentRecord;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.shoal.storage.dynamodb.ShoalTables.LOG_PARTITION_KEY;
import static dev.shoal.storage.dynamodb.ShoalTables.LOG_SORT_KEY;

/**
 * Issue 2, item 5: the three ways to commit a segment's index (see {@link CommitProtocol}),
 * each under C concurrent producers on ONE partition, a fixed number of commits per run. Each
 * producer thread loops: encode a batch, PUT it to S3 under a fresh key (unless
 * {@code --segment-put false}), commit. Latency is the commit alone; commits/s is the whole loop.
 * Units and requests are counted on the commit's DynamoDB client only; after each run the
 * partition is read back and must hold dense offsets, none reused.
 */
final class CommitProtocolsBench {

    static final String TABLE = "bench-commit";

    record Result(String protocol, int producers, int commits, double seconds, Latencies latency, Meter.Usage usage,
                  Map<String, Long> calls, int gaveUps) {
        double per(double v) {
            return v / commits;
        }

        long failures() {
            return CallCounter.failures(calls);
        }

        long requests() {
            return calls.entrySet().stream().filter(e -> !e.getKey().contains("!")).mapToLong(Map.Entry::getValue).sum();
        }
    }

    private CommitProtocolsBench() {
    }

    static void main(Options o, PrintStream out) {
        List<Integer> producers = o.integers("producers", List.of(1, 8, 64));
        int commits = o.integer("commits", 2_000);
        int batch = o.integer("batch", 10);
        int size = o.integer("size", 1024);
        List<String> protocols = List.of(o.string("protocols", "chain,transaction,atomic-add").split(","));
        boolean segmentPut = o.flag("segment-put", true);
        int warmup = o.integer("warmup", 300);
        o.rejectUnknown();

        Payloads bodies = Payloads.of("json", size, 7);
        List<Result> results = new ArrayList<>();
        try (BenchStack stack = BenchStack.start()) {
            createTable(stack.plainDynamo());
            if (warmup > 0) {
                for (String p : protocols) {
                    Bench.progress("commit-protocols: warm-up %s", p);
                    run(stack, p, 8, warmup, batch, bodies, segmentPut, "warmup");
                }
            }
            for (int c : producers) {
                for (String p : protocols) {
                    Bench.progress("commit-protocols: %s, %d producers, %d commits", p, c, commits);
                    results.add(run(stack, p, c, commits, batch, bodies, segmentPut, "run"));
                }
            }
        }
        print(out, results, batch, size, segmentPut);
    }

    static Result run(BenchStack stack, String protocolName, int producers, int commits, int batch, Payloads bodies,
                      boolean segmentPut, String label) {
        Meter meter = new Meter();
        CallCounter counter = new CallCounter();
        DynamoDbClient dynamo = stack.dynamo(meter, counter);
        CommitProtocol protocol = switch (protocolName) {
            case "chain" -> CommitProtocol.Chain.on(dynamo, stack.tables());
            case "transaction" -> new CommitProtocol.Transaction(dynamo, TABLE);
            case "atomic-add" -> new CommitProtocol.AtomicAdd(dynamo, TABLE);
            default -> throw new Options.UsageException("--protocols: chain, transaction or atomic-add, was '" + protocolName + "'");
        };
        String pk = "bench-" + protocolName + "-" + label + "-" + producers + "-" + UUID.randomUUID();
        SegmentEncoder encoder = new SegmentEncoder();
        Latencies latency = new Latencies();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger gaveUps = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Throwable> failures = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < producers; t++) {
            threads.add(Thread.ofPlatform().name("committer-" + t).start(() -> {
                try {
                    go.await();
                    for (int n = next.getAndIncrement(); n < commits; n = next.getAndIncrement()) {
                        long now = System.currentTimeMillis();
                        List<SegmentRecord> records = new ArrayList<>(batch);
                        for (int m = 0; m < batch; m++) {
                            records.add(new SegmentRecord(now, now, null, null, Map.of(), bodies.body((long) n * batch + m)));
                        }
                        EncodedSegment segment = encoder.encode(records);
                        String key = "segments/bench/" + pk + "/" + UUID.randomUUID() + ".seg";
                        if (segmentPut) {
                            stack.plainS3().putObject(b -> b.bucket(stack.bucket()).key(key), RequestBody.fromBytes(segment.bytes()));
                        }
                        Instant at = Instant.ofEpochMilli(now);
                        IndexEntry entry = new IndexEntry(pk, 0, batch, key, segment.bytes().length, segment.headerLength(), at, at, at, at);
                        long t0 = System.nanoTime();
                        while (true) {
                            try {
                                protocol.commit(entry);
                                break;
                            } catch (RetryableException gaveUp) {
                                // the protocol ran out of attempts: the producer retries the commit, as a client would
                                gaveUps.incrementAndGet();
                            }
                        }
                        latency.add(System.nanoTime() - t0);
                    }
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }));
        }
        Meter.Usage before = meter.snapshot();
        var callsBefore = counter.snapshot();
        long start = System.nanoTime();
        go.countDown();
        Bench.joinAll(threads);
        double seconds = (System.nanoTime() - start) / 1e9;
        Meter.Usage usage = meter.snapshot().minus(before);
        var calls = CallCounter.minus(counter.snapshot(), callsBefore);
        if (!failures.isEmpty()) {
            throw new IllegalStateException(protocolName + ": a producer failed", failures.getFirst());
        }
        checkDense(stack.plainDynamo(), protocol.table(), pk, commits, batch);
        return new Result(protocol.name(), producers, commits, seconds, latency, usage, calls, gaveUps.get());
    }

    /** Reads the partition back: {@code commits} entries of {@code batch} offsets each, from 0, no gap, no overlap. */
    static void checkDense(DynamoDbClient dynamo, String table, String pk, int commits, int batch) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        dynamo.queryPaginator(b -> b.tableName(table).keyConditionExpression(LOG_PARTITION_KEY + " = :p AND " + LOG_SORT_KEY + " >= :z")
                        .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(pk), ":z", AttributeValue.fromN("0")))
                        .consistentRead(true))
                .items().forEach(items::add);
        long expect = 0;
        for (Map<String, AttributeValue> item : items) {
            long o = Long.parseLong(item.get(LOG_SORT_KEY).n());
            if (o != expect) {
                throw new IllegalStateException(table + " " + pk + ": expected an entry at offset " + expect + ", found " + o);
            }
            expect = o + Long.parseLong(item.get("n").n());
        }
        if (items.size() != commits || expect != (long) commits * batch) {
            throw new IllegalStateException(table + " " + pk + ": expected " + commits + " entries ending at " + (long) commits * batch
                    + ", found " + items.size() + " ending at " + expect);
        }
    }

    static void createTable(DynamoDbClient dynamo) {
        dynamo.createTable(b -> b.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName(LOG_PARTITION_KEY).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(LOG_SORT_KEY).attributeType(ScalarAttributeType.N).build())
                .keySchema(KeySchemaElement.builder().attributeName(LOG_PARTITION_KEY).keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName(LOG_SORT_KEY).keyType(KeyType.RANGE).build()));
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(TABLE));
    }

    static void print(PrintStream out, List<Result> results, int batch, int size, boolean segmentPut) {
        out.println("One partition; each commit is a segment of " + batch + " x " + size + " B"
                + (segmentPut ? " written to S3 first (encode + PUT + commit per loop)" : " (no S3 PUT: commit only)") + ".");
        out.println();
        Table t = new Table("protocol", "producers", "commits", "commits/s", "p50 ms", "p99 ms", "WCU/commit", "RCU/commit",
                "requests/commit", "failed writes/commit", "gave up (60 attempts)", "ceiling commits/s/partition", "calls");
        for (Result r : results) {
            double wcu = r.per(r.usage().dynamoWriteUnits());
            t.row(r.protocol(), r.producers(), Table.n(r.commits()), Table.n(Math.round(r.commits() / r.seconds())),
                    Table.f(r.latency().percentileMillis(50), 1), Table.f(r.latency().percentileMillis(99), 1),
                    Table.f(wcu, 2), Table.f(r.per(r.usage().dynamoReadUnits()), 2),
                    Table.f(r.per(r.requests()), 2), Table.f(r.per(r.failures()), 2), r.gaveUps(),
                    Table.n(Math.round(1000 / wcu)), r.calls().toString().replace("Exception", ""));
        }
        t.print(out);
        out.println("ceiling = 1,000 WCU/s (DynamoDB's per-partition-key write limit; the head and index items of a partition share "
                + "one key) / WCU per commit: the most commits/s one Shoal partition could take on AWS at this contention.");
        out.println();
    }
}
