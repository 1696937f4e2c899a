package dev.shoal.bench;

import dev.shoal.client.ShoalClient;
import dev.shoal.client.ShoalMetrics;
import dev.shoal.client.consumer.ShoalConsumer;
import dev.shoal.client.producer.ShoalProducer;
import dev.shoal.functions.api.ApiConfig;
import dev.shoal.functions.api.ApiHandler;
import dev.shoal.functions.api.ApiRouter;
import dev.shoal.functions.local.LocalHttpServer;
import dev.shoal.storage.ShoalEngine;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.QueueService;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.metering.Meter;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * Issue 6's SDK figures: N messages of 1 KiB sent by one application thread through a batching
 * producer and handled by C consumers, all running at once, on three targets in one JVM:
 * <ul>
 *   <li><b>direct</b>: {@code ShoalClient} over a {@code ShoalEngine} on the embedded stack
 *       ({@code ShoalClient.builder().engine(...)}); {@code ShoalProducer} and C {@code ShoalConsumer}s;</li>
 *   <li><b>http</b>: the same client and producer/consumers over the HTTP transport, to the API
 *       function's handler served by {@code LocalHttpServer} on a free loopback port over the
 *       same kind of engine;</li>
 *   <li><b>elasticmq</b>: ElasticMQ (an SQS emulator) in this JVM on a free loopback port,
 *       through the AWS SDK's {@code SqsClient} (apache5 HTTP client): a sender thread batching
 *       SendMessageBatch of up to 10 with the same linger, and C threads each looping
 *       ReceiveMessage (10, long poll) then DeleteMessageBatch.</li>
 * </ul>
 * Latency is from the {@code send} call to the handler being called. Two runs per target: a
 * burst (every message sent as fast as the producer takes them: throughput, and latency that
 * is mostly waiting in line) and a paced run at a fixed rate (latency of the path itself).
 * Every run has a time limit and stops by itself.
 */
final class SdkBench {

    /** One run's result. */
    record Outcome(String target, String mode, long messages, long sent, long handled, double rate, double ackedSeconds,
                   double handledSeconds, Latencies latencies, long duplicates, Meter.Usage usage, Map<String, Long> calls,
                   Map<String, Latencies> callLatencies, Map<String, Long> dynamoCalls) {
        boolean complete() {
            return handled == messages;
        }
    }

    /** A queue service under test: opens sessions on fresh queues. */
    interface Target extends AutoCloseable {
        String name();

        Session open(String queue, LongConsumer onMessage);

        @Override
        void close();
    }

    /** One run: consumers started at open, a producer that sends; closed consumers first, producer after. */
    interface Session extends AutoCloseable {
        void send(long seq, byte[] body);

        /** Waits until everything sent is acknowledged, or the deadline (System.nanoTime). */
        void flush(long deadline);

        /** Counts of calls to the service by operation, since open; complete after close. */
        Map<String, Long> calls();

        /** Billable AWS usage since open (Shoal), or null (SQS). */
        Meter.Usage usage();

        /** How long the client's calls took, by operation, since open. */
        Map<String, Latencies> callLatencies();

        /** Shoal: DynamoDB requests by operation ("Op!Failure" for failed ones) since open; complete after close. SQS: empty. */
        default Map<String, Long> dynamoCalls() {
            return Map.of();
        }

        @Override
        void close();
    }

    private SdkBench() {
    }

    static void main(Options o, PrintStream out, Charts.Output charts) {
        List<String> targets = Arrays.stream(o.string("targets", "direct,http,elasticmq").split(",")).map(String::trim).toList();
        long messages = o.longValue("messages", 10_000);
        int size = o.integer("size", 1024);
        int consumers = o.integer("consumers", 4);
        int receiveBatch = o.integer("receive-batch", 100);
        long lingerMs = o.longValue("linger-ms", 5);
        List<Integer> rates = o.integers("rates", List.of(20, 200));
        long pacedSeconds = o.longValue("paced-seconds", 15);
        List<Integer> partitions = o.integers("partitions", List.of(1, 4));
        long limitSeconds = o.longValue("time-limit-s", 300);
        long warmup = o.longValue("warmup", 2_000);
        o.rejectUnknown();
        for (String t : targets) {
            if (!List.of("direct", "http", "elasticmq").contains(t)) {
                throw new Options.UsageException("--targets takes direct, http and elasticmq, was '" + t + "'");
            }
        }
        if (consumers < 1 || receiveBatch < 1 || receiveBatch > 1000 || messages < 1 || pacedSeconds < 1
                || rates.stream().anyMatch(r -> r < 1) || partitions.stream().anyMatch(p -> p < 1)) {
            throw new Options.UsageException("--consumers, --messages, --rates, --paced-seconds and --partitions must be positive, --receive-batch 1-1000");
        }
        Stamped bodies = new Stamped(Payloads.of("json", size, 23), size);
        Duration linger = Duration.ofMillis(lingerMs);
        List<Outcome> outcomes = new ArrayList<>();
        BenchStack stack = targets.stream().anyMatch(t -> !t.equals("elasticmq")) ? BenchStack.start() : null;
        try {
            int n = 0;
            List<java.util.function.Supplier<Target>> runs = new ArrayList<>();
            for (String name : targets) {
                if (name.equals("elasticmq")) {
                    runs.add(() -> new ElasticMqTarget(consumers, linger));
                } else {
                    for (int p : partitions) {
                        runs.add(() -> new ShoalTarget(stack, name.equals("http"), consumers, receiveBatch, linger, p));
                    }
                }
            }
            for (var make : runs) {
                try (Target target = make.get()) {
                    String name = target.name();
                    if (warmup > 0) {
                        Bench.progress("sdk: %s, warm-up (%d messages)", name, warmup);
                        run(target, "sdk-" + (n++), "warm-up", Math.min(warmup, messages), 0, limitSeconds, bodies);
                    }
                    Bench.progress("sdk: %s, burst of %d messages", name, messages);
                    outcomes.add(run(target, "sdk-" + (n++), "burst", messages, 0, limitSeconds, bodies));
                    for (int rate : rates) {
                        Bench.progress("sdk: %s, %d messages at %d/s", name, rate * pacedSeconds, rate);
                        outcomes.add(run(target, "sdk-" + (n++), "paced", rate * pacedSeconds, rate, limitSeconds, bodies));
                    }
                }
            }
        } finally {
            if (stack != null) stack.close();
        }
        print(out, outcomes, size, consumers, receiveBatch, lingerMs);
        SdkCharts.chart(out, charts, outcomes);
    }

    static Outcome run(Target target, String queue, String mode, long messages, double rate, long limitSeconds, Stamped bodies) {
        int n = Math.toIntExact(messages);
        AtomicLongArray sentAt = new AtomicLongArray(n);
        AtomicIntegerArray deliveries = new AtomicIntegerArray(n);
        Latencies latencies = new Latencies();
        LongAdder duplicates = new LongAdder();
        AtomicLong lastHandled = new AtomicLong();
        CountDownLatch done = new CountDownLatch(n);
        LongConsumer onMessage = seq -> {
            long now = System.nanoTime();
            if (seq < 0 || seq >= n) {
                duplicates.increment(); // not ours: counted with the anomalies
                return;
            }
            if (deliveries.getAndIncrement((int) seq) == 0) {
                latencies.add(now - sentAt.get((int) seq));
                lastHandled.accumulateAndGet(now, Math::max);
                done.countDown();
            } else {
                duplicates.increment();
            }
        };
        long start, acked;
        long sent = 0;
        Map<String, Long> calls;
        Meter.Usage usage;
        Map<String, Latencies> callLatencies;
        Map<String, Long> dynamoCalls;
        try (Session session = target.open(queue, onMessage)) {
            start = System.nanoTime();
            long deadline = start + limitSeconds * 1_000_000_000L;
            for (int i = 0; i < n && System.nanoTime() < deadline; i++) {
                if (rate > 0) {
                    long due = start + (long) (i * 1e9 / rate);
                    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                }
                byte[] body = bodies.body(i);
                sentAt.set(i, System.nanoTime());
                session.send(i, body);
                sent++;
            }
            session.flush(deadline);
            acked = System.nanoTime();
            try {
                done.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            if (done.getCount() > 0) {
                Bench.progress("sdk: %s %s stopped at the time limit (%d s): %d of %d handled", target.name(), mode, limitSeconds,
                        n - done.getCount(), n);
            }
            session.close();
            calls = session.calls();
            usage = session.usage();
            callLatencies = session.callLatencies();
            dynamoCalls = session.dynamoCalls();
        }
        long handled = n - done.getCount();
        double handledSeconds = ((handled == n ? lastHandled.get() : System.nanoTime()) - start) / 1e9;
        return new Outcome(target.name(), mode, messages, sent, handled, rate, (acked - start) / 1e9, handledSeconds, latencies,
                duplicates.sum(), usage, calls, callLatencies, dynamoCalls);
    }

    // ---------------------------------------------------------------- Shoal, direct and HTTP

    /** Shoal through the SDK: producer and consumers on separate engines (two applications, or two API function instances). */
    static final class ShoalTarget implements Target {
        private final boolean http;
        private final int partitions;
        private final int consumers;
        private final int receiveBatch;
        private final Duration linger;
        private final Meter meter = new Meter();
        private final CallCounter dynamoCalls = new CallCounter();
        private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
        private final ShoalClient producerClient;
        private final ShoalClient consumerClient;
        private final List<LocalHttpServer> servers = new ArrayList<>();
        /** The current session's call latencies (the clients' metrics hooks write here). */
        private volatile Map<String, Latencies> latencies = new ConcurrentHashMap<>();
        private final ShoalMetrics metrics = new ShoalMetrics() {
            @Override
            public void latency(String operation, String queue, Duration latency) {
                latencies.computeIfAbsent(operation, k -> new Latencies()).add(latency.toNanos());
            }
        };

        ShoalTarget(BenchStack stack, boolean http, int consumers, int receiveBatch, Duration linger, int partitions) {
            this.http = http;
            this.partitions = partitions;
            this.consumers = consumers;
            this.receiveBatch = receiveBatch;
            this.linger = linger;
            QueueService producerEngine = counting(engine(stack), calls);
            QueueService consumerEngine = counting(engine(stack), calls);
            this.producerClient = client(producerEngine);
            this.consumerClient = client(consumerEngine);
        }

        /** An engine billed to this target's meter, its DynamoDB requests counted by operation and outcome. */
        private ShoalEngine engine(BenchStack stack) {
            return ShoalEngine.builder().dynamo(stack.dynamo(meter, dynamoCalls)).s3(stack.s3(meter)).tables(stack.tables())
                    .bucket(stack.bucket()).clock(Clock.systemUTC()).receiptSecret(BenchStack.RECEIPT_SECRET)
                    .segmentCacheBytes(64L << 20).build();
        }

        private ShoalClient client(QueueService engine) {
            if (!http) {
                return ShoalClient.builder().engine(engine).metrics(metrics).build();
            }
            ApiHandler handler = new ApiHandler(new ApiRouter(engine, ApiConfig.local()));
            LocalHttpServer server = LocalHttpServer.start("127.0.0.1", 0, event -> handler.handleRequest(event, null));
            servers.add(server);
            return ShoalClient.builder().endpoint(server.endpoint()).region("us-east-1")
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).metrics(metrics).build();
        }

        @Override
        public String name() {
            return (http ? "http" : "direct") + ", " + partitions + (partitions == 1 ? " partition" : " partitions");
        }

        @Override
        public Session open(String queue, LongConsumer onMessage) {
            producerClient.createQueue(queue, QueueSettings.builder().partitions(partitions).build());
            Map<String, Long> callsBefore = snapshot(calls);
            Map<String, Long> dynamoBefore = dynamoCalls.snapshot();
            Meter.Usage before = meter.snapshot();
            Map<String, Latencies> sessionLatencies = new ConcurrentHashMap<>();
            latencies = sessionLatencies;
            List<ShoalConsumer> running = new ArrayList<>();
            for (int i = 0; i < consumers; i++) {
                running.add(ShoalConsumer.builder(consumerClient, queue, m -> onMessage.accept(Stamped.seq(m.body())))
                        .maxMessagesPerReceive(receiveBatch).maxConcurrency(receiveBatch).ackBatchSize(100)
                        .waitTime(Duration.ofSeconds(1)).visibilityTimeout(Duration.ofSeconds(30)).build().start());
            }
            ShoalProducer producer = ShoalProducer.builder(producerClient).linger(linger).batchSize(100).build();
            List<CompletableFuture<?>> futures = new ArrayList<>();
            return new Session() {
                private Map<String, Long> callsAfter;
                private Map<String, Long> dynamo;
                private Meter.Usage usage;

                @Override
                public Map<String, Long> dynamoCalls() {
                    return dynamo;
                }

                @Override
                public void send(long seq, byte[] body) {
                    futures.add(producer.send(queue, NewMessage.builder().body(body).build()));
                }

                @Override
                public void flush(long deadline) {
                    try {
                        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                                .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    } catch (java.util.concurrent.TimeoutException e) {
                        Bench.progress("sdk: %s: sends not all acknowledged within the time limit", name());
                    } catch (Exception e) {
                        throw new IllegalStateException(name() + ": a send failed: " + e, e);
                    }
                }

                @Override
                public Map<String, Long> calls() {
                    return callsAfter;
                }

                @Override
                public Meter.Usage usage() {
                    return usage;
                }

                @Override
                public Map<String, Latencies> callLatencies() {
                    return sessionLatencies;
                }

                @Override
                public void close() {
                    if (callsAfter != null) return;
                    for (ShoalConsumer c : running) c.close(Duration.ofSeconds(10));
                    producer.close(Duration.ofSeconds(10));
                    callsAfter = CallCounter.minus(snapshot(calls), callsBefore);
                    dynamo = CallCounter.minus(dynamoCalls.snapshot(), dynamoBefore);
                    usage = meter.snapshot().minus(before);
                }
            };
        }

        @Override
        public void close() {
            producerClient.close();
            consumerClient.close();
            servers.forEach(LocalHttpServer::close);
        }
    }

    /** The engine behind a proxy that counts calls by method, and receives that returned nothing. */
    static QueueService counting(ShoalEngine engine, Map<String, LongAdder> counts) {
        return (QueueService) Proxy.newProxyInstance(QueueService.class.getClassLoader(), new Class<?>[] {QueueService.class},
                (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(engine, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getDeclaringClass() != Object.class) {
                        counts.computeIfAbsent(method.getName(), k -> new LongAdder()).increment();
                        if (method.getName().equals("receive") && result instanceof List<?> l && l.isEmpty()) {
                            counts.computeIfAbsent("receive(empty)", k -> new LongAdder()).increment();
                        }
                    }
                    return result;
                });
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> counts) {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    // ---------------------------------------------------------------- ElasticMQ through the AWS SDK

    /** ElasticMQ in this JVM, through SqsClient: batching sender (10, linger), C receive + delete-batch threads. */
    static final class ElasticMqTarget implements Target {
        private final int consumers;
        private final Duration linger;
        private final SQSRestServer server;
        private final SqsClient sqs;

        ElasticMqTarget(int consumers, Duration linger) {
            this.consumers = consumers;
            this.linger = linger;
            int port = freePort();
            // ElasticMQ logs through SLF4J (stderr); keep its start-up chatter off stdout anyway
            PrintStream stdout = System.out;
            System.setOut(System.err);
            try {
                this.server = SQSRestServerBuilder.withPort(port).withInterface("127.0.0.1").start();
                server.waitUntilStarted();
            } finally {
                System.setOut(stdout);
            }
            this.sqs = SqsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port)).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
                    .httpClientBuilder(Apache5HttpClient.builder().maxConnections(64)).build();
        }

        @Override
        public String name() {
            return "elasticmq";
        }

        @Override
        public Session open(String queue, LongConsumer onMessage) {
            String url = sqs.createQueue(b -> b.queueName(queue)).queueUrl();
            Map<String, LongAdder> calls = new ConcurrentHashMap<>();
            Map<String, Latencies> latencies = new ConcurrentHashMap<>();
            LongAdder acked = new LongAdder();
            LongAdder failed = new LongAdder();
            BlockingQueue<long[]> pending = new ArrayBlockingQueue<>(1 << 20);
            Map<Long, byte[]> bodies = new ConcurrentHashMap<>();
            var running = new java.util.concurrent.atomic.AtomicBoolean(true);
            // sender: one batch in flight; a batch leaves at 10 messages or when its first message has waited `linger`
            Thread sender = Thread.ofPlatform().name("sqs-sender").daemon().start(() -> {
                List<long[]> batch = new ArrayList<>(10);
                while (running.get() || !pending.isEmpty()) {
                    try {
                        long[] first = pending.poll(100, TimeUnit.MILLISECONDS);
                        if (first == null) continue;
                        batch.add(first);
                        long due = first[1] + linger.toNanos();
                        while (batch.size() < 10) {
                            long wait = due - System.nanoTime();
                            long[] next = wait > 0 ? pending.poll(wait, TimeUnit.NANOSECONDS) : pending.poll();
                            if (next == null) break;
                            batch.add(next);
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                    List<SendMessageBatchRequestEntry> entries = new ArrayList<>(batch.size());
                    for (long[] m : batch) {
                        entries.add(SendMessageBatchRequestEntry.builder().id(Long.toString(m[0]))
                                .messageBody(new String(bodies.remove(m[0]), StandardCharsets.US_ASCII)).build());
                    }
                    long t0 = System.nanoTime();
                    SendMessageBatchResponse r = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries));
                    time(latencies, "SendMessageBatch", t0);
                    for (long[] m : batch) time(latencies, "send to acknowledged", m[1]);
                    increment(calls, "SendMessageBatch");
                    acked.add(r.successful().size());
                    failed.add(r.failed().size());
                    batch.clear();
                }
            });
            List<Thread> pollers = new ArrayList<>();
            for (int i = 0; i < consumers; i++) {
                pollers.add(Thread.ofPlatform().name("sqs-consumer-" + i).daemon().start(() -> {
                    while (running.get()) {
                        long t0 = System.nanoTime();
                        List<Message> got = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
                                .visibilityTimeout(30)).messages();
                        time(latencies, got.isEmpty() ? "ReceiveMessage(empty)" : "ReceiveMessage", t0);
                        increment(calls, "ReceiveMessage");
                        if (got.isEmpty()) {
                            increment(calls, "ReceiveMessage(empty)");
                            continue;
                        }
                        List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>(got.size());
                        for (Message m : got) {
                            onMessage.accept(Stamped.seq(m.body()));
                            deletes.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(deletes.size()))
                                    .receiptHandle(m.receiptHandle()).build());
                        }
                        long t1 = System.nanoTime();
                        DeleteMessageBatchResponse d = sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(deletes));
                        time(latencies, "DeleteMessageBatch", t1);
                        increment(calls, "DeleteMessageBatch");
                        if (!d.failed().isEmpty()) increment(calls, "DeleteMessageBatch!failed entries");
                    }
                }));
            }
            return new Session() {
                private long sent;
                private boolean closed;

                @Override
                public void send(long seq, byte[] body) {
                    bodies.put(seq, body);
                    if (!pending.offer(new long[] {seq, System.nanoTime()})) {
                        throw new IllegalStateException("sender queue full");
                    }
                    sent++;
                }

                @Override
                public void flush(long deadline) {
                    while (acked.sum() + failed.sum() < sent && System.nanoTime() < deadline) {
                        LockSupport.parkNanos(200_000);
                    }
                    if (failed.sum() > 0) {
                        throw new IllegalStateException("elasticmq: " + failed.sum() + " sends failed");
                    }
                }

                @Override
                public Map<String, Long> calls() {
                    return snapshot(calls);
                }

                @Override
                public Meter.Usage usage() {
                    return null;
                }

                @Override
                public Map<String, Latencies> callLatencies() {
                    return latencies;
                }

                @Override
                public void close() {
                    if (closed) return;
                    closed = true;
                    running.set(false);
                    try {
                        sender.join(Duration.ofSeconds(10));
                        for (Thread t : pollers) t.join(Duration.ofSeconds(10));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
        }

        private static void time(Map<String, Latencies> latencies, String operation, long startNanos) {
            latencies.computeIfAbsent(operation, k -> new Latencies()).add(System.nanoTime() - startNanos);
        }

        private static void increment(Map<String, LongAdder> calls, String key) {
            calls.computeIfAbsent(key, k -> new LongAdder()).increment();
        }

        @Override
        public void close() {
            sqs.close();
            server.stopAndWait();
        }

        private static int freePort() {
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException("no free port", e);
            }
        }
    }

    // ---------------------------------------------------------------- tables

    private static String perMessage(Map<String, Long> calls, double n) {
        StringJoiner j = new StringJoiner(", ");
        calls.forEach((op, count) -> j.add(op + " " + String.format(Locale.ROOT, "%.3f", count / n)));
        return j.length() == 0 ? "-" : j.toString();
    }

    static void print(PrintStream out, List<Outcome> outcomes, int size, int consumers, int receiveBatch, long lingerMs) {
        out.println(size + " B messages (json-like), one application thread sending, " + consumers + " consumers, all running at once; "
                + "linger " + lingerMs + " ms. Shoal: ShoalProducer (batches of up to 100, idempotent) and " + consumers
                + " ShoalConsumers (receive up to " + receiveBatch + ", long poll 1 s, acks batched by 100 / 100 ms) on one ShoalClient, "
                + "standard queue of 1 or more partitions, producer and consumers on separate engines (each with a 64 MiB segment cache; "
                + "over HTTP, each behind its own API server). ElasticMQ: a sender thread "
                + "(SendMessageBatch of up to 10, same linger, one batch in flight) and " + consumers
                + " threads each looping ReceiveMessage (10, wait 1 s) then DeleteMessageBatch. Latency: send call to handler call.");
        out.println();
        Table t = new Table("target", "run", "messages", "rate asked", "sends acked msg/s", "handled msg/s", "p50 ms", "p99 ms", "max ms",
                "checked");
        for (Outcome r : outcomes) {
            t.row(r.target(), r.mode(), Table.n(r.messages()), r.rate() > 0 ? Table.n(Math.round(r.rate())) + "/s" : "as fast as possible",
                    Table.n(Math.round(r.sent() / r.ackedSeconds())), Table.n(Math.round(r.handled() / r.handledSeconds())),
                    Table.f(r.latencies().percentileMillis(50), 1), Table.f(r.latencies().percentileMillis(99), 1),
                    Table.f(r.latencies().percentileMillis(100), 1),
                    (r.complete() ? "all handled" : "STOPPED: " + Table.n(r.handled()) + " handled")
                            + (r.duplicates() > 0 ? ", " + r.duplicates() + " twice" : ", none twice"));
        }
        t.print(out);

        out.println("Calls to the service per message (Shoal: engine calls, which over HTTP are one API request each; SQS: API requests) "
                + "and what they would cost on AWS, per million messages (Shoal: DynamoDB and S3 at the prices above, API Gateway and "
                + "Lambda not included; SQS: $0.40 per million requests, empty receives included):");
        out.println();
        Table c = new Table("target", "run", "calls/msg", "by operation (per message)", "WCU/msg", "RCU/msg", "S3/msg", "$ per million",
                "DynamoDB requests/msg");
        for (Outcome r : outcomes) {
            double n = Math.max(1, r.handled());
            long total = r.calls().entrySet().stream().filter(e -> !e.getKey().contains("(") && !e.getKey().contains("!"))
                    .mapToLong(Map.Entry::getValue).sum();
            StringJoiner ops = new StringJoiner(", ");
            r.calls().forEach((op, count) -> ops.add(op + " " + String.format(Locale.ROOT, "%.3f", count / n)));
            if (r.usage() != null) {
                Meter.Usage u = r.usage();
                c.row(r.target(), r.mode(), Table.f(total / n, 3), ops, Table.f(u.dynamoWriteUnits() / n, 4), Table.f(u.dynamoReadUnits() / n, 4),
                        Table.f(u.s3RequestCount() / n, 4), Table.usd(Prices.dollars(u) / n * 1e6), perMessage(r.dynamoCalls(), n));
            } else {
                c.row(r.target(), r.mode(), Table.f(total / n, 3), ops, "-", "-", "-", Table.usd(total / n * Prices.SQS_REQUEST * 1e6), "-");
            }
        }
        c.print(out);

        out.println("Where the time goes: how long each kind of call took, p50 / p99 ms (count). Shoal: the SDK's own latency hooks "
                + "(a receive includes its long-poll wait; producer.delivery is send to acknowledgement); SQS: timed around each SqsClient call.");
        out.println();
        Table l = new Table("target", "run", "calls: p50 / p99 ms (count)");
        for (Outcome r : outcomes) {
            StringJoiner j = new StringJoiner("; ");
            new TreeMap<>(r.callLatencies()).forEach((op, lat) -> {
                if (!op.equals("consumer.handler")) {
                    j.add(op + " " + Table.f(lat.percentileMillis(50), 1) + " / " + Table.f(lat.percentileMillis(99), 1) + " (" + Table.n(lat.count()) + ")");
                }
            });
            l.row(r.target(), r.mode(), j);
        }
        l.print(out);
    }
}
